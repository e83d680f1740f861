"""The phone page records the microphone at 16 kHz (Chromium's fake audio device stands in for it)."""

from __future__ import annotations

import pytest
from ui.browserkit import CHROMIUM_ARGS, api_paths, api_user, shot

pytestmark = pytest.mark.services

FAKE_MEDIA = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]


def test_phone_records_one_second_of_audio_at_16_khz(playwright, live_server, built_ui):
    if "/api/device-key" not in api_paths(live_server):
        pytest.skip("devices API not in this build yet")
    owner = api_user(live_server, "listener")
    pid = owner.post("/api/projects", json={"name": "Keyword spotting"}).json()["id"]
    key = owner.post(f"/api/projects/{pid}/apikeys", json={"name": "phone", "role": "ingestiononly"}).json()["key"]
    browser = playwright.chromium.launch(
        executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS + FAKE_MEDIA
    )
    try:
        phone = browser.new_page(viewport={"width": 390, "height": 844}, base_url=live_server)
        phone.goto(f"/phone?apiKey={key}&label=beep")
        phone.get_by_test_id("phone-state").get_by_text("connected").wait_for(timeout=15_000)
        phone.get_by_text("Microphone", exact=True).click()
        phone.get_by_label("Length (seconds)").fill("1")
        phone.get_by_role("button", name="Start recording").click()
        phone.get_by_test_id("phone-message").wait_for(timeout=20_000)
        assert "Uploaded" in phone.get_by_test_id("phone-message").inner_text()
        shot(phone, "42-phone-microphone")
    finally:
        browser.close()
    sample = owner.get(f"/api/projects/{pid}/samples").json()["items"][0]
    assert sample["label"] == "beep"
    assert sample["frequency_hz"] == 16000
    assert sample["n_rows"] == 16000 and sample["n_axes"] == 1
    assert sample["signature_status"] == "valid"
