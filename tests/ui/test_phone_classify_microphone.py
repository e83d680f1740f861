"""'Classify on this phone' with a keyword audio impulse: the phone runs the project's WebAssembly
build on its microphone (Chromium's fake audio device stands in for it), and the scores of the
window it heard equal the board library's (gcc) for the same 16-bit values, bit for bit. Then the
same phone streams its microphone to the studio's live classification, and the studio saves the
last second it heard as a test sample."""

from __future__ import annotations

import importlib.util
import io
import json
import secrets
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pytest
from support.library_build import run_host
from support.synthetic_audio import dataset
from testkit import wait_for
from ui.browserkit import CHROMIUM_ARGS, api_user, shot

pytestmark = [pytest.mark.services, pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc is not installed")]
ROOT = Path(__file__).resolve().parents[2]
FAKE_MEDIA = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]
KEYWORDS = {
    "input": {"axes": ["audio"], "window_size_ms": 1000, "window_increase_ms": 500, "frequency_hz": 16000},
    "processing": [{"id": "dsp", "type": "mfcc", "params": {}}],
    "learning": [{"id": "classifier", "type": "keras-classifier", "inputs": ["dsp"], "params": {"epochs": 3}}],
}


def _add_sample():
    spec = importlib.util.spec_from_file_location("phone_mic_data", ROOT / "tests/backend/impulse/motion_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.add_sample


def _finished(api, pid, job_id):
    return wait_for(
        lambda: (
            (j := api.get(f"/api/projects/{pid}/jobs/{job_id}").json())["status"] not in ("queued", "running") and j
        ),
        timeout=400,
        what=f"job {job_id}",
    )


def test_the_phone_classifies_its_microphone_with_the_boards_code(
    playwright, live_server, built_ui, worker, interactive_queue_worker, tmp_path
):
    owner = api_user(live_server, f"phone_mic_{secrets.token_hex(3)}")
    pid = owner.post("/api/projects", json={"name": "Pocket keywords"}).json()["id"]
    add_sample = _add_sample()
    for i, (label, clip) in enumerate(dataset(6, seed=7)):
        category = "testing" if i >= 15 else "training"
        add_sample(pid, label, clip.reshape(-1, 1), category=category, interval_ms=1000 / 16000, axes=["audio"])
    imp = owner.post(f"/api/projects/{pid}/impulses", json={"name": "keywords", "config": KEYWORDS})
    assert imp.status_code == 201, imp.text
    base = f"/api/projects/{pid}/impulses/{imp.json()['id']}"
    assert _finished(owner, pid, owner.post(f"{base}/features").json()["id"])["status"] == "succeeded"
    train = _finished(owner, pid, owner.post(f"{base}/train").json()["id"])
    assert train["status"] == "succeeded", train["error"]
    key = owner.post(f"/api/projects/{pid}/apikeys/phone").json()["key"]

    browser = playwright.chromium.launch(
        executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS + FAKE_MEDIA
    )
    try:
        phone = browser.new_page(viewport={"width": 390, "height": 844}, base_url=live_server)
        phone.set_default_timeout(20_000)
        phone.goto(f"/phone?apiKey={key}")
        card = phone.get_by_test_id("classify-on-phone")
        card.get_by_role("button", name="Classify on this phone").click()
        card.get_by_text("Listening to the microphone").wait_for(timeout=400_000)
        card.get_by_test_id("phone-prediction").wait_for()
        heard = json.loads(card.get_by_test_id("phone-last-window").locator("pre").text_content())
        shot(phone, "72-phone-classifying-microphone")
        card.get_by_role("button", name="Stop").click()
        _stream_to_the_studio(browser, live_server, owner, pid, phone)
    finally:
        browser.close()

    (built,) = owner.get(f"/api/projects/{pid}/deployments").json()
    z = zipfile.ZipFile(io.BytesIO(owner.get(built["download_url"]).content))
    root = z.namelist()[0].split("/")[0]
    sources = {
        n.split("/src/")[1]: z.read(n).decode() for n in z.namelist() if "/src/" in n and not n.endswith("tf_wasm.c")
    }
    values = np.asarray([heard["values"]], dtype=np.float32)
    assert values.shape == (1, 16000) and np.all(values == np.round(values)) and np.ptp(values) > 100  # 16-bit sound
    native = run_host(sources, f"{root}.h", values, tmp_path).scores[0]
    assert np.array_equal(native.view(np.uint32), np.asarray(heard["scores"], dtype=np.float32).view(np.uint32))


def _stream_to_the_studio(browser, live_server: str, owner, pid: int, phone) -> None:
    """Live classification of the phone's microphone in the studio: windows classified as the sound
    streams in, then the last second saved as one 16 kHz test sample."""
    studio = browser.new_context(viewport={"width": 1360, "height": 900}, base_url=live_server)
    studio.add_cookies([{"name": "tf_session", "value": owner.cookies["tf_session"], "url": live_server}])
    before = owner.get(f"/api/projects/{pid}/samples", params={"include_total": True}).json()["total"]
    try:
        page = studio.new_page()
        page.set_default_timeout(30_000)
        page.goto(f"/projects/{pid}/classify")
        page.get_by_role("tab", name="Live from a device").click()
        page.get_by_role("textbox", name="Device").click()
        page.get_by_role("option", name="MOBILE_CLIENT").first.click()
        page.get_by_role("textbox", name="Sensor").click()
        page.get_by_role("option", name="Microphone").click()
        page.get_by_role("button", name="Start", exact=True).click()
        phone.get_by_test_id("phone-streaming").get_by_text("Streaming the microphone").wait_for()
        page.get_by_test_id("live-state").get_by_text("live", exact=True).wait_for()
        summary = owner.get(f"/api/projects/{pid}/samples/summary").json()
        labels = {row["label"] for row in summary["per_label"]}
        wait_for(
            lambda: len(rows := page.locator("[data-testid=live-window]").all()) >= 3 and rows,
            timeout=60,
            interval=0.25,
            what="three windows of the phone's microphone classified",
        )
        predictions = {r.get_attribute("data-prediction") for r in page.locator("[data-testid=live-window]").all()}
        assert predictions and predictions <= labels | {"", "uncertain"}, (predictions, labels)
        shot(page, "73-live-classification-microphone")
        page.get_by_label("Label for the saved sample").fill("heard")
        page.get_by_label("Last seconds").fill("1")
        page.get_by_role("button", name="Save as test sample").click()
        page.get_by_test_id("live-saved").get_by_text("16000 readings").wait_for()
        page.get_by_role("button", name="Stop").click()
        phone.get_by_test_id("phone-streaming").wait_for(state="detached")
    finally:
        studio.close()
    listed = owner.get(f"/api/projects/{pid}/samples", params={"category": "testing", "label": "heard"}).json()
    assert owner.get(f"/api/projects/{pid}/samples", params={"include_total": True}).json()["total"] == before + 1
    (saved,) = listed["items"]
    detail = owner.get(f"/api/projects/{pid}/samples/{saved['id']}", params={"max_points": 0}).json()
    values = np.asarray(detail["values"], dtype=np.float32).ravel()
    assert values.shape == (16000,) and np.all(values == np.round(values)) and np.ptp(values) > 100  # 16-bit sound
    assert abs(detail["interval_ms"] - 1000 / 16000) < 1e-9
