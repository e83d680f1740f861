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


class Studio:
    """`tinyforge serve` as a user starts it (any folder, maybe pinned to one core), its console kept."""

    def __init__(self, tmp_path, cwd=ROOT, env=None, prefix=()):
        self.env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL", "INSTANCE_NAME", "TINYFORGE_ENV")
        }
        self.env.update({"DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": str(ROOT), **(env or {})})
        self.data = tmp_path / "data"
        self.console_path = tmp_path / "serve.console"
        self.errors_path = tmp_path / "serve.stderr"
        self.console, self.errors = open(self.console_path, "w"), open(self.errors_path, "w")
        port = _free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.proc = subprocess.Popen(
            [*prefix, sys.executable, "-m", "backend.cli.main", "serve", "--port", str(port)],
            cwd=cwd,
            env=self.env,
            stdout=self.console,
            stderr=self.errors,
        )

    def health(self):
        try:
            return httpx.get(self.url + "/api/health", timeout=5).json()
        except (httpx.HTTPError, ValueError):
            return None

    def wait_healthy(self, timeout=90):
        return wait_for(
            lambda: (h := self.health()) and h["status"] == "ok" and h,
            timeout=timeout,
            what="embedded studio to become healthy",
        )

    def output(self) -> str:
        return self.console_path.read_text()

    def stop(self):
        if self.proc.poll() is None:  # stop it the way a service manager does, so its workers stop too
            self.proc.terminate()
            try:
                self.proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.console.close()
        self.errors.close()


@pytest.fixture()
def start_studio(tmp_path):
    started = []

    def _start(**kw) -> Studio:
        started.append(Studio(tmp_path, **kw))
        return started[-1]

    yield _start
    for studio in started:
        studio.stop()


@pytest.fixture()
def studio(start_studio):
    s = start_studio()
    health = s.wait_healthy()
    return s.url, s.proc, health, s.data.parent


def test_serve_runs_on_sqlite_and_the_filesystem_broker_with_a_worker(studio):
    url, proc, health, tmp_path = studio
    assert health["database_backend"] == "sqlite" and health["broker"] == "filesystem"
    assert health["events"] == "database" and health["status"] == "ok"
    assert (tmp_path / "data" / "tinyforge.sqlite").exists() and (tmp_path / "data" / "broker").is_dir()


def test_a_job_runs_and_events_stream_without_redis(studio):
    url, proc, health, _ = studio
    c = httpx.Client(base_url=url, timeout=10)
    assert (
        c.post("/api/auth/signup", json={"username": "maker", "password": "correct horse battery"}).status_code == 201
    )
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
    both = wait_for(
        lambda: (h := httpx.get(url + "/api/health", timeout=2).json())["worker"]["workers"][1:] and h,
        timeout=60,
        what="both workers to check in",
    )
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
        wait_for(lambda pid=pid: gone(pid), timeout=20, what="workers to exit")
    with pytest.raises(httpx.HTTPError):
        httpx.get(url + "/api/health", timeout=2)


