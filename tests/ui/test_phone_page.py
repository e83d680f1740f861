"""The phone page shows what the studio asked it to record, while it records."""

from __future__ import annotations

import secrets

import pytest
from ui.browserkit import api_paths, api_user, shot
from ui.test_studio_flow import MOTION_FEEDER

pytestmark = pytest.mark.services


def test_the_phone_shows_the_label_length_and_sensor_the_studio_asked_for(browser, studio):
    context, url = studio
    if "/api/device-key" not in api_paths(url):
        pytest.skip("devices API not in this build yet")
    owner = api_user(url, f"recorder_{secrets.token_hex(3)}")
    pid = owner.post("/api/projects", json={"name": "Phone asks"}).json()["id"]
    key = owner.post(f"/api/projects/{pid}/apikeys/phone").json()["key"]
    context.add_cookies([{"name": "tf_session", "value": owner.cookies["tf_session"], "url": url}])
    page = context.new_page()
    page.goto(f"/projects/{pid}/devices")

    phone_ctx = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, base_url=url
    )
    try:
        phone = phone_ctx.new_page()
        phone.goto(f"/phone?apiKey={key}")
        phone.get_by_test_id("phone-state").get_by_text("connected").wait_for()
        phone.evaluate(MOTION_FEEDER, [4.0])
        page.get_by_test_id("device-card").get_by_text("online").wait_for()
        page.get_by_label("Label").fill("circle")
        page.get_by_label("Length (s)").fill("3")
        page.get_by_role("button", name="Start sampling").click()

        now = phone.get_by_test_id("phone-recording")
        now.get_by_label("Recording label").get_by_text("circle", exact=True).wait_for()
        text = now.inner_text().lower()
        assert "3 s · accelerometer · training" in text and "asked by the studio" in text, text
        shot(phone, "61-phone-recording-for-the-studio")
        phone.get_by_test_id("phone-message").get_by_text("Uploaded").wait_for(timeout=30_000)
        assert phone.get_by_test_id("phone-recording").count() == 0
    finally:
        phone_ctx.close()
