"""A public, real motion dataset through the real pipeline with every training setting at its
default: BasicMotions (4 activities, a smart watch's accelerometer and gyroscope at 10 Hz,
10 s recordings, 40 for training and 40 for testing), shipped inside the sktime wheel.

With the old defaults (30 epochs at 0.0005, no feature normalisation) this reached 7.5-67 %
test accuracy on whole-recording windows; a tuned impulse reaches 97.5 %."""

import time

import numpy as np
import pytest
from testkit import wait_for

pytestmark = pytest.mark.services
AXES = ["accX", "accY", "accZ", "gyrX", "gyrY", "gyrZ"]


def basic_motions(split: str) -> tuple[np.ndarray, np.ndarray]:
    """[recordings, 100 rows, 6 axes] float32 and the activity of each recording."""
    datasets = pytest.importorskip("sktime.datasets")
    x, y = datasets.load_basic_motions(split=split, return_type="numpy3D")
    return np.ascontiguousarray(x.transpose(0, 2, 1), dtype=np.float32), np.asarray(y).astype(str)


def _finished(api, pid, job_id, timeout=300):
    return wait_for(
        lambda: (
            (j := api.get(f"/api/projects/{pid}/jobs/{job_id}").json())["status"]
            in ("succeeded", "failed", "cancelled")
            and j
        ),
        timeout=timeout,
        what=f"job {job_id}",
    )


@pytest.mark.parametrize("window_ms, increase_ms", [(10_000, 10_000), (2_000, 500)])
def test_default_settings_learn_basic_motions_with_int8_as_good_as_float32(
    make_project, motion, worker, window_ms, increase_ms
):
    pid, p = make_project()
    for category, split in (("training", "train"), ("testing", "test")):
        x, y = basic_motions(split)
        for values, label in zip(x, y, strict=False):
            motion.add_sample(pid, label, values, category=category, interval_ms=100.0, axes=AXES)
    config = {
        "input": {
            "axes": AXES,
            "window_size_ms": window_ms,
            "window_increase_ms": increase_ms,
            "frequency_hz": 10,
            "zero_pad": True,
        },
        "processing": [{"id": "spectral", "type": "spectral-analysis", "version": 1, "params": {}}],
        "learning": [{"id": "classifier", "type": "keras-classifier", "inputs": ["spectral"], "params": {}}],
    }
    ed = p["editor"]
    r = ed.post(f"/api/projects/{pid}/impulses", json={"name": "basic motions", "config": config})
    assert r.status_code == 201, r.text
    base = f"/api/projects/{pid}/impulses/{r.json()['id']}"

    started = time.monotonic()
    train = _finished(ed, pid, ed.post(f"{base}/train").json()["id"])
    assert train["status"] == "succeeded", train["error"]
    trained_in = time.monotonic() - started
    tests = {
        v: _finished(ed, pid, ed.post(f"{base}/test", json={"variant": v}).json()["id"]) for v in ("int8", "float32")
    }
    accuracy = {v: job["result"]["metrics"]["accuracy"] for v, job in tests.items()}
    validation = {v: train["result"]["metrics"][v]["accuracy"] for v in ("int8", "float32")}
    print(
        f"\nBasicMotions {window_ms} ms windows: test accuracy int8 {accuracy['int8']:.3f}, float32 "
        f"{accuracy['float32']:.3f}; validation int8 {validation['int8']:.3f}, float32 {validation['float32']:.3f}; "
        f"{len(train['result']['history'])} epochs; training job {trained_in:.1f} s"
    )
    assert accuracy["int8"] >= 0.95
    assert accuracy["float32"] - accuracy["int8"] <= 0.02
    assert tests["int8"]["result"]["metrics"]["uncertain"] <= 0.05
