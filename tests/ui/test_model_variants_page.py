"""int8 beside float32 in the studio: when int8 falls more than 3 points below float32 the
training, testing and deployment pages say so and offer float32; the deployment page compares
both variants in a table. The training job is arranged in the database (a real training with
such a gap cannot be made on purpose)."""

from __future__ import annotations

import pytest
from ui.arranged_training import trained_project
from ui.browserkit import shot

pytestmark = pytest.mark.services


def _estimate(latency_ms: float, flash: int, ram: int) -> dict:
    return {
        "device": "Cortex-M4F @ 80 MHz",
        "total": {"latency_ms": latency_ms, "flash_bytes": flash, "ram_bytes": ram},
    }


def _trained_with_a_gap(url: str) -> tuple[object, int]:
    """A project whose impulse's latest training has int8 at 57 % and float32 at 96 % (validation)."""
    from workers.pipeline.variants import int8_gap_warnings

    return trained_project(
        url,
        "Variants",
        {"float32": {"accuracy": 0.96}, "int8": {"accuracy": 0.57}},
        {"float32": _estimate(2.5, 20_480, 3_072), "int8": _estimate(1.25, 15_360, 2_048)},
        learning={"type": "keras-classifier", "best_epoch": 40, "stopped_early": True},
        warnings=int8_gap_warnings({"float32": 0.96, "int8": 0.57}, "validation"),
    )


def test_deployment_page_compares_variants_and_offers_float32_when_int8_lags(studio):
    context, url = studio
    owner, pid = _trained_with_a_gap(url)
    context.add_cookies([{"name": "tf_session", "value": owner.cookies["tf_session"], "url": url}])
    page = context.new_page()

    page.goto(f"/projects/{pid}/deployment")
    table = page.get_by_test_id("variant-table")
    table.wait_for()
    cells = {
        name: page.get_by_test_id(name).inner_text()
        for name in (
            "float32-Validation accuracy",
            "int8-Validation accuracy",
            "float32-Latency",
            "int8-Latency",
            "float32-RAM",
            "int8-RAM",
            "float32-Flash",
            "int8-Flash",
            "int8-Test accuracy",
        )
    }
    assert cells == {
        "float32-Validation accuracy": "96.0%",
        "int8-Validation accuracy": "57.0%",
        "float32-Latency": "2.50 ms",
        "int8-Latency": "1.25 ms",
        "float32-RAM": "3.0 KB",
        "int8-RAM": "2.0 KB",
        "float32-Flash": "20.0 KB",
        "int8-Flash": "15.0 KB",
        "int8-Test accuracy": "–",
    }
    warning = page.get_by_test_id("variant-warning")
    assert "39.0 points below float32" in warning.inner_text()
    assert page.get_by_role("radio", name="int8 (smaller, faster)").is_checked()
    warning.get_by_role("button", name="Use the float32 model").click()
    assert page.get_by_role("radio", name="float32 (exact)").is_checked()
    shot(page, "50-deployment-variants")

    page.goto(f"/projects/{pid}/training")
    page.get_by_test_id("variant-warning").wait_for()
    page.get_by_role("link", name="Test the float32 model").click()
    page.wait_for_url(f"**/projects/{pid}/testing?variant=float32")
    page.get_by_test_id("variant-warning").wait_for()  # the testing page says it too
    assert page.get_by_role("radio", name="float32").is_checked()
