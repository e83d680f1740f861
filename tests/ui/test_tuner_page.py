"""The tuner page: start a small search and watch its candidate rows change live (project
events from a real worker), then cancel it."""

from __future__ import annotations

import importlib.util
import secrets
from pathlib import Path

import pytest
from ui.browserkit import api_user, shot

pytestmark = pytest.mark.services
MOTION_DATA = Path(__file__).resolve().parents[1] / "backend" / "impulse" / "motion_data.py"


def _motion():
    spec = importlib.util.spec_from_file_location("ui_tuner_motion_data", MOTION_DATA)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_search_started_in_the_studio_shows_its_candidates_live(studio, worker):
    context, url = studio
    motion = _motion()
    owner = api_user(url, f"tuner_{secrets.token_hex(3)}")
    pid = owner.post("/api/projects", json={"name": "Tuner UI"}).json()["id"]
    motion.add_motion_dataset(pid, train_per_class=3, test_per_class=1, seconds=4)
    r = owner.post(f"/api/projects/{pid}/impulses", json={"name": "motion", "config": motion.IMPULSE})
    assert r.status_code == 201, r.text
    context.add_cookies([{"name": "tf_session", "value": owner.cookies["tf_session"], "url": url}])
    page = context.new_page()
    page.goto(f"/projects/{pid}/tuner")
    page.get_by_role("link", name="Tuner").wait_for()
    page.get_by_label("Candidates").fill("2")
    page.get_by_label("RAM (KB)").fill("64")
    page.get_by_role("textbox", name="Board").click()
    page.get_by_role("option", name="Arduino Nano 33 BLE Sense", exact=False).click()
    page.get_by_text("latency at 64 MHz").wait_for()
    page.get_by_role("button", name="Start search").click()
    rows = page.get_by_test_id("candidate-row")
    rows.nth(1).wait_for()
    assert rows.count() == 2 and "your impulse: motion" in rows.nth(0).inner_text()
    limits = owner.get(f"/api/projects/{pid}/tuner/runs").json()[0]["constraints"]
    assert (limits["board"], limits["ram_kb"], limits["flash_kb"], limits["clock_mhz"]) == (
        "arduino-nano-33-ble-sense",
        64,
        1024,
        64,
    )
    # no reload: the rows follow the worker through the project's event stream
    page.get_by_test_id("candidate-row").filter(has_text="%").first.wait_for(timeout=120_000)
    page.get_by_role("img", name="Candidates: accuracy against latency, point size is RAM").wait_for()
    shot(page, "60-tuner")
    page.get_by_role("button", name="Cancel").click()
    page.get_by_text("cancelled · round").wait_for()
