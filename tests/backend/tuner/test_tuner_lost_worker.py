"""A worker killed in the middle of a candidate: the stale-job reaper queues the candidate's job
again, another worker runs it once more, and its result is counted once."""

from __future__ import annotations

import pytest
from testkit import WorkerProcess, wait_for

pytestmark = pytest.mark.services


def _parent_pid(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return int(f.read().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return None


def test_a_candidate_lost_with_its_worker_is_run_again_and_counted_once(motion_project):
    from backend.core.db import get_sessionmaker
    from backend.models.job import Job

    _, owner, pid, impulse = motion_project
    doomed = WorkerProcess().wait_ready()
    body = {
        "impulse_id": impulse["id"],
        "budget": {"candidates": 2, "first_epochs": 3, "final_epochs": 3},  # one round
        "space": {"window_sizes_ms": [2000], "conv1d": False, "dense_units": [[10]]},
    }
    r = owner.post(f"/api/projects/{pid}/tuner/runs", json=body)
    assert r.status_code == 201, r.text
    run = r.json()
    url = f"/api/projects/{pid}/tuner/runs/{run['id']}"

    def running_on_doomed():
        for c in owner.get(url).json()["candidates"]:
            if c["status"] == "running" and c["worker"]:
                child = int(c["worker"].rsplit(":", 1)[1])
                if child == doomed.proc.pid or _parent_pid(child) == doomed.proc.pid:
                    return c
        return None

    try:
        victim = wait_for(running_on_doomed, timeout=60, interval=0.1, what="a candidate on the worker to kill")
        doomed.kill9()
    finally:
        doomed.stop()

    def job_done():  # the run ends inside the last job, a moment before that job's row does
        with get_sessionmaker()() as s:
            j = s.get(Job, victim["job_id"])
            return j if j.status != "running" else None

    rescuer = WorkerProcess().wait_ready()  # its heartbeat thread reaps the dead worker's job
    try:
        detail = wait_for(
            lambda: (d := owner.get(url).json())["status"] != "running" and d, timeout=120, what="the run to end"
        )
        job = wait_for(job_done, timeout=30, what="the candidate's job to end")
    finally:
        rescuer.stop()
    assert detail["status"] == "succeeded", detail["error"]
    again = next(c for c in detail["candidates"] if c["id"] == victim["id"])
    assert again["status"] == "done" and again["runs"] == 2 and again["accuracy_int8"] is not None
    assert again["worker"] != victim["worker"]
    assert all(c["runs"] == 1 for c in detail["candidates"] if c["id"] != victim["id"])

    assert job.status == "succeeded" and job.attempts == 2
    assert job.result["counted"] is True and job.result["candidate_id"] == victim["id"]
