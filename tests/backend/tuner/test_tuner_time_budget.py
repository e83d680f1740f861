"""A run whose time budget runs out while candidates wait for their second round: they keep their
first round's result (done, in the ranking) instead of ending cancelled, and the run still picks
its best candidate from every measured one."""

from __future__ import annotations

import pytest
from testkit import WorkerProcess, wait_for

pytestmark = pytest.mark.services


def test_candidates_waiting_for_a_later_round_when_the_time_is_up_keep_their_result(motion_project):
    from sqlalchemy import select, update

    from backend.core import task_names
    from backend.core.db import get_sessionmaker
    from backend.models.base import utcnow
    from backend.models.job import Job
    from backend.models.tuner import TunerRun

    _, owner, pid, impulse = motion_project
    body = {
        "impulse_id": impulse["id"],
        "budget": {"candidates": 4, "first_epochs": 2, "final_epochs": 30, "minutes": 600},
        "space": {"window_sizes_ms": [2000], "conv1d": False, "dense_units": [[10], [20]]},
    }
    worker = WorkerProcess().wait_ready()  # one worker: the second round's jobs queue behind each other
    try:
        r = owner.post(f"/api/projects/{pid}/tuner/runs", json=body)
        assert r.status_code == 201, r.text
        url = f"/api/projects/{pid}/tuner/runs/{r.json()['id']}"

        def second_round_waiting():  # round 1 over, its better half queued behind the one worker
            d = owner.get(url).json()
            queued = [c for c in d["candidates"] if c["round"] == 2 and c["status"] == "queued"]
            return queued if d["round"] == 2 and len(queued) >= 2 else None

        waiting = wait_for(second_round_waiting, timeout=180, interval=0.1, what="second-round candidates queued")
        with get_sessionmaker()() as s:  # the time budget is spent now
            s.execute(update(TunerRun).where(TunerRun.id == r.json()["id"]).values(deadline_at=utcnow()))
            s.commit()
        detail = wait_for(
            lambda: (d := owner.get(url).json())["status"] != "running" and d, timeout=180, what="the run to end"
        )
    finally:
        worker.stop()
    assert detail["status"] == "succeeded", detail["error"]
    cands = {c["id"]: c for c in detail["candidates"]}
    with get_sessionmaker()() as s:
        jobs = [
            j
            for j in s.scalars(select(Job).where(Job.kind == task_names.TUNER_CANDIDATE))
            if j.params["run_id"] == detail["id"]
        ]
    never_started = {j.params["candidate_id"] for j in jobs if j.params["round"] == 2 and j.attempts == 0}
    never_started |= {
        j.params["candidate_id"] for j in jobs if j.params["round"] == 2 and "skipped" in (j.result or {})
    }
    # at least the last of those waiting never started its second round; each keeps its first round's result
    assert never_started and never_started <= {c["id"] for c in waiting}
    for i in never_started:
        c = cands[i]
        assert c["status"] == "done" and c["round"] == 1 and c["accuracy_int8"] is not None and c["epochs_done"] == 2
    assert not [c for c in cands.values() if c["status"] == "cancelled" and c["accuracy_int8"] is not None]
    assert detail["best_candidate_id"] in cands
