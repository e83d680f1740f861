"""The tuner end to end on two real worker processes: a 16-candidate search on the suite's
synthetic motion data finds a configuration as accurate as the default impulse at half its
instructions per inference; candidates run concurrently and none twice; the API's checks."""

from __future__ import annotations

import pytest
from testkit import WorkerProcess, wait_for

pytestmark = pytest.mark.services

SEARCH = {"budget": {"candidates": 16, "first_epochs": 15, "final_epochs": 40}, "constraints": {"ram_kb": 64}}


@pytest.fixture(scope="module")
def two_workers():
    workers = [WorkerProcess() for _ in range(2)]
    for w in workers:
        w.wait_ready()
    yield workers
    for w in workers:
        w.stop()


@pytest.fixture(scope="module")
def finished_search(motion_project, two_workers):
    """The 16-candidate search: the default impulse (the baseline candidate) and 15 configurations."""
    client, owner, pid, impulse = motion_project
    r = owner.post(f"/api/projects/{pid}/tuner/runs", json={"impulse_id": impulse["id"], **SEARCH})
    assert r.status_code == 201, r.text
    run = r.json()
    # a worker already idle (the suite's shared one) may have claimed a candidate by now
    assert len(run["candidates"]) == 16 and {c["status"] for c in run["candidates"]} <= {"queued", "running"}

    def done():
        d = owner.get(f"/api/projects/{pid}/tuner/runs/{run['id']}").json()
        return d if d["status"] != "running" else None

    return wait_for(done, timeout=400, interval=0.5, what="the tuner run")


def test_search_finds_a_candidate_as_accurate_as_the_default_at_fewer_instructions(finished_search):
    detail = finished_search
    assert detail["status"] == "succeeded", detail["error"]
    cands = detail["candidates"]
    assert len(cands) == 16 and detail["schedule"] == [15, 40]
    default = cands[0]
    assert default["baseline"] and default["label"] == "your impulse: default" and default["status"] == "done"
    assert default["round"] == 2 and default["instructions"] > 80_000  # measured like the others, to the end
    # (the default impulse, low-pass order 6 + FFT 64 spectral features, is ~85k instructions in the cost model)
    measured = [c for c in cands if c["status"] in ("done", "pruned")]
    assert len(measured) >= 14, [c["error"] for c in cands if c["status"] == "failed"]
    for c in measured:
        assert 0 <= c["accuracy_int8"] <= 1 and c["ram_bytes"] > 0 and c["flash_bytes"] > 0 and c["latency_ms"] > 0
        assert c["fits"] == (c["ram_bytes"] <= 64 * 1024)
    # successive halving: the better half went on to 40 epochs (with the baseline), the rest stopped
    searched = [c for c in measured if not c["baseline"]]
    finalists = [c for c in cands if c["round"] == 2]
    assert len(finalists) == (len(searched) + 1) // 2 + 1 and all(c["status"] == "done" for c in finalists)
    assert all(c["epochs_done"] <= 15 for c in cands if c["status"] == "pruned")
    # Issue 13's acceptance: one at least as accurate as the default at half its instructions or less
    # (the default, spectral v1 with a 6th-order low-pass and FFT 64, is ~85k; flatten and half
    # windows are the cheap families the spread order makes sure a 16-candidate budget tries).
    good = [
        c
        for c in searched
        if c["accuracy_int8"] >= default["accuracy_int8"] and c["instructions"] <= default["instructions"] * 0.5
    ]
    figures = [(c["accuracy_int8"], c["instructions"]) for c in measured]
    ratios = [round(c["instructions"] / default["instructions"], 2) for c in good]
    print(f"default {default['accuracy_int8']}, {default['instructions']} instructions; candidates {figures}")
    print(f"as accurate as the default at these fractions of its instructions: {sorted(ratios)}")
    assert good, (default["accuracy_int8"], default["instructions"], figures)
    best = next(c for c in cands if c["id"] == detail["best_candidate_id"])
    assert best["round"] == 2 and best["fits"] is not False


