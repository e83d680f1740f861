"""Jobs on real worker processes: progress, cancel, duplicate delivery, killed workers, streams."""

import json
import os
import secrets
import threading

import httpx
import pytest
from testkit import wait_for

pytestmark = pytest.mark.services


def _job(api, pid, job_id):
    return api.get(f"/api/projects/{pid}/jobs/{job_id}").json()


def test_selftest_job_runs_on_a_worker_with_progress_and_logs(make_project, worker):
    pid, p = make_project()
    job = p["editor"].post(f"/api/projects/{pid}/jobs/selftest", json={"steps": 5, "step_seconds": 0.05}).json()
    assert job["status"] == "queued" and job["created_by_id"] == p["editor"].user_id
    done = wait_for(lambda: (j := _job(p["viewer"], pid, job["id"]))["status"] == "succeeded" and j, what="job")
    assert done["progress"] == 1.0 and done["attempts"] == 1 and len(done["result"]["digest"]) == 64
    lines = [x["line"] for x in done["logs"]]
    assert lines[0].startswith("started on") and "step 5/5" in lines and lines[-1] == "finished"
    actions = [e["action"] for e in p["viewer"].get(f"/api/projects/{pid}/activity").json()]
    assert "job.started" in actions


def test_cancel_stops_a_running_job(make_project, worker):
    pid, p = make_project()
    job = p["editor"].post(f"/api/projects/{pid}/jobs/selftest", json={"steps": 1000, "step_seconds": 0.05}).json()
    wait_for(lambda: _job(p["editor"], pid, job["id"])["progress"] > 0, what="job to start")
    r = p["editor"].post(f"/api/projects/{pid}/jobs/{job['id']}/cancel")
    assert r.status_code == 200 and r.json()["cancel_requested"]
    done = wait_for(lambda: (j := _job(p["editor"], pid, job["id"]))["status"] == "cancelled" and j, what="cancel")
    assert done["progress"] < 1 and done["logs"][-1]["line"] == "cancelled"
    again = p["editor"].post(f"/api/projects/{pid}/jobs/{job['id']}/cancel")
    assert again.status_code == 409 and "cancelled already" in again.json()["detail"]


def test_cancel_interrupts_a_long_pause(make_project, worker):
    """A self-test asked for minute-long pauses still obeys cancel during a pause (the fuzz run
    asks for such jobs; one that ignored cancel held the suite's worker for many minutes)."""
    pid, p = make_project()
    job = p["editor"].post(f"/api/projects/{pid}/jobs/selftest", json={"steps": 10, "step_seconds": 60}).json()
    wait_for(lambda: _job(p["editor"], pid, job["id"])["status"] == "running", what="job to start")
    p["editor"].post(f"/api/projects/{pid}/jobs/{job['id']}/cancel")
    done = wait_for(
        lambda: (j := _job(p["editor"], pid, job["id"]))["status"] == "cancelled" and j,
        timeout=20,
        what="cancel during a 60 s pause",
    )
    assert done["progress"] == 0


def test_duplicate_delivery_does_not_run_the_work_twice(make_project, worker, start_worker):
    from backend.core.jobs import send_job

    start_worker()  # a second consumer, so a duplicate is picked up while the first still runs
    pid, p = make_project()
    job = p["editor"].post(f"/api/projects/{pid}/jobs/selftest", json={"steps": 40, "step_seconds": 0.05}).json()
    wait_for(lambda: _job(p["editor"], pid, job["id"])["status"] == "running", what="job to run")
    send_job(job["id"], "diagnostics.selftest")  # re-delivered while running
    done = wait_for(lambda: (j := _job(p["editor"], pid, job["id"]))["status"] == "succeeded" and j, what="job")
    send_job(job["id"], "diagnostics.selftest")  # re-delivered after it finished
    import time

    time.sleep(2)
    final = _job(p["editor"], pid, job["id"])
    assert final["attempts"] == 1 and final["finished_at"] == done["finished_at"]
    assert sum(x["line"].startswith("started on") for x in final["logs"]) == 1


def _job_on_private_queue(project_id: int, instance: str, steps: int) -> int:
    """Make a job row and send it to a queue that only this test's workers consume."""
    from celery import Celery

    from backend.core.db import get_sessionmaker
    from backend.models.job import Job

    with get_sessionmaker()() as s:
        job = Job(
            project_id=project_id,
            kind="diagnostics.selftest",
            queue=instance,
            params={"steps": steps, "step_seconds": 0.05},
        )
        s.add(job)
        s.commit()
        job_id = job.id
    sender = Celery(broker=os.environ["CELERY_BROKER_URL"])
    sender.send_task("diagnostics.selftest", args=[job_id], queue=instance)
    return job_id


