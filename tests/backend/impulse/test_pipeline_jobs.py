"""The pipeline on real workers: features, explorer, training with live epochs, testing,
classify and preview over the interactive queue, cancel, and impossible jobs."""

import copy
import json
import os
import threading

import pytest
from testkit import wait_for

pytestmark = pytest.mark.services


def _finished(api, pid, job_id, timeout=120):
    return wait_for(
        lambda: (
            (j := api.get(f"/api/projects/{pid}/jobs/{job_id}").json())["status"]
            in ("succeeded", "failed", "cancelled")
            and j
        ),
        timeout=timeout,
        what=f"job {job_id}",
    )


def _listen(channel: str, events: list, ready: threading.Event, stop: threading.Event):
    import redis

    pubsub = redis.Redis.from_url(os.environ["REDIS_URL"]).pubsub()
    pubsub.subscribe(f"{os.environ['INSTANCE_NAME']}:events:{channel}")
    ready.set()
    while not stop.is_set():
        msg = pubsub.get_message(ignore_subscribe_messages=True, timeout=0.2)
        if msg:
            events.append(json.loads(msg["data"]))
    pubsub.close()


def test_motion_project_end_to_end_reaches_95_percent_int8_test_accuracy(
    make_project, motion, worker, interactive_worker
):
    from backend.core.db import get_sessionmaker
    from backend.impulse.repository import artifacts_of_job, latest_trained

    pid, p = make_project()
    ids = motion.add_motion_dataset(pid, train_per_class=10, test_per_class=3, seconds=10)
    ed = p["editor"]
    imp = ed.post(f"/api/projects/{pid}/impulses", json={"name": "motion", "config": motion.IMPULSE}).json()
    base = f"/api/projects/{pid}/impulses/{imp['id']}"

    features = _finished(ed, pid, ed.post(f"{base}/features").json()["id"])
    assert features["status"] == "succeeded", features["error"]
    assert features["result"]["features"] == 33 and features["result"]["labels"] == motion.LABELS
    assert features["result"]["windows_per_label"]["training"]["wave"] == 10 * 18
    explorer = _finished(ed, pid, ed.post(f"{base}/feature-explorer").json()["id"])
    assert explorer["status"] == "succeeded", explorer["error"]
    res = explorer["result"]
    assert len(res["points2d"]) == len(res["sample_ids"]) == res["windows"] == 4 * 13 * 18
    assert len(res["points3d"][0]) == 3 and set(res["sample_ids"]) == set(ids["training"] + ids["testing"])

    events, ready, stop = [], threading.Event(), threading.Event()
    listener = threading.Thread(target=_listen, args=(f"project:{pid}", events, ready, stop), daemon=True)
    listener.start()
    ready.wait(5)
    train_id = ed.post(f"{base}/train").json()["id"]
    # An edit while training runs does not disturb it: the job trains the version it was started on.
    cfg = copy.deepcopy(motion.IMPULSE)
    cfg["input"]["window_increase_ms"] = 1000
    assert ed.patch(base, json={"version": 1, "config": cfg}).status_code == 200
    train = _finished(ed, pid, train_id)
    stop.set()
    assert train["status"] == "succeeded", train["error"]
    result = train["result"]
    assert result["impulse_version"] == 1 and result["impulse"] == imp["config"]
    assert result["labels"] == motion.LABELS and len(result["feature_names"]) == 33
    assert result["input"]["window_len"] == 125 and result["input"]["axes"] == motion.AXES
    assert result["metrics"]["int8"]["accuracy"] >= 0.95 and result["metrics"]["int8_float_agreement"] >= 0.95
    epochs_run = len(result["history"])
    assert 1 <= result["learning"]["best_epoch"] <= epochs_run <= 100 and result["anomaly"] is None
    for variant in ("int8", "float32"):  # on-device estimates for a Cortex-M4F, per stage
        est = result["estimates"][variant]
        assert est["dsp"]["instructions"] > 0 and est["nn"]["flash_bytes"] > 0
        assert est["total"]["ram_bytes"] > 0 and est["total"]["latency_ms"] > 0
    epochs = [e for e in events if e.get("type") == "training.epoch" and e["job_id"] == train_id]
    assert [e["epoch"] for e in epochs] == list(range(1, epochs_run + 1))
    assert {"loss", "accuracy", "val_loss", "val_accuracy"} <= set(epochs[-1])
    assert any(x["line"].startswith(f"epoch {epochs_run}/100") for x in train["logs"])
    with get_sessionmaker()() as s:
        assert latest_trained(s, imp["id"]).id == train_id
        kinds = {a.kind for a in artifacts_of_job(s, train_id)}
    assert {"model.tflite.float32", "model.tflite.int8"} <= kinds
    now = ed.get(base).json()
    assert now["version"] == 2 and now["model_stale"] and now["trained_job_id"] == train_id

    test = _finished(ed, pid, ed.post(f"{base}/test", json={"threshold": 0.6}).json()["id"])
    assert test["status"] == "succeeded", test["error"]
    metrics = test["result"]["metrics"]
    assert metrics["accuracy"] >= 0.95, metrics
    assert test["result"]["variant"] == "int8"  # with every training setting at its default, int8 keeps up
    assert test["result"]["variant_accuracy"]["float32"] - metrics["accuracy"] <= 0.02
    assert metrics["windows"] == 4 * 3 * 18 and len(test["result"]["samples"]) == 12
    assert test["result"]["sample_metrics"]["accuracy"] >= 0.95

    sample_id = ids["testing"][-1]  # a wave sample
    r = p["viewer"].post(f"{base}/classify", json={"sample_id": sample_id})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["prediction"] == "wave" and len(body["windows"]) == 18
    assert len(body["windows"][0]["features"]) == 33 and body["train_job_id"] == train_id
    window = test["result"]["windows"]
    same = [w for w in window if w["sample_id"] == sample_id]
    assert [w["classification"] for w in same] == [w["classification"] for w in body["windows"]]

    values = motion.motion("shake", seconds=2.5, seed=99).tolist()
    raw = p["viewer"].post(f"{base}/classify", json={"values": values, "interval_ms": 16})
    assert raw.status_code == 200 and raw.json()["prediction"] == "shake"

    pv = p["viewer"].post(f"{base}/preview", json={"sample_id": sample_id, "window_start_ms": 1000})
    assert pv.status_code == 200, pv.text
    block = pv.json()["blocks"][0]
    assert len(block["features"]) == 33 and block["graphs"][0]["name"] == "After filter"
    assert pv.json()["window_start_ms"] == 992.0  # 1000 ms is sample 62.5: rounded to even, 62