def test_two_workers_evaluate_candidates_concurrently_and_none_twice(finished_search):
    from sqlalchemy import select

    from backend.core import task_names
    from backend.core.db import get_sessionmaker
    from backend.models.job import Job, JobLog
    from backend.models.sample import Artifact

    detail = finished_search
    ids = {c["job_id"] for c in detail["candidates"]}

    def run_jobs():  # the run ends inside its last job, a moment before that job's row does
        with get_sessionmaker()() as s:
            rows = [
                j
                for j in s.scalars(select(Job).where(Job.kind == task_names.TUNER_CANDIDATE))
                if j.params["run_id"] == detail["id"]
            ]
        return rows if all(j.status != "running" for j in rows) else None

    jobs = wait_for(run_jobs, timeout=30, what="the candidate jobs to end")
    assert ids <= {j.id for j in jobs} and len(jobs) == 16 + sum(c["round"] == 2 for c in detail["candidates"])
    again = [(j.id, j.status, j.attempts, j.error) for j in jobs if j.attempts != 1 or j.status != "succeeded"]
    assert not again, again  # every job ran exactly once
    assert all(c["runs"] == c["round"] for c in detail["candidates"])  # one run per round scheduled
    assert len({j.worker for j in jobs}) >= 2
    overlapping = [
        (a.id, b.id)
        for a in jobs
        for b in jobs
        if a.worker != b.worker and a.started_at < b.finished_at and b.started_at < a.finished_at
    ]
    assert overlapping, "no two candidates ran at the same time on different workers"
    # a finalist's second round continues from its first round's weights: it trains the 25 epochs
    # the round adds (40 in all), and the weights kept between rounds are dropped when the run ends
    by_id = {j.id: j for j in jobs}
    second = [j for j in jobs if j.params["round"] == 2]
    for j in second:
        first = by_id[j.params["continue_from_job"]]
        assert first.params["round"] == 1 and first.params["candidate_id"] == j.params["candidate_id"]
        assert j.params["epochs"] == 40 - j.params["epochs_before"] and j.params["epochs_before"] <= 15
    for c in detail["candidates"]:
        if c["round"] == 2:
            assert c["epochs_done"] <= 40
    with get_sessionmaker()() as s:
        for j in second:
            lines = s.scalars(select(JobLog.line).where(JobLog.job_id == j.id)).all()
            assert any("continuing from the previous round's weights" in line for line in lines), lines
        kept = s.scalars(select(Artifact.id).where(Artifact.job_id.in_(list(by_id)), Artifact.kind == "keras.weights"))
        assert list(kept) == []
    # the finalists are exactly the better half of round 1 by its own results (the round's jobs
    # keep them: a candidate's row holds its latest round's), whether a finalist was sent on while
    # round 1 still had jobs out or at its end
    from types import SimpleNamespace

    from backend.tuner.scheduler import better_half, rank_key

    number = {c["id"]: c["number"] for c in detail["candidates"]}
    baseline = next(c["id"] for c in detail["candidates"] if c["baseline"])
    first_round = [
        SimpleNamespace(id=j.params["candidate_id"], number=number[j.params["candidate_id"]], **j.result)
        for j in jobs
        if j.params["round"] == 1 and j.params["candidate_id"] != baseline
    ]
    ranked = [c.id for c in sorted(first_round, key=rank_key)]
    expected = set(ranked[: better_half(len(ranked))])
    assert {c["id"] for c in detail["candidates"] if c["round"] == 2 and not c["baseline"]} == expected
    last_start = max(j.started_at for j in jobs if j.params["round"] == 1)
    sent = sorted(round((j.created_at - last_start).total_seconds(), 1) for j in second)
    print(f"second-round jobs sent at these seconds from the start of round 1's last job: {sent}")
    seconds = sorted((j.finished_at - j.started_at).total_seconds() for j in jobs)
    print(f"{len(jobs)} candidate jobs, median {seconds[len(seconds) // 2]:.1f} s, longest {seconds[-1]:.1f} s")


def test_apply_creates_a_new_impulse_with_the_candidates_configuration(motion_project, finished_search):
    _, owner, pid, _ = motion_project
    detail = finished_search
    best = next(c for c in detail["candidates"] if c["id"] == detail["best_candidate_id"])
    url = f"/api/projects/{pid}/tuner/runs/{detail['id']}/candidates/{best['id']}/apply"
    r = owner.post(url, json={"name": "tuned"})
    assert r.status_code == 201, r.text
    impulse = r.json()
    assert impulse["name"] == "tuned" and impulse["version"] == 1 and impulse["model_stale"]
    assert impulse["config"] == best["config"] and impulse["config"]["learning"][0]["params"]["epochs"] == 40
    assert owner.post(url, json={"name": "tuned"}).status_code == 409  # names stay unique
    names = [i["name"] for i in owner.get(f"/api/projects/{pid}/impulses").json()]
    assert "tuned" in names
