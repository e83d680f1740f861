"""The data explorer on a real worker: a map that keeps gestures apart, cached until the data
change, label suggestions that recover hidden labels and are accepted in bulk, and other
projects' data answering 404."""

import numpy as np
import pytest
from testkit import wait_for

pytestmark = pytest.mark.services


def _finished(api, pid, job_id, timeout=180):
    return wait_for(
        lambda: (
            (j := api.get(f"/api/projects/{pid}/jobs/{job_id}").json())["status"]
            in ("succeeded", "failed", "cancelled")
            and j
        ),
        timeout=timeout,
        what=f"job {job_id}",
    )


def _gestures(motion, pid):
    """4 labeled recordings per gesture (one for testing) and 2 stored unlabeled; -> {id: hidden label}."""
    hidden = {}
    motion.add_motion_dataset(pid, train_per_class=3, test_per_class=1, seconds=6)
    for k, label in enumerate(motion.LABELS * 2):
        sid = motion.add_sample(pid, "", motion.motion(label, 6, seed=500 + k + 1000 * pid))
        hidden[sid] = label
    return hidden


def _centroid_accuracy(points: np.ndarray, truth: np.ndarray) -> float:
    names = sorted(set(truth.tolist()))
    centroids = np.stack([points[truth == n].mean(axis=0) for n in names])
    nearest = np.argmin(((points[:, None, :] - centroids[None]) ** 2).sum(-1), axis=1)
    return float((np.array(names)[nearest] == truth).mean())


def test_explorer_maps_caches_and_suggests_labels(make_project, motion, worker):
    pid, p = make_project()
    ed = p["editor"]
    hidden = _gestures(motion, pid)
    imp = ed.post(f"/api/projects/{pid}/impulses", json={"name": "motion", "config": motion.IMPULSE}).json()
    base = f"/api/projects/{pid}/impulses/{imp['id']}"

    started = ed.post(f"{base}/feature-explorer", json={"method": "auto"})
    assert started.status_code == 201, started.text
    job = _finished(ed, pid, started.json()["id"])
    assert job["status"] == "succeeded", job["error"]
    res = job["result"]
    assert res["method"] == "tsne" and res["shown"] == res["windows"] == 24 * 10
    assert any(x["line"].startswith("tsne map of 240 windows") for x in job["logs"])
    labels = [hidden.get(s) or res["labels"][i] for s, i in zip(res["sample_ids"], res["label_index"], strict=True)]
    unlabeled = [i for i, s in enumerate(res["sample_ids"]) if s in hidden]
    assert len(unlabeled) == 8 * 10 and {res["label_index"][i] for i in unlabeled} == {-1}
    accuracy = _centroid_accuracy(np.array(res["embedding2d"]), np.array(labels))
    print(f"t-SNE nearest-centroid accuracy {accuracy:.3f} (chance 0.25)")
    assert accuracy >= 0.8

    # Nothing changed: the same job answers at once, with no new job queued.
    jobs_before = len(ed.get(f"/api/projects/{pid}/jobs", params={"kind": "impulse.feature_explorer"}).json())
    again = ed.post(f"{base}/feature-explorer", json={"method": "auto"})
    assert again.status_code == 200 and again.json()["id"] == job["id"]
    assert len(ed.get(f"/api/projects/{pid}/jobs", params={"kind": "impulse.feature_explorer"}).json()) == jobs_before

    suggestions = ed.get(f"{base}/label-suggestions").json()
    assert suggestions["job_id"] == job["id"] and not suggestions["stale"]
    assert suggestions["unlabeled_samples"] == len(hidden)
    proposed = {s: g["label"] for g in suggestions["groups"] for s in g["sample_ids"]}
    right = sum(proposed.get(s) == label for s, label in hidden.items())
    print(f"suggestions right for {right} of {len(hidden)} unlabeled samples")
    assert right >= 0.8 * len(hidden)

    # A relabel changes the data: the next request computes again.
    some = next(s for s, label in hidden.items() if label == "wave")
    assert ed.post(f"/api/projects/{pid}/samples/bulk-update", json={"ids": [some], "label": "wave"}).status_code == 200
    assert ed.get(f"{base}/label-suggestions").json()["stale"]
    fresh = ed.post(f"{base}/feature-explorer", json={"method": "auto"})
    assert fresh.status_code == 201 and fresh.json()["id"] != job["id"]
    assert _finished(ed, pid, fresh.json()["id"])["status"] == "succeeded"

    groups = ed.get(f"{base}/label-suggestions").json()["groups"]
    assert some not in {s for g in groups for s in g["sample_ids"]}
    assert p["viewer"].post(f"{base}/label-suggestions/accept", json={"groups": []}).status_code in (403, 422)
    body = {"groups": [{"label": g["label"], "ids": g["sample_ids"]} for g in groups]}
    assert p["viewer"].post(f"{base}/label-suggestions/accept", json=body).status_code == 403
    accepted = ed.post(f"{base}/label-suggestions/accept", json=body)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json() == {"updated": len(hidden) - 1, "skipped": 0}
    for sid in hidden:
        assert ed.get(f"/api/projects/{pid}/samples/{sid}", params={"max_points": 0}).json()["label"] != ""
    activity = ed.get(f"/api/projects/{pid}/activity").json()
    logged = [a for a in activity if a["action"] == "samples.updated" and a["details"].get("source") == "suggestions"]
    assert sum(a["details"]["count"] for a in logged) == len(hidden) - 1
    assert logged[0]["summary"].startswith("relabeled")
    after = ed.get(f"{base}/label-suggestions").json()
    assert after["stale"] and after["groups"] == [] and after["unlabeled_samples"] == 0
    # Accepting again changes nothing: those samples are labeled now.
    assert ed.post(f"{base}/label-suggestions/accept", json=body).json()["updated"] == 0


