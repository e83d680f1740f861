"""The whole path in a real browser: account, project, team and keys, a phone as a sensor,
recording three labels, and (as the APIs exist) the impulse, training, testing and deployment."""

from __future__ import annotations

import re
import zipfile

import pytest
from ui.browserkit import api_paths, api_user, shot, sign_up_and_create_project

pytestmark = pytest.mark.services

PROJECT_PAGES = ["devices", "data", "serial", "impulse", "features", "training", "testing", "classify", "deployment"]

# A phone held still, then waved: x/y/z in m/s2 at ~60 Hz, different per label.
MOTION_FEEDER = """
([amp]) => {
  clearInterval(window.__feeder);
  let t = 0;
  window.__feeder = setInterval(() => {
    t += 16;
    const w = amp * Math.sin(t / 80);
    window.dispatchEvent(new DeviceMotionEvent('devicemotion', {
      accelerationIncludingGravity: {x: w, y: 0.3 + w / 2, z: 9.81}, interval: 16}));
  }, 16);
}
"""


def test_sign_up_create_project_and_visit_every_page(studio):
    context, _ = studio
    page = context.new_page()
    pid = sign_up_and_create_project(page, "ada", "Gestures")
    shot(page, "01-dashboard")
    page.get_by_label("Key name").fill("lab board")
    page.get_by_role("button", name="Create key").click()
    assert re.fullmatch(r"\S{20,}", page.get_by_test_id("new-api-key").inner_text())
    page.get_by_role("button", name="Show HMAC key").click()
    assert re.fullmatch(r"[0-9a-f]{32,}", page.get_by_test_id("hmac-key").inner_text())
    page.get_by_label("Activity feed").get_by_text("created an API key").wait_for()
    page.get_by_label("Online now").get_by_label("ada").wait_for()
    shot(page, "02-dashboard-keys")
    for name in PROJECT_PAGES:
        page.goto(f"/projects/{pid}/{name}")
        page.get_by_role("heading", level=1).wait_for()
        assert page.get_by_text("Something went wrong").count() == 0, name
        shot(page, f"10-{name}")
    page.goto("/")
    page.get_by_role("link", name="Open Gestures").wait_for()
    shot(page, "00-projects")


def test_a_viewer_sees_read_only_controls(studio):
    context, url = studio
    owner = api_user(url, "owner1")
    pid = owner.post("/api/projects", json={"name": "Shared"}).json()["id"]
    viewer = api_user(url, "viewer1")
    owner.post(f"/api/projects/{pid}/invitations", json={"username": "viewer1", "role": "viewer"}).raise_for_status()
    invitation = viewer.get("/api/invitations").json()[0]
    viewer.post(f"/api/invitations/pending/{invitation['id']}/accept").raise_for_status()
    context.add_cookies([{"name": "tf_session", "value": viewer.cookies["tf_session"], "url": url}])
    page = context.new_page()
    page.goto(f"/projects/{pid}")
    page.get_by_text("viewer", exact=True).first.wait_for()
    assert page.get_by_role("button", name="Create key").count() == 0
    assert page.get_by_role("button", name="Show HMAC key").count() == 0
    page.goto(f"/projects/{pid}/devices")
    page.get_by_role("heading", name="Devices").wait_for()
    assert page.get_by_role("button", name="Connect a phone").count() == 0


def test_another_projects_page_says_not_found(studio):
    context, url = studio
    page = context.new_page()
    sign_up_and_create_project(page, "outsider", "Mine")
    other = api_user(url, "stranger").post("/api/projects", json={"name": "Theirs"}).json()["id"]
    page.goto(f"/projects/{other}")
    page.get_by_role("alert").get_by_text("not found").wait_for()


def _record_on_phone(phone, label: str, amp: float, seconds: int, category: str) -> None:
    phone.evaluate(MOTION_FEEDER, [amp])
    phone.get_by_label("Label").fill(label)
    phone.get_by_label("Length (seconds)").fill(str(seconds))
    phone.get_by_role("textbox", name="Category").click()
    phone.get_by_role("option", name=category).click()
    phone.get_by_role("button", name="Start recording").click()
    phone.get_by_test_id("phone-message").get_by_text("Uploaded").wait_for(timeout=30_000)


def _wait_job(page, timeout_s: int = 240) -> None:
    status = page.get_by_test_id("job-status").last
    status.get_by_text(re.compile("succeeded|failed|cancelled")).wait_for(timeout=timeout_s * 1000)
    assert status.inner_text().lower() == "succeeded", page.get_by_role("alert").all_inner_texts()


