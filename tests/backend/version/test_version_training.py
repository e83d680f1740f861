"""A version of a trained project, on a real worker: the training's metrics, estimates, model files
and builds are recorded; the diff shows accuracy and on-device figures before -> after; a restore
brings back a trained model that deploys in the new project."""

from __future__ import annotations

import pytest
from testkit import wait_for

pytestmark = pytest.mark.services


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


def _build(api, pid, body):
    r = api.post(f"/api/projects/{pid}/deployments", json=body)
    assert r.status_code == 201, r.text
    job = _finished(api, pid, r.json()["job_id"])
    assert job["status"] == "succeeded", job["error"]
    return api.get(f"/api/projects/{pid}/deployments/{r.json()['id']}").json()


def test_a_trained_version_records_the_model_and_restores_it_deployable(make_project, motion, worker):
    pid, people = make_project()
    motion.add_motion_dataset(pid, train_per_class=4, test_per_class=1, seconds=6)
    ed = people["editor"]
    imp = ed.post(f"/api/projects/{pid}/impulses", json={"name": "motion", "config": motion.IMPULSE}).json()
    untrained = ed.post(f"/api/projects/{pid}/versions", json={"description": "before training"}).json()

    train = _finished(ed, pid, ed.post(f"/api/projects/{pid}/impulses/{imp['id']}/train").json()["id"])
    assert train["status"] == "succeeded", train["error"]
    built = _build(ed, pid, {"target": "tflite", "variant": "int8"})
    r = ed.post(f"/api/projects/{pid}/versions", json={"description": "trained"})
    assert r.status_code == 201, r.text
    trained = r.json()
    accuracy = train["result"]["metrics"]["int8"]["accuracy"]
    assert trained["impulses"][0]["accuracy"] == accuracy
    (detail,) = trained["impulse_details"]
    snap = detail["training"]
    assert snap["job_id"] == train["id"] and snap["impulse_version"] == 1
    assert snap["metrics"] == train["result"]["metrics"] and snap["estimates"] == train["result"]["estimates"]
    assert {"model.tflite.int8", "model.tflite.float32"} <= {a["kind"] for a in snap["artifacts"]}
    (deployment,) = detail["deployments"]
    assert (deployment["id"], deployment["status"], deployment["target"]) == (built["id"], "succeeded", "tflite")
    assert deployment["artifact"]["sha256"] == built["artifact"]["sha256"]

    d = people["viewer"].get(f"/api/projects/{pid}/versions/{untrained['id']}/diff/{trained['id']}").json()
    (change,) = d["impulses"]
    assert (change["accuracy_before"], change["accuracy_after"]) == (None, accuracy)
    figures = {f["path"]: (f["before"], f["after"]) for f in change["figures"]}
    ram = train["result"]["estimates"]["int8"]["total"]["ram_bytes"]
    assert figures["estimates.int8.total.ram_bytes"] == (None, ram)
    assert figures["metrics.int8.accuracy"] == (None, accuracy)

    new = ed.post(f"/api/projects/{pid}/versions/{trained['id']}/restore", json={}).json()
    (restored,) = ed.get(f"/api/projects/{new['id']}/impulses").json()
    assert restored["trained_job_id"] is not None and not restored["model_stale"]
    job = ed.get(f"/api/projects/{new['id']}/jobs/{restored['trained_job_id']}").json()
    assert job["status"] == "succeeded" and job["result"]["metrics"] == train["result"]["metrics"]
    again = _build(ed, new["id"], {"target": "tflite", "variant": "int8"})
    assert again["estimates"] == built["estimates"]
    clone = ed.post(f"/api/projects/{new['id']}/clone", json={}).json()
    (cloned,) = ed.get(f"/api/projects/{clone['id']}/impulses").json()
    assert (
        not cloned["model_stale"] and _build(ed, clone["id"], {"target": "tflite"})["estimates"] == built["estimates"]
    )