@pytest.mark.parametrize("max_attempts, outcome", [(2, "succeeded"), (1, "failed")])
def test_job_of_a_killed_worker_is_retried_or_failed_never_left_running(
    make_project, start_worker, max_attempts, outcome
):
    instance = f"kill_{secrets.token_hex(3)}"
    env = {"INSTANCE_NAME": instance, "JOB_MAX_ATTEMPTS": str(max_attempts)}
    pid, p = make_project()
    first = start_worker(env=env)
    job_id = _job_on_private_queue(pid, instance, steps=60)
    wait_for(lambda: _job(p["viewer"], pid, job_id)["progress"] > 0.05, what="job to make progress")
    first.kill9()
    assert _job(p["viewer"], pid, job_id)["status"] == "running"
    start_worker(env=env)
    final = wait_for(
        lambda: (j := _job(p["viewer"], pid, job_id))["status"] not in ("running", "queued") and j,
        timeout=60,
        what="job to leave 'running'",
    )
    assert final["status"] == outcome
    if outcome == "failed":
        assert "stopped responding" in final["error"]
    else:
        assert final["attempts"] == 2 and final["progress"] == 1.0


def _read_events(url, headers, stop, out, ready):
    with httpx.stream("GET", url, headers=headers, timeout=30) as r:
        out.append(("status", r.status_code))
        ready.set()
        event = None
        for line in r.iter_lines():
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: "):
                out.append((event, json.loads(line[6:])))
                if stop(event, out[-1][1]):
                    return


def test_job_event_stream_shows_progress_until_it_finishes(live_server, make_project, worker):
    pid, p = make_project()
    job = p["editor"].post(f"/api/projects/{pid}/jobs/selftest", json={"steps": 8, "step_seconds": 0.1}).json()
    out, ready = [], threading.Event()
    _read_events(
        f"{live_server}/api/projects/{pid}/jobs/{job['id']}/events",
        p["viewer"].headers,
        lambda ev, data: ev == "job" and data["job"]["status"] == "succeeded",
        out,
        ready,
    )
    assert out[0] == ("status", 200) and out[1][0] == "snapshot"
    progress = [d["progress"] for ev, d in out if ev == "progress"]
    assert progress == sorted(progress) and progress[-1] == 1.0
    lines = [line for ev, d in out if ev == "progress" for line in d["lines"]]
    snapshot_lines = [x["line"] for x in out[1][1]["job"]["logs"]]
    assert "finished" in snapshot_lines + lines


def test_project_event_stream_announces_changes_to_members(live_server, make_project, worker):
    pid, p = make_project()
    out, ready = [], threading.Event()
    reader = threading.Thread(
        target=_read_events,
        daemon=True,
        args=(
            f"{live_server}/api/projects/{pid}/events",
            p["viewer"].headers,
            lambda ev, data: ev == "job" and data["job"]["status"] == "succeeded",
            out,
            ready,
        ),
    )
    reader.start()
    ready.wait(10)
    import time

    time.sleep(0.5)
    p["admin"].patch(f"/api/projects/{pid}", json={"name": "Live"})
    p["editor"].post(f"/api/projects/{pid}/jobs/selftest", json={"steps": 2, "step_seconds": 0})
    reader.join(30)
    kinds = [(ev, d.get("action") or d.get("job", {}).get("status")) for ev, d in out[1:]]
    assert ("hello", None) in kinds and ("activity", "project.renamed") in kinds
    assert ("job", "queued") in kinds and ("job", "succeeded") in kinds


def test_streams_deny_outsiders_and_anonymous_callers(live_server, make_project, make_user):
    pid, p = make_project()
    outsider = make_user("outsider")
    for path in (f"/api/projects/{pid}/events", f"/api/projects/{pid}/jobs/1/events"):
        assert httpx.get(live_server + path, headers=outsider.headers).status_code == 404
        assert httpx.get(live_server + path).status_code == 401


# ---- a broker that is down, a queue without a worker ----------------------------------------
def _closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed once the socket is: nothing listens there