# ---- the embedded default never hangs -------------------------------------------------------
def test_the_embedded_broker_hands_over_every_message_whole(tmp_path):
    """2,000 messages from 4 writer processes to 2 readers: no reader ever sees a half-written message
    (kombu's own filesystem transport loses messages and kills readers with JSONDecodeError here)."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "embedded_broker_stress.py"), str(tmp_path), "4", "500", "2"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["reader_errors"] == [] and figures["received"] == figures["sent"] == 2000
    assert figures["duplicates"] == 0


MOTION = {
    "input": {
        "axes": ["accX", "accY", "accZ"],
        "window_size_ms": 2000,
        "window_increase_ms": 500,
        "frequency_hz": 62.5,
    },
    "processing": [
        {
            "id": "spectral",
            "type": "spectral-analysis",
            "axes": ["accX", "accY", "accZ"],
            "params": {"filter_type": "low", "filter_cutoff": 8, "filter_order": 6, "fft_length": 64},
        }
    ],
    "learning": [{"id": "classifier", "type": "keras-classifier", "inputs": ["spectral"]}],
}


def preview_setup(url: str) -> tuple[httpx.Client, str, dict]:
    """A signed-in user, a project with one 10 s sample and an impulse: (client, preview URL, body)."""
    import math

    c = httpx.Client(base_url=url, timeout=60)
    assert (
        c.post("/api/auth/signup", json={"username": "maker", "password": "correct horse battery"}).status_code == 201
    )
    pid = c.post("/api/projects", json={"name": "Busy"}).json()["id"]
    values = [[math.sin(i / 5), math.cos(i / 7), 9.81 + 0.1 * math.sin(i / 3)] for i in range(625)]
    sample = {
        "protected": {"ver": "v1", "alg": "none"},
        "signature": "0" * 64,
        "payload": {
            "device_type": "TEST",
            "interval_ms": 16,
            "sensors": [{"name": a, "units": "m/s2"} for a in ("accX", "accY", "accZ")],
            "values": values,
        },
    }
    r = c.post(f"/api/training/data?project_id={pid}", json=sample, headers={"x-file-name": "wave.1.json"})
    assert r.status_code == 200, r.text
    sample_id = c.get(f"/api/projects/{pid}/samples").json()["items"][0]["id"]
    imp = c.post(f"/api/projects/{pid}/impulses", json={"name": "motion", "config": MOTION}).json()
    return c, f"/api/projects/{pid}/impulses/{imp['id']}/preview", {"sample_id": sample_id, "window_start_ms": 0}


def test_interactive_calls_on_one_core_lose_no_reply_and_no_worker(start_studio, tmp_path):
    """The whole studio pinned to one core (`taskset -c 0`), many previews at once: every call is
    answered and no worker dies or restarts."""
    studio = start_studio(prefix=["taskset", "-c", "0"])
    health = studio.wait_healthy()
    pids = sorted(w["pid"] for w in health["worker"]["workers"])
    c, path, body = preview_setup(studio.url)
    cookies = c.cookies

    def one(i: int) -> int:
        r = httpx.post(studio.url + path, json={**body, "window_start_ms": (i % 8) * 1000}, cookies=cookies, timeout=60)
        return r.status_code

    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(one, range(80)))
    assert answers.count(200) == len(answers), {code: answers.count(code) for code in set(answers)}
    after = studio.health()
    assert after["status"] == "ok" and sorted(w["pid"] for w in after["worker"]["workers"]) == pids
    assert "stopped unexpectedly" not in studio.output()
    assert not list((studio.data / "broker" / "unreadable").iterdir())


def test_serve_restarts_a_dead_worker_and_health_says_degraded_meanwhile(start_studio):
    studio = start_studio()
    health = studio.wait_healthy()
    interactive = next(w for w in health["worker"]["workers"] if w["queues"] == ["tinyforge.interactive"])
    os.kill(interactive["pid"], signal.SIGKILL)
    degraded = wait_for(
        lambda: (h := studio.health()) and h["status"] == "degraded" and h,
        timeout=20,
        what="health to notice the dead worker",
    )
    assert degraded["queues"]["interactive"] == 0 and degraded["queues"]["jobs"] == 1
    assert any("no worker is serving the 'interactive' queue" in p for p in degraded["problems"])
    back = studio.wait_healthy(timeout=60)
    assert interactive["pid"] not in [w["pid"] for w in back["worker"]["workers"]]
    out = studio.output()
    assert f"worker 'interactive' (pid {interactive['pid']}) stopped unexpectedly" in out
    assert "restarting it in 1 s" in out and "worker 'interactive' restarted" in out


# ---- a quiet console, from any folder -------------------------------------------------------
def test_serve_prints_its_own_lines_and_keeps_worker_logs_in_the_data_folder(start_studio, built_ui):
    studio = start_studio()
    studio.wait_healthy()
    studio.stop()
    log = studio.data / "logs" / "workers.log"
    lines = [x for x in studio.output().splitlines() if x.strip()]
    assert lines[0].startswith("TinyForge on http://127.0.0.1:") and f"worker logs in {log}" in lines[0]
    assert lines[1:] == ["TinyForge stopped"], lines
    assert studio.errors_path.read_text() == ""  # no Celery banner, no warnings
    worker_log = log.read_text()
    assert "[jobs]" in worker_log and "[interactive]" in worker_log and "celery@" not in lines[0]
    assert "tinyforge.interactive" in worker_log  # Celery's banner lists the queue: full logs are kept


@pytest.fixture(scope="module")
def built_ui():
    index = ROOT / "frontend" / "dist" / "index.html"
    if not index.is_file():
        subprocess.run(["npm", "run", "build"], cwd=ROOT / "frontend", check=True, capture_output=True)
    return index


def test_serve_started_in_another_folder_serves_the_built_ui(start_studio, tmp_path, built_ui):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    studio = start_studio(cwd=elsewhere)
    studio.wait_healthy()
    page = httpx.get(studio.url + "/projects/1/data", timeout=10)
    assert page.status_code == 200 and page.text == built_ui.read_text()
    for path in ("/api/no-such-route", "/v1/api/no-such-route"):
        r = httpx.get(studio.url + path, timeout=10)
        assert r.status_code == 404 and r.headers["content-type"] == "application/json"
        body = r.json()  # Edge Impulse's routes answer in its own error shape
        assert body.get("detail") == f"No API route {path}" or body.get("success") is False, body
    assert "UI is not built" not in studio.errors_path.read_text()


def test_serve_warns_at_start_up_when_the_ui_is_missing(start_studio, tmp_path):
    studio = start_studio(env={"UI_DIR": str(tmp_path / "no-ui")})
    studio.wait_healthy()
    assert f"the UI is not built (no {tmp_path / 'no-ui' / 'index.html'})" in studio.errors_path.read_text()
    r = httpx.get(studio.url + "/", timeout=10)
    assert r.status_code == 404 and "UI_DIR" in r.json()["detail"]
