"""The embedded default that `make run` starts: SQLite under DATA_DIR, the filesystem broker, a real
worker process, events through the database; Ctrl-C stops everything."""
import json
import os
import signal
import socket
import subprocess
import sys


import httpx
import pytest

from testkit import ROOT, wait_for


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def studio(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL", "INSTANCE_NAME", "TINYFORGE_ENV")}
    env["DATA_DIR"] = str(tmp_path / "data")
    port = _free_port()
    log = open(tmp_path / "serve.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "backend.cli.main", "serve", "--port", str(port)], cwd=ROOT,
                            env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"

    def healthy():
        try:
            r = httpx.get(url + "/api/health", timeout=2).json()
            return r if r["worker"]["connected"] else None
        except (httpx.HTTPError, ValueError):
            return None

    try:
        health = wait_for(healthy, timeout=90, what="embedded studio to become healthy")
        yield url, proc, health, tmp_path
    finally:
        if proc.poll() is None:  # stop it the way a service manager does, so its workers stop too
            proc.terminate()
            try:
                proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        log.close()


def test_serve_runs_on_sqlite_and_the_filesystem_broker_with_a_worker(studio):
    url, proc, health, tmp_path = studio
    assert health["database_backend"] == "sqlite" and health["broker"] == "filesystem"
    assert health["events"] == "database" and health["status"] == "ok"
    assert (tmp_path / "data" / "tinyforge.sqlite").exists() and (tmp_path / "data" / "broker").is_dir()


def test_a_job_runs_and_events_stream_without_redis(studio):
    url, proc, health, _ = studio
    c = httpx.Client(base_url=url, timeout=10)
    assert c.post("/api/auth/signup", json={"username": "maker", "password": "correct horse battery"}).status_code == 201
    pid = c.post("/api/projects", json={"name": "Embedded"}).json()["id"]
    received = []
    with httpx.stream("GET", f"{url}/api/projects/{pid}/events", cookies=c.cookies, timeout=30) as stream:
        lines = stream.iter_lines()
        assert next(lines) == "event: hello"
        job = c.post(f"/api/projects/{pid}/jobs/selftest", json={"steps": 3, "step_seconds": 0.05}).json()
        for line in lines:
            if line.startswith("data: "):
                ev = json.loads(line[6:])
                received.append(ev)
                if ev.get("type") == "job" and ev["job"]["status"] == "succeeded":
                    break
    assert [e["job"]["status"] for e in received if e.get("type") == "job"][-1] == "succeeded"
    done = c.get(f"/api/projects/{pid}/jobs/{job['id']}").json()
    assert done["status"] == "succeeded" and done["progress"] == 1.0


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_stopping_serve_stops_the_api_and_the_workers(studio, stop):
    url, proc, health, _ = studio
    # serve runs two workers: jobs, and interactive calls (previews)
    both = wait_for(lambda: (h := httpx.get(url + "/api/health", timeout=2).json())["worker"]["workers"][1:] and h,
                    timeout=60, what="both workers to check in")
    worker_pids = [w["pid"] for w in both["worker"]["workers"]]
    assert len(worker_pids) == 2
    proc.send_signal(stop)
    assert proc.wait(timeout=40) == 0

    def gone(pid):
        try:
            os.kill(pid, 0)
            return False
        except ProcessLookupError:
            return True

    for pid in worker_pids:
        wait_for(lambda: gone(pid), timeout=20, what="workers to exit")
    with pytest.raises(httpx.HTTPError):
        httpx.get(url + "/api/health", timeout=2)

