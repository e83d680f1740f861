"""Synthetic keyword audio through the HTTP API and a real worker, every training setting at the
default a new learning block proposes: WAV upload, MFCC (defaults) on 1 s windows, the proposed
conv1d keyword-spotting net, features, training, int8 testing."""

from __future__ import annotations

import time

import pytest
from testkit import wait_for

from tests.support import synthetic_audio

pytestmark = pytest.mark.services

TRAIN_PER_CLASS, TEST_PER_CLASS = 30, 10


def _finished(api, pid, job_id, timeout=240):
    return wait_for(
        lambda: (
            (j := api.get(f"/api/projects/{pid}/jobs/{job_id}").json())["status"]
            in ("succeeded", "failed", "cancelled")
            and j
        ),
        timeout=timeout,
        what=f"job {job_id}",
    )


def _upload(client, key, category, clips):
    files = [
        ("data", (f"{label}.{i}.wav", synthetic_audio.wav_bytes(samples), "audio/wav"))
        for i, (label, samples) in enumerate(clips)
    ]
    r = client.post(f"/api/{category}/files", files=files, headers={"x-api-key": key})
    assert r.status_code == 200, r.text
    stored = r.json()["files"]
    assert len(stored) == len(clips) and all(f.get("ok", True) and not f.get("error") for f in stored), stored


def test_synthetic_keywords_reach_95_percent_int8_test_accuracy_with_proposed_settings(
    client, make_project, api_key, worker
):
    pid, p = make_project()
    key = api_key(p["admin"], pid, "admin")
    _upload(client, key, "training", synthetic_audio.dataset(TRAIN_PER_CLASS, seed=1))
    _upload(client, key, "testing", synthetic_audio.dataset(TEST_PER_CLASS, seed=2))

    config = {
        "input": {
            "axes": ["audio"],
            "window_size_ms": 1000,
            "window_increase_ms": 1000,
            "frequency_hz": 16000,
            "zero_pad": True,
        },
        "processing": [{"id": "mfcc", "type": "mfcc", "params": {}}],
        "learning": [{"id": "classifier", "type": "keras-classifier", "inputs": ["mfcc"], "params": {}}],
    }
    ed = p["editor"]
    r = ed.post(f"/api/projects/{pid}/impulses", json={"name": "keywords", "config": config})
    assert r.status_code == 201, r.text
    learn = r.json()["config"]["learning"][0]["params"]
    assert [layer["type"] for layer in learn["architecture"]] == ["reshape", "conv1d", "conv1d", "flatten"]
    base = f"/api/projects/{pid}/impulses/{r.json()['id']}"

    started = time.monotonic()
    features = _finished(ed, pid, ed.post(f"{base}/features").json()["id"])
    assert features["status"] == "succeeded", features["error"]
    train = _finished(ed, pid, ed.post(f"{base}/train").json()["id"])
    assert train["status"] == "succeeded", train["error"]
    trained_in = time.monotonic() - started
    test = _finished(ed, pid, ed.post(f"{base}/test", json={"variant": "int8"}).json()["id"])
    assert test["status"] == "succeeded", test["error"]
    accuracy = test["result"]["metrics"]["accuracy"]
    print(
        f"\nsynthetic keywords: int8 test accuracy {accuracy:.3f}, validation int8 "
        f"{train['result']['metrics']['int8']['accuracy']:.3f}; {len(train['result']['history'])} epochs; "
        f"features + training {trained_in:.1f} s"
    )
    assert accuracy >= 0.95
