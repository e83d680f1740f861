"""Audio in the dataset API: WAV uploads, playback, spectrogram, and split by events."""

from __future__ import annotations

import io
import secrets

import numpy as np
import pytest
from scipy.io import wavfile
from support.bursts import bursts_in_noise, wav_bytes
from testkit import Api

pytestmark = pytest.mark.services


def _project(client) -> tuple[int, dict[str, Api]]:
    people = {}
    for role in ("owner", "editor", "viewer"):
        name = f"{role}_{secrets.token_hex(4)}"
        r = client.post("/api/auth/signup", json={"username": name, "password": "correct horse battery"})
        client.cookies.clear()
        people[role] = Api(client, name, r.json()["token"], r.json()["user"]["id"])
    pid = people["owner"].post("/api/projects", json={"name": "Words"}).json()["id"]
    for role in ("editor", "viewer"):
        inv = people["owner"].post(
            f"/api/projects/{pid}/invitations", json={"username": people[role].username, "role": role}
        )
        assert people[role].post(f"/api/invitations/{inv.json()['token']}/accept").status_code == 200
    return pid, people


@pytest.fixture(scope="module")
def projects(app):
    """Two projects for the whole module (signing up people is the slow part); names keep tests apart."""
    from fastapi.testclient import TestClient

    with TestClient(app) as client:
        yield _project(client), _project(client)


@pytest.fixture()
def audio(projects):
    pid, people = projects[0]

    def upload(name, body, category="training", who="editor", label=None):
        headers = {"x-project-id": str(pid)}
        if label:
            headers["x-label"] = label
        return people[who].post(f"/api/{category}/files", files=[("data", (name, body, "audio/wav"))], headers=headers)

    def stored(name, body, **kw):
        r = upload(name, body, **kw)
        assert r.status_code == 200 and r.json()["files"][0]["success"], r.text
        sample_id = r.json()["files"][0]["sampleId"]
        return people["viewer"].get(f"/api/projects/{pid}/samples/{sample_id}", params={"max_points": 10}).json()

    return pid, people, upload, stored


def samples_named(api, pid, prefix):
    items = api.get(f"/api/projects/{pid}/samples", params={"search": prefix, "limit": 1000}).json()["items"]
    return sorted(items, key=lambda s: s["name"])


