"""The versions page: save two versions with a relabel between them, read the diff, turn on the
public link and open it in a fresh browser context that never signed in; revoke it."""

from __future__ import annotations

import importlib.util
import secrets
from pathlib import Path

import pytest
from ui.browserkit import shot, sign_up_and_create_project

pytestmark = pytest.mark.services

MOTION = Path(__file__).resolve().parents[1] / "backend" / "impulse" / "motion_data.py"


def _motion():
    spec = importlib.util.spec_from_file_location("ui_motion_data", MOTION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_save_compare_and_share_a_version(studio, browser):
    context, url = studio
    page = context.new_page()
    pid = sign_up_and_create_project(page, f"versions_{secrets.token_hex(3)}", "Gestures")
    motion = _motion()
    ids = [
        motion.add_sample(pid, label, motion.motion(label, 2, seed=i))
        for i, label in enumerate(["idle", "idle", "wave"])
    ]

    r = page.request.post(f"{url}/api/projects/{pid}/impulses", data={"name": "motion", "config": motion.IMPULSE})
    assert r.ok, r.text()
    page.get_by_role("link", name="Versions").click()
    page.get_by_role("heading", name="Versions", level=1).wait_for()
    page.get_by_label("Description").fill("three samples")
    page.get_by_role("button", name="Save a version").last.click()
    page.get_by_test_id("version-row").first.wait_for()
    r = page.request.patch(f"{url}/api/projects/{pid}/samples/{ids[1]}", data={"label": "still"})
    assert r.ok, r.text()
    page.get_by_label("Description").fill("idle #2 relabeled")
    page.get_by_role("button", name="Save a version").last.click()
    rows = page.get_by_test_id("version-row")
    rows.nth(1).wait_for()
    newest = rows.first.inner_text()
    assert "idle #2 relabeled" in newest and "v2" in newest.lower()

    diff = page.get_by_test_id("version-diff")
    diff.wait_for()
    assert page.get_by_test_id("count-relabeled").inner_text() == "1"
    assert page.get_by_test_id("count-added").inner_text() == "0"
    page.get_by_test_id("samples-relabeled").get_by_role("button").click()
    page.get_by_test_id("samples-relabeled").get_by_text(f"#{ids[1]}").wait_for()
    assert "Same configuration" in page.get_by_test_id("impulse-change").inner_text()

    page.get_by_role("switch", name="Public link of v2").locator("..").click()  # the visible label
    link = page.get_by_test_id("public-link")
    link.wait_for()
    public_url = link.get_attribute("href")
    assert public_url and "/public/versions/" in public_url
    shot(page, "versions-page")

    anonymous = browser.new_context(viewport={"width": 1280, "height": 900})
    anonymous.set_default_timeout(15_000)
    try:
        public = anonymous.new_page()
        public.goto(public_url)
        public.get_by_role("heading", name="Gestures · v2").wait_for()
        public.get_by_test_id("public-sample-row").nth(2).wait_for()
        assert public.get_by_test_id("public-sample-row").count() == 3
        assert "still" in public.get_by_role("table", name="Samples of this version").inner_text()
        public.get_by_role("button", name="Show values").first.click()
        public.get_by_test_id("public-sample-values").locator("canvas").first.wait_for()
        shot(public, "public-version")
        assert not public.get_by_role("button", name="Save a version").count()

        page.get_by_role("switch", name="Public link of v2").locator("..").click()  # the visible label
        page.get_by_test_id("public-link").wait_for(state="detached")
        public.reload()
        public.get_by_text("does not exist or was revoked").wait_for()
    finally:
        anonymous.close()
