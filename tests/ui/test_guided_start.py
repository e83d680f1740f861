"""The guided start in the browser: a new project's dashboard says what to do next, the sample
project fills it in one click, and jobs and activity read in plain words."""

from __future__ import annotations

import pytest
from ui.browserkit import shot, sign_up_and_create_project

pytestmark = pytest.mark.services


def test_sample_project_moves_the_dashboard_on_to_designing_an_impulse(studio):
    context, url = studio
    page = context.new_page()
    pid = sign_up_and_create_project(page, "newcomer", "First steps")
    next_step = page.get_by_test_id("next-step")
    next_step.get_by_text("Next: collect data").wait_for()
    assert next_step.get_by_role("link", name="Collect data").get_attribute("href") == f"/projects/{pid}/data"
    next_step.get_by_role("button", name="Sample project").click()
    next_step.get_by_text("Next: design an impulse").wait_for()
    assert page.get_by_test_id("stage-collect").get_by_text("18 training, 6 testing, 3 labels").count()
    page.get_by_label("Activity feed").get_by_text("filled the project with sample data (24 samples)").wait_for()
    # A job reads as what it does, not as its task name.
    r = context.request.post(f"{url}/api/projects/{pid}/jobs/selftest", data={"steps": 1, "step_seconds": 0})
    assert r.ok, r.text()
    page.get_by_role("group", name="Jobs").get_by_text("Checking the workers").wait_for()
    assert page.get_by_role("group", name="Jobs").get_by_text("diagnostics.selftest").count() == 0
    page.get_by_label("Activity feed").get_by_text("started checking the workers").wait_for()
    shot(page, "40-guided-start")
    next_step.get_by_role("link", name="Design an impulse").click()
    page.wait_for_url(f"**/projects/{pid}/impulse")
    context.request.post(f"{url}/api/projects/{pid}/jobs/{r.json()['id']}/cancel")

    # From the projects page: a new project with the sample data, opened on its dashboard.
    page.goto("/")
    page.get_by_role("button", name="Sample project").click()
    page.get_by_role("heading", name="Motion sample", level=1).wait_for()
    page.get_by_test_id("next-step").get_by_text("Next: design an impulse").wait_for()