@pytest.mark.parametrize("rate", [8000, 16000, 44100, 48000])
def test_mono_wav_uploads_keep_their_rate(audio, rate):
    pid, people, upload, stored = audio
    tone = (np.sin(np.arange(rate // 20) * 2 * np.pi * 440 / rate) * 10000).astype(np.int16)
    s = stored("tone.wav", wav_bytes(tone, rate))
    assert (s["frequency_hz"], s["n_rows"], s["n_axes"]) == (pytest.approx(rate), rate // 20, 1)
    assert "upload_warning" not in s["metadata"]


def test_stereo_wav_is_down_mixed_and_the_uploader_is_told(audio):
    pid, people, upload, stored = audio
    left = np.full(800, 1000, np.int16)
    r = upload("stereo.wav", wav_bytes(np.stack([left, -left // 2], axis=1), 16000))
    assert r.status_code == 200, r.text
    [result] = r.json()["files"]
    assert result["success"] and result["warnings"] == [
        "Stereo audio was down-mixed to mono (the mean of the 2 channels)"
    ]
    s = people["viewer"].get(f"/api/projects/{pid}/samples/{result['sampleId']}").json()
    assert s["n_axes"] == 1 and s["sensors"] == [{"name": "audio", "units": "wav"}]
    assert s["values"][0] == [250.0] and "down-mixed" in s["metadata"]["upload_warning"]


@pytest.mark.parametrize(
    "body, problem",
    [
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", "truncated"),
        (b"RIFF\x04\x00\x00\x00WAVX" + b"\x00" * 40, "is not a WAV file"),
        (wav_bytes(np.zeros(0, np.int16), 16000), "holds no audio samples"),
    ],
    ids=["truncated", "not-wave", "empty"],
)
def test_malformed_wav_is_a_400_naming_the_problem(audio, body, problem):
    pid, people, upload, _ = audio
    r = upload("bad.wav", body)
    assert r.status_code == 400, r.text
    assert problem in r.json()["files"][0]["error"] and r.json()["files"][0]["error"].startswith("bad.wav")
    assert samples_named(people["viewer"], pid, "bad") == []  # no other test names a sample so


def test_audio_wav_plays_the_sample_or_a_part_and_only_for_members(audio, projects):
    pid, people, upload, stored = audio
    data = (np.arange(16000) % 200 - 100).astype(np.int16) * 100
    s = stored("ramp.wav", wav_bytes(data, 16000))
    url = f"/api/projects/{pid}/samples/{s['id']}/audio.wav"
    r = people["viewer"].get(url)
    assert r.status_code == 200 and r.headers["content-type"] == "audio/wav"
    rate, back = wavfile.read(io.BytesIO(r.content))
    assert rate == 16000 and np.array_equal(back, data)
    rate, part = wavfile.read(io.BytesIO(people["viewer"].get(url, params={"start_ms": 250, "end_ms": 500}).content))
    assert np.array_equal(part, data[4000:8000])
    assert people["viewer"].get(url, params={"start_ms": 2000}).status_code == 422
    other_pid, others = projects[1]
    assert others["owner"].get(url).status_code == 404
    assert others["owner"].get(f"/api/projects/{other_pid}/samples/{s['id']}/audio.wav").status_code == 404
    assert people["viewer"].client.get(url).status_code == 401


def test_audio_endpoints_refuse_samples_that_are_not_audio(audio):
    pid, people, _, _ = audio
    csv = b"timestamp,accX\n0,1\n10,2\n20,3\n"
    r = people["editor"].post(
        "/api/training/files", files=[("data", ("acc.csv", csv, "text/csv"))], headers={"x-project-id": str(pid)}
    )
    sample_id = r.json()["files"][0]["sampleId"]
    for path in ("audio.wav", "spectrogram"):
        r = people["viewer"].get(f"/api/projects/{pid}/samples/{sample_id}/{path}")
        assert r.status_code == 422 and "not an audio sample" in r.json()["detail"]


def test_spectrogram_shows_a_tone_at_its_frequency(audio):
    pid, people, _, stored = audio
    rate = 16000
    t = np.arange(rate * 2) / rate
    tone = (np.sin(2 * np.pi * np.where(t < 1, 1000, 3000) * t) * 8000).astype(np.int16)  # 1 kHz, then 3 kHz
    s = stored("tones.wav", wav_bytes(tone, rate))
    r = people["viewer"].get(f"/api/projects/{pid}/samples/{s['id']}/spectrogram", params={"columns": 50, "bands": 64})
    assert r.status_code == 200, r.text
    spec = r.json()
    db, freqs = np.array(spec["db"]), np.array(spec["frequencies_hz"])
    assert db.shape == (50, len(freqs)) and len(freqs) <= 64 and freqs[-1] <= rate / 2
    peaks = freqs[db.argmax(axis=1)]
    first, second = np.array(spec["times_ms"]) < 900, np.array(spec["times_ms"]) > 1100
    assert np.all(np.abs(peaks[first] - 1000) < 130) and np.all(np.abs(peaks[second] - 3000) < 130)
    bad = people["viewer"].get(f"/api/projects/{pid}/samples/{s['id']}/spectrogram", params={"columns": 0})
    assert bad.status_code == 422


@pytest.mark.parametrize("seed, rate, noise_dbfs", [(1, 16000, -60), (2, 8000, -40), (3, 16000, -28)])
def test_split_preview_finds_each_burst_once_and_apply_makes_the_clips(audio, seed, rate, noise_dbfs):
    pid, people, _, stored = audio
    rng = np.random.default_rng(seed)
    data, truth = bursts_in_noise(rng, rate, 14.0, noise_dbfs, count=8)
    s = stored(f"words{seed}.wav", wav_bytes(data, rate), label="yes")
    url = f"/api/projects/{pid}/samples/{s['id']}/split"
    r = people["viewer"].post(f"{url}/preview", json={"mode": "events"})
    assert r.status_code == 200, r.text
    preview = r.json()
    cuts = preview["cuts"]
    assert len(cuts) == len(truth) >= 5
    for (a, b), cut in zip(truth, cuts, strict=True):  # each burst in its own clip, whole
        assert cut["start_ms"] <= a and b <= cut["end_ms"] and cut["end_ms"] - cut["start_ms"] == pytest.approx(1000)
        assert cut["event_start_ms"] < b and cut["event_end_ms"] > a and cut["energy_db"] > preview["threshold_db"]
    assert all(x["end_ms"] <= y["start_ms"] for x, y in zip(cuts, cuts[1:], strict=False))
    assert abs(preview["noise_floor_db"] - noise_dbfs) < 3

    r = people["editor"].post(url, json={"mode": "events", "original": "disable"})
    assert r.status_code == 201, r.text
    pieces = r.json()
    assert [p["name"] for p in pieces] == [f"words{seed}.s{i}" for i in range(1, len(cuts) + 1)]
    assert {(p["label"], p["n_rows"], p["category"]) for p in pieces} == {("yes", rate, "training")}
    first = wavfile.read(
        io.BytesIO(people["viewer"].get(f"/api/projects/{pid}/samples/{pieces[0]['id']}/audio.wav").content)
    )[1]
    start = round(cuts[0]["start_ms"] * rate / 1000)
    assert np.array_equal(first, data[start : start + rate])
    original = people["viewer"].get(f"/api/projects/{pid}/samples/{s['id']}", params={"max_points": 1}).json()
    assert original["enabled"] is False


def test_split_preview_finds_nothing_in_pure_noise(audio):
    pid, people, _, stored = audio
    rng = np.random.default_rng(7)
    for i, level in enumerate((-70, -45, -20)):
        noise = np.round(rng.normal(0, 32768 * 10 ** (level / 20), 16000 * 5)).astype(np.int16)
        s = stored(f"noise{i}.wav", wav_bytes(noise, 16000))
        url = f"/api/projects/{pid}/samples/{s['id']}/split"
        r = people["viewer"].post(f"{url}/preview", json={"mode": "events"})
        assert r.status_code == 200 and r.json()["cuts"] == [], r.text
        r = people["editor"].post(url, json={"mode": "events"})
        assert r.status_code == 422 and "no events found" in r.json()["detail"]
    assert len(samples_named(people["viewer"], pid, "noise")) == 3


def test_split_preview_changes_nothing_and_bad_requests_are_422(audio, projects):
    pid, people, _, stored = audio
    data, _ = bursts_in_noise(np.random.default_rng(4), 8000, 4.0, -50, count=2)
    s = stored("two.wav", wav_bytes(data, 8000))
    url = f"/api/projects/{pid}/samples/{s['id']}/split"
    bad = [
        ({"mode": "events", "window_ms": -5}, "window_ms"),
        ({"mode": "events", "threshold_db": 6, "hysteresis_db": 6}, "hysteresis_db"),
        ({"mode": "events", "window_ms": 60_000}, "shorter than one clip"),
        ({"mode": "events", "loudness": 3}, "loudness"),
        ({"mode": "sentences"}, "mode"),
    ]
    for body, problem in bad:
        r = people["viewer"].post(f"{url}/preview", json=body)
        assert r.status_code == 422 and problem in r.json()["detail"], (body, r.text)
    assert len(people["viewer"].post(f"{url}/preview", json={"mode": "events"}).json()["cuts"]) == 2
    assert people["viewer"].post(url, json={"mode": "events"}).status_code == 403
    _, others = projects[1]
    assert others["owner"].post(f"{url}/preview", json={"mode": "events"}).status_code == 404
    assert [x["name"] for x in samples_named(people["viewer"], pid, "two")] == ["two"]
    r = people["editor"].post(url, json={"mode": "events", "original": "keep"})
    assert r.status_code == 201 and len(r.json()) == 2
    assert [x["name"] for x in samples_named(people["viewer"], pid, "two")] == ["two", "two.s1", "two.s2"]