def test_training_a_single_class_fails_with_a_clear_message(make_project, motion, worker):
    pid, p = make_project()
    for seed in range(3):
        motion.add_sample(pid, "idle", motion.motion("idle", seconds=4, seed=seed))
    imp = p["editor"].post(f"/api/projects/{pid}/impulses", json={"name": "m", "config": motion.IMPULSE}).json()
    job = _finished(p["editor"], pid, p["editor"].post(f"/api/projects/{pid}/impulses/{imp['id']}/train").json()["id"])
    assert job["status"] == "failed" and "'idle'" in job["error"] and "at least 2 classes" in job["error"]


def test_features_of_a_project_without_data_fail_with_a_clear_message(make_project, motion, worker):
    pid, p = make_project()
    imp = p["editor"].post(f"/api/projects/{pid}/impulses", json={"name": "m", "config": motion.IMPULSE}).json()
    job = _finished(
        p["editor"], pid, p["editor"].post(f"/api/projects/{pid}/impulses/{imp['id']}/features").json()["id"]
    )
    assert job["status"] == "failed" and job["error"].startswith("No windows")


def test_cancel_stops_training_within_an_epoch(make_project, motion, worker):
    pid, p = make_project()
    motion.add_motion_dataset(pid, train_per_class=3, test_per_class=0, seconds=6, labels=["idle", "wave"])
    cfg = copy.deepcopy(motion.IMPULSE)
    cfg["learning"][0]["params"] = {"epochs": 1000, "batch_size": 1}
    imp = p["editor"].post(f"/api/projects/{pid}/impulses", json={"name": "m", "config": cfg}).json()
    job_id = p["editor"].post(f"/api/projects/{pid}/impulses/{imp['id']}/train").json()["id"]
    url = f"/api/projects/{pid}/jobs/{job_id}"
    wait_for(
        lambda: any(x["line"].startswith("epoch 2/") for x in p["editor"].get(url).json()["logs"]),
        timeout=120,
        what="two epochs",
    )
    p["editor"].post(f"{url}/cancel")
    job = _finished(p["editor"], pid, job_id, timeout=60)
    assert job["status"] == "cancelled"
    epochs = [x["line"] for x in job["logs"] if x["line"].startswith("epoch ")]
    assert len(epochs) < 1000
    from backend.core.db import get_sessionmaker
    from backend.impulse.repository import artifacts_of_job

    with get_sessionmaker()() as s:
        assert artifacts_of_job(s, job_id) == []  # nothing half-written
