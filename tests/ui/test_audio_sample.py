"""An audio sample in the studio: a WAV uploaded, see its waveform and spectrogram, preview the split
by events, play one cut, apply."""

from __future__ import annotations

import secrets

import numpy as np
import pytest
from support.bursts import bursts_in_noise, wav_bytes
from ui.browserkit import api_user, settle, shot

pytestmark = pytest.mark.services

# Whether a canvas shows anything but its background: some pixel differs from the top-left one.
DRAWN = """el => {
  const g = el.getContext('2d');
  const d = g.getImageData(0, 0, el.width, el.height).data;
  for (let i = 4; i < d.length; i += 4)
    if (d[i] !== d[0] || d[i + 1] !== d[1] || d[i + 2] !== d[2] || d[i + 3] !== d[3]) return true;
  return false;
}"""


def test_audio_sample_waveform_spectrogram_split_preview_play_and_apply(studio):
    context, url = studio
    owner = api_user(url, f"sound_{secrets.token_hex(3)}")
    pid = owner.post("/api/projects", json={"name": "Keywords"}).json()["id"]
    context.add_cookies([{"name": "tf_session", "value": owner.cookies["tf_session"], "url": url}])
    data, truth = bursts_in_noise(np.random.default_rng(11), 16000, 6.0, -50, count=3, gap_s=(1.0, 1.3))
    assert len(truth) == 3
    # Uploaded through the API: the upload dialog has its own test (test_data_page.py).
    r = owner.post(
        "/api/training/files",
        headers={"x-project-id": str(pid)},
        files=[("data", ("hello.01.wav", wav_bytes(data, 16000), "audio/wav"))],
    )
    assert r.status_code == 200 and r.json()["success"], r.text

    page = context.new_page()
    page.goto(f"/projects/{pid}/data")
    page.get_by_test_id("sample-row").get_by_role("button", name="hello.01", exact=True).click()
    waveform = page.get_by_role("img", name="Waveform")
    spectrogram = page.get_by_role("img", name="Spectrogram")
    waveform.wait_for()
    page.locator("canvas[aria-label=Spectrogram][data-ready=true]").wait_for()
    assert waveform.evaluate(DRAWN) and spectrogram.evaluate(DRAWN)

    page.get_by_role("button", name="Preview split").click()
    cuts = page.get_by_test_id("split-cut")
    cuts.nth(2).wait_for()
    assert cuts.count() == 3 and waveform.get_attribute("data-cuts") == "3"
    page.get_by_role("button", name="Play cut 2").click()
    page.wait_for_function(
        "start => { const a = document.querySelector('audio'); return a && !a.paused && a.currentTime > start; }",
        arg=truth[1][0] / 1000 - 0.5,
    )
    shot(page, "45-audio-sample-split-preview")

    page.get_by_role("button", name="Apply (3 new samples)").click()
    page.get_by_test_id("sample-row").get_by_role("button", name="hello.01.s3", exact=True).wait_for()
    names = [owner_sample["name"] for owner_sample in owner.get(f"/api/projects/{pid}/samples").json()["items"]]
    assert sorted(names) == ["hello.01", "hello.01.s1", "hello.01.s2", "hello.01.s3"]


def test_audio_sample_select_by_dragging_on_the_waveform_play_and_crop(studio):
    context, url = studio
    owner = api_user(url, f"crop_{secrets.token_hex(3)}")
    pid = owner.post("/api/projects", json={"name": "Crops"}).json()["id"]
    context.add_cookies([{"name": "tf_session", "value": owner.cookies["tf_session"], "url": url}])
    data, _ = bursts_in_noise(np.random.default_rng(5), 16000, 4.0, -50, count=2, gap_s=(1.0, 1.3))
    r = owner.post(
        "/api/training/files",
        headers={"x-project-id": str(pid)},
        files=[("data", ("yes.01.wav", wav_bytes(data, 16000), "audio/wav"))],
    )
    assert r.status_code == 200 and r.json()["success"], r.text
    sid = owner.get(f"/api/projects/{pid}/samples").json()["items"][0]["id"]

    page = context.new_page()
    page.goto(f"/projects/{pid}/data")
    page.get_by_test_id("sample-row").get_by_role("button", name="yes.01", exact=True).click()
    waveform = page.get_by_role("img", name="Waveform")
    waveform.wait_for()
    crop = page.get_by_role("button", name="Crop to selection")
    assert crop.is_disabled()
    settle(page)  # the drawer has slid in: the waveform's box stays where it is measured
    box = waveform.bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.25, y)  # 1.0 s
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.5, y, steps=5)
    page.mouse.move(box["x"] + box["width"] * 0.75, y, steps=5)  # 3.0 s
    page.mouse.up()
    start, end = (int(v) for v in waveform.get_attribute("data-selection").split("-"))
    assert abs(start - 1000) <= 40 and abs(end - 3000) <= 40, (start, end)
    assert page.get_by_label("Selection from (ms)").input_value() == str(start)

    page.get_by_role("button", name="Play selection").click()
    page.wait_for_function(
        "s => { const a = document.querySelector('audio'); return a && !a.paused && a.currentTime >= s; }",
        arg=start / 1000,
    )
    shot(page, "46-audio-sample-selection")
    crop.click()
    page.wait_for_function("() => !document.querySelector('canvas[aria-label=Waveform]').dataset.selection")
    sample = owner.get(f"/api/projects/{pid}/samples/{sid}").json()
    assert abs(sample["length_ms"] - (end - start)) <= 1, (sample["length_ms"], start, end)
    page.get_by_text(f"{(end - start) / 1000:.2f} s").wait_for()  # the drawer shows the cropped length
