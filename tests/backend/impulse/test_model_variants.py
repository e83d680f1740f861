"""Both model variants on real workers: model testing and classify run the int8 network unless
asked for float32, say which one ran, and testing measures the other variant alongside."""

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


def test_testing_and_classify_run_the_variant_asked_for_and_record_it(make_project, motion, worker, interactive_worker):
    pid, p = make_project()
    ids = motion.add_motion_dataset(pid, train_per_class=8, test_per_class=2, seconds=4)
    ed = p["editor"]
    imp = ed.post(f"/api/projects/{pid}/impulses", json={"name": "motion", "config": motion.IMPULSE}).json()
    base = f"/api/projects/{pid}/impulses/{imp['id']}"
    train = _finished(ed, pid, ed.post(f"{base}/train").json()["id"])
    assert train["status"] == "succeeded", train["error"]
    assert train["result"]["warnings"] == []  # int8 is as good as float32 here

    tests = {}
    for body in ({}, {"variant": "int8"}, {"variant": "float32"}):
        job = _finished(ed, pid, ed.post(f"{base}/test", json=body).json()["id"])
        assert job["status"] == "succeeded", job["error"]
        assert job["params"]["variant"] == body.get("variant", "int8")
        tests[body.get("variant", "default")] = job["result"]
    assert tests["default"]["variant"] == tests["int8"]["variant"] == "int8"
    assert tests["float32"]["variant"] == "float32"
    # each run measures both variants on the same windows
    for result in tests.values():
        assert set(result["variant_accuracy"]) == {"int8", "float32"}
        assert result["variant_accuracy"][result["variant"]] == result["metrics"]["accuracy"]
        assert result["warnings"] == []
    assert tests["int8"]["variant_accuracy"] == tests["float32"]["variant_accuracy"]
    accuracy = tests["int8"]["variant_accuracy"]  # 8 recordings of 4 s per class, default settings
    assert accuracy["int8"] >= 0.95 and accuracy["float32"] - accuracy["int8"] <= 0.02
    for result in tests.values():  # per-window scores of both variants, enough to recompute the summary
        pw, labels = result["per_window"], result["labels"]
        n = len(result["windows"])
        assert set(pw["scores"]) == {"int8", "float32"}
        assert len(pw["sample_id"]) == len(pw["start_ms"]) == len(pw["label"]) == n
        assert [(w["sample_id"], w["start_ms"], w["label"]) for w in result["windows"]] == list(
            zip(pw["sample_id"], pw["start_ms"], pw["label"], strict=True)
        )
        assert all(
            len(pw["scores"][v]) == n and all(len(s) == len(labels) for s in pw["scores"][v]) for v in pw["scores"]
        )
        run = [[w["classification"][label] for label in labels] for w in result["windows"]]  # in label order
        assert pw["scores"][result["variant"]] == run
        assert set(result["summary"]) == {"int8", "float32"}
        assert result["metrics"] == result["summary"][result["variant"]]
        for v in ("int8", "float32"):  # the summary is the windows' top scores against the threshold
            right = sum(
                max(s) >= result["threshold"] and labels[s.index(max(s))] == label
                for s, label in zip(pw["scores"][v], pw["label"], strict=True)
            )
            assert result["summary"][v]["accuracy"] == right / n
    assert tests["int8"]["per_window"]["scores"] == tests["float32"]["per_window"]["scores"]
    int8_scores = [w["classification"] for w in tests["int8"]["windows"]]
    float_scores = [w["classification"] for w in tests["float32"]["windows"]]
    assert int8_scores != float_scores  # really another network (int8 scores are multiples of 1/256)
    assert all(abs(v * 256 - round(v * 256)) < 1e-3 for w in int8_scores for v in w.values())

    sample_id = ids["testing"][-1]
    answers = {}
    for variant in (None, "int8", "float32"):
        body = {"sample_id": sample_id, **({"variant": variant} if variant else {})}
        r = p["viewer"].post(f"{base}/classify", json=body)
        assert r.status_code == 200, r.text
        answers[variant] = r.json()
    assert answers[None]["variant"] == answers["int8"]["variant"] == "int8"
    assert answers["float32"]["variant"] == "float32"
    for variant in ("int8", "float32"):
        same = [w["classification"] for w in tests[variant]["windows"] if w["sample_id"] == sample_id]
        assert same == [w["classification"] for w in answers[variant]["windows"]]


def test_an_unknown_variant_is_refused_naming_the_field(make_project, motion):
    pid, p = make_project()
    imp = p["editor"].post(f"/api/projects/{pid}/impulses", json={"name": "m", "config": motion.IMPULSE}).json()
    base = f"/api/projects/{pid}/impulses/{imp['id']}"
    for route, body in (
        ("test", {"variant": "int16"}),
        ("classify", {"values": [[0, 0, 9.8]], "interval_ms": 16, "variant": "int16"}),
    ):
        r = p["editor"].post(f"{base}/{route}", json=body)
        assert r.status_code == 422 and "variant" in r.text, r.text
