"""The deployment page's board picker: pick a board of the catalogue, see float32 and int8 on it
(accuracy, latency, RAM, flash, fits?), and a red warning in words when a variant does not fit.
The training is arranged in the database (tests/ui/arranged_training.py); the figures come from
the real API (GET /api/projects/{pid}/boards/{board}/estimates)."""

from __future__ import annotations

import pytest
from ui.arranged_training import board_project
from ui.browserkit import shot

pytestmark = pytest.mark.services


def _pick(page, name: str) -> None:
    page.get_by_role("textbox", name="Board").click()
    page.get_by_role("option", name=name, exact=True).click()


def test_picking_pico_shows_both_variants_fitting_and_the_microbit_warns_of_float32(studio):
    context, url = studio
    owner, pid = board_project(url)
    context.add_cookies([{"name": "tf_session", "value": owner.cookies["tf_session"], "url": url}])
    page = context.new_page()
    page.goto(f"/projects/{pid}/deployment")
    page.get_by_test_id("board-table").wait_for()

    _pick(page, "Raspberry Pi Pico")
    page.get_by_test_id("board-facts").filter(has_text="Cortex-M0+ at 133 MHz").wait_for()
    table = page.get_by_test_id("board-table")
    table.wait_for()
    cells = {
        f"{v}-{c}": page.get_by_test_id(f"board-{v}-{c}").inner_text().lower()
        for v in ("int8", "float32")
        for c in ("accuracy", "ram", "flash", "fits")
    }
    assert cells == {
        "int8-accuracy": "96.0%",
        "int8-ram": "9.1 kb",  # 9,216 B + the Cortex-M0+ build's 120 B more stack
        "int8-flash": "25.9 kb",  # 24,576 B x 1.08 (the ARMv6-M build's code)
        "int8-fits": "fits",
        "float32-accuracy": "97.0%",
        "float32-ram": "20.1 kb",
        "float32-flash": "43.2 kb",
        "float32-fits": "fits",
    }
    assert page.get_by_test_id("board-warning-float32").count() == 0
    latency = page.get_by_test_id("board-int8-latency").inner_text()
    assert latency.endswith(" ms") and float(latency.split()[0]) > 10  # software float at 133 MHz
    assert "microbit" in page.get_by_test_id("board-derivation").inner_text()  # measured on qemu's Cortex-M0
    shot(page, "60-deployment-board-pico")

    _pick(page, "BBC micro:bit v1")
    warning = page.get_by_test_id("board-warning-float32")
    warning.wait_for()
    assert warning.inner_text() == "needs 20.1 KB of RAM; the BBC micro:bit v1 has 16 KB."
    page.get_by_text("The float32 model does not fit the BBC micro:bit v1").wait_for()
    assert page.get_by_test_id("board-float32-fits").inner_text().lower() == "does not fit"
    assert "too much" in page.get_by_test_id("board-float32-ram").inner_text()
    assert page.get_by_test_id("board-int8-fits").inner_text().lower() == "fits"
    assert page.get_by_test_id("board-warning-int8").count() == 0
    shot(page, "61-deployment-board-no-fit")

    _pick(page, "ESP32-S3")
    page.get_by_test_id("board-derivation").filter(has_text="derived, not measured").wait_for()