def test_without_labeled_data_the_unlabeled_samples_are_counted_but_get_no_suggestion(make_project, motion, worker):
    pid, p = make_project()
    ed = p["editor"]
    for seed in (1, 2):
        motion.add_sample(pid, "", motion.motion("wave", 4, seed=seed))
    imp = ed.post(f"/api/projects/{pid}/impulses", json={"name": "motion", "config": motion.IMPULSE}).json()
    base = f"/api/projects/{pid}/impulses/{imp['id']}"
    job = _finished(ed, pid, ed.post(f"{base}/feature-explorer", json={"method": "auto"}).json()["id"])
    assert job["status"] == "succeeded", job["error"]
    assert job["result"]["method"] == "pca" and job["result"]["embedding2d"] is None  # 2 x 5 windows: too few
    found = ed.get(f"{base}/label-suggestions").json()
    assert found == {"job_id": job["id"], "stale": False, "unlabeled_samples": 2, "groups": []}


def test_explorer_refuses_bad_input_and_other_projects(make_project, motion):
    pid, p = make_project()
    other_pid, other = make_project()
    ed = p["editor"]
    sid = motion.add_sample(pid, "", motion.motion("wave", 3, seed=1))
    imp = ed.post(f"/api/projects/{pid}/impulses", json={"name": "motion", "config": motion.IMPULSE}).json()
    base = f"/api/projects/{pid}/impulses/{imp['id']}"

    r = ed.post(f"{base}/feature-explorer", json={"method": "umap"})
    assert r.status_code == 422 and "method" in r.text
    for bad in (
        {"groups": [{"label": "  ", "ids": [sid]}]},
        {"groups": [{"label": "a", "ids": [sid]}, {"label": "b", "ids": [sid]}]},
    ):
        r = ed.post(f"{base}/label-suggestions/accept", json=bad)
        assert r.status_code == 422, r.text
    assert "two groups" in r.json()["detail"]
    nothing = ed.get(f"{base}/label-suggestions").json()
    assert nothing == {"job_id": None, "stale": True, "unlabeled_samples": 0, "groups": []}

    # Another project's impulse and samples: 404, and nothing is written.
    outsider = other["owner"]
    theirs = f"/api/projects/{other_pid}/impulses/{imp['id']}"
    assert outsider.post(f"{theirs}/feature-explorer", json={}).status_code == 404
    assert outsider.get(f"{theirs}/label-suggestions").status_code == 404
    assert outsider.get(f"{base}/label-suggestions").status_code in (403, 404)
    own = outsider.post(f"/api/projects/{other_pid}/impulses", json={"name": "m", "config": motion.IMPULSE}).json()[
        "id"
    ]
    r = outsider.post(
        f"/api/projects/{other_pid}/impulses/{own}/label-suggestions/accept",
        json={"groups": [{"label": "wave", "ids": [sid]}]},
    )
    assert r.status_code == 404 and str(sid) in r.json()["detail"]
    assert ed.get(f"/api/projects/{pid}/samples/{sid}", params={"max_points": 0}).json()["label"] == ""