def test_phone_to_arduino_library(browser, studio, worker, interactive_worker, tmp_path):
    """Sign up, connect a phone, record 3 labels, design, generate features, train, test, build, download."""
    context, url = studio
    paths = api_paths(url)
    if "/api/device-key" not in paths or "/api/{category}/data" not in paths:
        pytest.skip("devices/ingestion API not in this build yet")
    page = context.new_page()
    pid = sign_up_and_create_project(page, "grace", "Wave detector")
    page.goto(f"/projects/{pid}/devices")
    page.get_by_role("button", name="Connect a phone").click()
    link = page.get_by_test_id("phone-link").inner_text()
    page.get_by_alt_text("QR code with the phone link").wait_for()
    shot(page, "20-connect-phone")
    page.keyboard.press("Escape")

    phone_ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        phone = phone_ctx.new_page()
        phone.goto(link)
        phone.get_by_test_id("phone-state").get_by_text("connected").wait_for()
        for label, amp in (("idle", 0.05), ("wave", 6.0), ("circle", 3.0)):
            _record_on_phone(phone, label, amp, 4, "Training")
            _record_on_phone(phone, label, amp, 2, "Testing")
        shot(phone, "21-phone")
        page.get_by_test_id("device-card").get_by_text("online").wait_for()
        # The studio asks the phone to record (remote management), and follows its progress live.
        page.get_by_label("Label").fill("wave")
        page.get_by_label("Length (s)").fill("2")
        page.get_by_role("textbox", name="Category").click()
        page.get_by_role("option", name="testing").click()
        page.get_by_role("button", name="Start sampling").click()
        page.get_by_test_id("sampling-stage").get_by_text("Done").wait_for(timeout=30_000)
        shot(page, "22-devices-with-phone")
    finally:
        phone_ctx.close()

    page.goto(f"/projects/{pid}/data")
    page.get_by_test_id("sample-row").nth(6).wait_for()
    assert page.get_by_test_id("sample-row").count() == 7
    page.get_by_label("Samples per label").get_by_text("circle").wait_for()
    shot(page, "23-data")
    page.get_by_test_id("sample-row").first.get_by_role("button").first.click()
    page.get_by_role("img", name=re.compile("Signal chart of accX")).wait_for()
    shot(page, "24-sample-viewer")

    if "/api/projects/{project_id}/impulses" not in paths:
        return
    page.goto(f"/projects/{pid}/impulse")
    page.get_by_role("button", name="Save impulse").click()
    page.get_by_text("version 1").wait_for()
    shot(page, "25-impulse")
    page.goto(f"/projects/{pid}/features")
    page.get_by_role("textbox", name="Sample").click()
    page.get_by_role("option").first.click()
    page.get_by_role("button", name="Show").click()
    page.get_by_role("img", name="After filter").wait_for(timeout=60_000)
    page.get_by_role("button", name="Generate features").click()
    _wait_job(page)
    page.get_by_test_id("features-summary").wait_for()
    page.get_by_role("button", name="Open the feature explorer").click()
    page.get_by_role("img", name="Feature explorer").wait_for(timeout=120_000)
    shot(page, "26-features")
    page.goto(f"/projects/{pid}/training")
    page.get_by_role("button", name="Start training").click()
    _wait_job(page)
    page.get_by_test_id("int8-accuracy").wait_for()
    page.get_by_label("float32 per-class scores").wait_for()
    assert re.search(r"[\d.]+ ms per window", page.get_by_test_id("int8-estimate").inner_text())
    shot(page, "27-training")
    page.goto(f"/projects/{pid}/testing")
    page.get_by_role("button", name="Classify all test samples").click()
    _wait_job(page)
    page.get_by_label("Test results").wait_for()
    shot(page, "28-testing")
    page.goto(f"/projects/{pid}/classify")
    page.get_by_role("textbox", name="Test sample").click()
    page.get_by_role("option").first.click()
    page.get_by_role("button", name="Classify", exact=True).click()
    answer = page.get_by_label("Classification per window").or_(page.get_by_role("alert"))
    answer.first.wait_for(timeout=60_000)
    assert page.get_by_role("alert").count() == 0, page.get_by_role("alert").all_inner_texts()
    shot(page, "29-classify")

    if "/api/projects/{project_id}/deployments" not in paths:
        return
    page.goto(f"/projects/{pid}/deployment")
    page.get_by_role("button", name="Build").click()
    download_button = page.get_by_test_id("build-row").first.get_by_role("link", name="Download")
    download_button.wait_for(timeout=240_000)
    shot(page, "31-deployment")
    with page.expect_download() as dl:
        download_button.click()
    path = tmp_path / "library.zip"
    dl.value.save_as(path)
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
    top = {n.split("/")[0] for n in names}
    assert len(top) == 1 and next(iter(top)).endswith("_inferencing"), top
    assert any(n.endswith("/library.properties") for n in names)
    assert any(n.endswith(".ino") for n in names)