@pytest.fixture()
def api_with(tmp_path):
    """A real API process with some settings changed (another broker, another queue name)."""
    import socket
    import subprocess
    import sys

    from testkit import ROOT

    procs = []

    def _start(**env) -> str:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        log = open(tmp_path / f"api-{port}.log", "w")
        proc = subprocess.Popen(
            [sys.executable, "-m", "backend.cli.main", "api", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        procs.append((proc, log))
        url = f"http://127.0.0.1:{port}"

        def up():
            try:
                return httpx.get(url + "/api/health", timeout=10).status_code in (200, 503)
            except httpx.HTTPError:
                return False

        wait_for(up, timeout=30, what="API process")
        return url

    yield _start
    for proc, log in procs:
        proc.terminate()
        proc.wait(timeout=15)
        log.close()


def test_a_job_sent_while_the_broker_is_down_answers_503_and_is_failed_not_orphaned(make_project, api_with):
    down = f"redis://127.0.0.1:{_closed_port()}/0"
    url = api_with(CELERY_BROKER_URL=down, REDIS_URL=down)
    pid, p = make_project()
    r = httpx.post(
        f"{url}/api/projects/{pid}/jobs/selftest", json={"steps": 1}, headers=p["editor"].headers, timeout=60
    )
    assert r.status_code == 503, r.text
    assert "task queue" in r.json()["detail"] and "cannot be reached" in r.json()["detail"]
    assert "marked failed" in r.json()["detail"]
    jobs = p["viewer"].get(f"/api/projects/{pid}/jobs").json()
    assert [(j["status"], j["kind"]) for j in jobs] == [("failed", "diagnostics.selftest")]
    assert jobs[0]["error"].startswith("not started: The task queue")


def test_health_reports_the_broker_and_events_down_and_uploads_still_work(make_project, api_key, api_with):
    down = f"redis://127.0.0.1:{_closed_port()}/0"
    url = api_with(CELERY_BROKER_URL=down, REDIS_URL=down)
    pid, p = make_project()
    health = httpx.get(url + "/api/health", timeout=30).json()
    assert health["status"] == "degraded" and health["broker"] == "redis"
    assert health["broker_state"].startswith("error: the broker (redis://127.0.0.1:")
    assert health["events_state"].startswith("error: live updates are off")
    assert any("broker" in x for x in health["problems"]) and any("event bus" in x for x in health["problems"])
    r = httpx.get(f"{url}/api/projects/{pid}/events", headers=p["viewer"].headers, timeout=30)
    assert r.status_code == 503 and "Live updates are unavailable" in r.json()["detail"]
    sample = {
        "protected": {"ver": "v1", "alg": "none"},
        "signature": "0" * 64,
        "payload": {
            "device_type": "TEST",
            "interval_ms": 10,
            "sensors": [{"name": "x", "units": "g"}],
            "values": [[0.1], [0.2], [0.3]],
        },
    }
    r = httpx.post(
        url + "/api/training/data",
        json=sample,
        timeout=30,
        headers={"x-api-key": api_key(p["owner"], pid, "ingestiononly"), "x-file-name": "idle.1.json"},
    )
    assert r.status_code == 200, r.text


def test_a_job_on_a_queue_without_a_live_worker_says_it_is_waiting(make_project, api_with):
    url = api_with(INSTANCE_NAME=f"lonely_{secrets.token_hex(3)}")
    pid, p = make_project()
    job = httpx.post(
        f"{url}/api/projects/{pid}/jobs/selftest", json={"steps": 1}, headers=p["editor"].headers, timeout=30
    ).json()
    detail = httpx.get(f"{url}/api/projects/{pid}/jobs/{job['id']}", headers=p["viewer"].headers, timeout=30).json()
    assert detail["status"] == "queued"
    assert detail["waiting"].startswith("Waiting: no worker is serving the 'jobs' queue")
    listed = httpx.get(f"{url}/api/projects/{pid}/jobs", headers=p["viewer"].headers, timeout=30).json()
    assert listed[0]["waiting"] == detail["waiting"]
    health = httpx.get(url + "/api/health", timeout=30).json()
    assert health["status"] == "degraded" and health["queues"] == {"jobs": 0, "interactive": 0}


def test_a_job_with_a_live_worker_is_not_waiting(make_project, worker):
    pid, p = make_project()
    job = p["editor"].post(f"/api/projects/{pid}/jobs/selftest", json={"steps": 200, "step_seconds": 0.05}).json()
    assert _job(p["viewer"], pid, job["id"])["waiting"] is None
    p["editor"].post(f"/api/projects/{pid}/jobs/{job['id']}/cancel")
