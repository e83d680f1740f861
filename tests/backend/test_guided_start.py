"""The guided start: the sample project, where a project stands, and activity in plain words."""

from __future__ import annotations

import pytest

from backend.activity.words import describe
from backend.core import task_names
from backend.job.titles import job_title

pytestmark = pytest.mark.services

IMPULSE = {
    "input": {
        "axes": ["accX", "accY", "accZ"],
        "window_size_ms": 2000,
        "window_increase_ms": 500,
        "frequency_hz": 62.5,
    },
    "processing": [{"id": "spectral", "type": "spectral-analysis", "params": {}}],
    "learning": [{"id": "classifier", "type": "keras-classifier", "inputs": ["spectral"], "params": {}}],
}


@pytest.fixture()
def own_project(make_user):
    """A project with only its owner (signing people up is the slow part of these tests)."""

    def _make():
        owner = make_user("owner")
        return owner.post("/api/projects", json={"name": "Gestures"}).json()["id"], owner

    return _make


def _status(api, pid):
    r = api.get(f"/api/projects/{pid}/status")
    assert r.status_code == 200, r.text
    return r.json()


def _lines(api, pid) -> list[str]:
    return [f"{a['actor_name']} {a['summary']}" for a in api.get(f"/api/projects/{pid}/activity").json()]


def test_sample_data_fills_an_empty_project_with_three_gestures(own_project):
    pid, owner = own_project()
    p = {"viewer": owner, "editor": owner}
    assert _status(p["viewer"], pid)["next"]["key"] == "collect"
    r = p["editor"].post(f"/api/projects/{pid}/sample-data")
    assert r.status_code == 201, r.text
    assert r.json() == {"count": 24, "labels": ["idle", "wave", "circle"], "frequency_hz": 62.5, "seconds": 120.0}
    samples = p["viewer"].get(f"/api/projects/{pid}/samples", params={"limit": 100}).json()["items"]
    assert len(samples) == 24
    assert {(s["category"], s["label"]) for s in samples} == {
        (c, lbl) for c in ("training", "testing") for lbl in ("idle", "wave", "circle")
    }
    assert {s["interval_ms"] for s in samples} == {16.0} and {s["length_ms"] for s in samples} == {4992.0}
    status = _status(p["viewer"], pid)
    assert status["samples"] == {
        "training": {"circle": 6, "idle": 6, "wave": 6},
        "testing": {"circle": 2, "idle": 2, "wave": 2},
    }
    assert [s["done"] for s in status["stages"]] == [True, False, False, False, False, False]
    assert status["next"]["key"] == "impulse" and status["next"]["page"] == "impulse"
    assert f"{p['editor'].username} filled the project with sample data (24 samples)" in _lines(p["viewer"], pid)


def test_sample_data_goes_only_into_an_empty_project_and_only_for_editors(make_project, make_user):
    pid, p = make_project()
    assert p["viewer"].post(f"/api/projects/{pid}/sample-data").status_code == 403
    assert make_user("stranger").post(f"/api/projects/{pid}/sample-data").status_code == 404
    assert p["editor"].post(f"/api/projects/{pid}/sample-data").status_code == 201
    again = p["editor"].post(f"/api/projects/{pid}/sample-data")
    assert again.status_code == 409 and "samples already" in again.json()["detail"]
    assert p["viewer"].get(f"/api/projects/{pid}/samples/summary").json()["total"] == 24


def test_status_moves_on_to_features_once_an_impulse_exists(own_project):
    pid, owner = own_project()
    p = {"viewer": owner, "editor": owner}
    p["editor"].post(f"/api/projects/{pid}/sample-data").raise_for_status()
    r = p["editor"].post(f"/api/projects/{pid}/impulses", json={"name": "motion", "config": IMPULSE})
    assert r.status_code == 201, r.text
    status = _status(p["viewer"], pid)
    assert [s["key"] for s in status["stages"] if s["done"]] == ["collect", "impulse"]
    assert status["next"]["key"] == "features" and status["next"]["action"] == "Generate features"
    # Data taken away after the impulse: collecting is the next step again, and nothing after it counts.
    ids = [s["id"] for s in p["viewer"].get(f"/api/projects/{pid}/samples", params={"limit": 100}).json()["items"]]
    p["editor"].post(f"/api/projects/{pid}/samples/bulk-delete", json={"ids": ids}).raise_for_status()
    status = _status(p["viewer"], pid)
    assert status["next"]["key"] == "collect" and not any(s["done"] for s in status["stages"])


def test_activity_lines_say_who_did_what_with_counts(own_project):
    pid, owner = own_project()
    p = {"viewer": owner, "editor": owner, "owner": owner}
    editor, name = p["editor"], p["editor"].username
    editor.post(f"/api/projects/{pid}/sample-data").raise_for_status()
    samples = editor.get(f"/api/projects/{pid}/samples", params={"limit": 100}).json()["items"]
    idle = [s["id"] for s in samples if s["label"] == "idle"][:3]
    editor.post(f"/api/projects/{pid}/samples/bulk-update", json={"ids": idle, "label": "rest"}).raise_for_status()
    editor.post(f"/api/projects/{pid}/samples/bulk-update", json={"ids": idle[:1], "enabled": False}).raise_for_status()
    editor.post(
        f"/api/projects/{pid}/samples/bulk-update", json={"ids": idle, "category": "testing"}
    ).raise_for_status()
    editor.post(f"/api/projects/{pid}/samples/bulk-delete", json={"ids": idle[:2]}).raise_for_status()
    lines = _lines(p["viewer"], pid)
    assert lines[:4] == [
        f"{name} deleted 2 samples",
        f"{name} moved 3 samples to testing",
        f"{name} disabled 1 sample",
        f"{name} relabeled 3 samples as rest",
    ]
    assert lines[-1] == f"{p['owner'].username} created the project"
    assert not any("samples updated" in line or "." in line.split(" ", 1)[1] for line in lines), lines


def test_job_titles_and_activity_name_the_work_not_the_task(own_project):
    pid, owner = own_project()
    p = {"viewer": owner, "editor": owner}
    job = p["editor"].post(f"/api/projects/{pid}/jobs/selftest", json={"steps": 1, "step_seconds": 0}).json()
    assert job["title"] == "Checking the workers"
    listed = p["viewer"].get(f"/api/projects/{pid}/jobs").json()
    assert [j["title"] for j in listed if j["id"] == job["id"]] == ["Checking the workers"]
    assert f"{p['editor'].username} started checking the workers" in _lines(p["viewer"], pid)
    p["editor"].post(f"/api/projects/{pid}/jobs/{job['id']}/cancel")


def test_every_job_kind_has_a_title_in_words():
    assert {job_title(k) for k in task_names.JOB_TASKS}.isdisjoint(task_names.JOB_TASKS)
    assert job_title(task_names.TRAIN) == "Training"
    assert job_title(task_names.GENERATE_FEATURES) == "Generating features"
    assert job_title(task_names.BUILD_DEPLOYMENT, {"target": "arduino"}) == "Building the Arduino library"
    assert describe("job.started", {"kind": task_names.BUILD_DEPLOYMENT, "target": "arduino"}) == (
        "started building the Arduino library"
    )
    assert describe("samples.uploaded", {"count": 12, "failed": 0}) == "uploaded 12 samples"
    assert describe("samples.updated", {"count": 3}) == "changed 3 samples"  # an older record without changes
