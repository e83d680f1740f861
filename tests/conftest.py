"""Test set-up: a fresh PostgreSQL database and a private Redis queue per run, real worker
processes, and factories for users, projects and keys.

The suite talks to the real PostgreSQL and Redis on 127.0.0.1. With TINYFORGE_REQUIRE_SERVICES=1
(CI) a missing service fails the run; otherwise the tests that need it are skipped.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from testkit import PG_ADMIN_URL, REDIS_URL, Api, WorkerProcess

ROOT = Path(__file__).resolve().parents[1]
RUN_ID = f"{os.getpid()}_{secrets.token_hex(3)}"
REQUIRE_SERVICES = os.environ.get("TINYFORGE_REQUIRE_SERVICES") == "1"
DATA_DIR = Path(tempfile.mkdtemp(prefix="tinyforge-test-"))


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


SERVICES_UP = _port_open("127.0.0.1", 5432) and _port_open("127.0.0.1", 6379)
TEST_DB = f"tinyforge_test_{RUN_ID}"
DATABASE_URL = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + TEST_DB

# Everything below (and the worker processes) reads its configuration from the environment.
os.environ.update(
    {
        "TINYFORGE_ENV": "test",
        "DATABASE_URL": DATABASE_URL,
        "CELERY_BROKER_URL": REDIS_URL,
        "REDIS_URL": REDIS_URL,
        "INSTANCE_NAME": f"tftest_{RUN_ID}",
        "DATA_DIR": str(DATA_DIR),
        "SECRET_KEY": "test-secret-key-0123456789abcdef0123456789",
        # short, so the lost-worker tests reap quickly; not so short that a worker starved by a busy
        # machine (training holding the GIL) is taken for dead and its job run a second time
        "JOB_HEARTBEAT_TIMEOUT": "8",
        "WORKER_SEEN_TIMEOUT": "10",
    }
)


def pytest_sessionstart(session):
    if not SERVICES_UP:
        if REQUIRE_SERVICES:
            raise pytest.UsageError(
                "TINYFORGE_REQUIRE_SERVICES=1 but PostgreSQL (5432) or Redis (6379) is not running on 127.0.0.1"
            )
        return
    from sqlalchemy import create_engine, text

    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{TEST_DB}"'))
    admin.dispose()
    from backend.core import migrate

    migrate.upgrade(DATABASE_URL)


def pytest_sessionfinish(session, exitstatus):
    if not SERVICES_UP:
        return
    from sqlalchemy import create_engine, text

    try:
        from backend.core.db import get_engine

        get_engine().dispose()
    except Exception:
        pass
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{TEST_DB}" WITH (FORCE)'))
    admin.dispose()


def pytest_collection_modifyitems(config, items):
    if SERVICES_UP:
        return
    skip = pytest.mark.skip(reason="PostgreSQL/Redis not running on 127.0.0.1")
    for item in items:
        if "services" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def app():
    from backend.main import create_app

    return create_app()


@pytest.fixture()
def client(app):
    from fastapi.testclient import TestClient

    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="session")
def worker():
    """One worker for the whole run (tests that kill workers start their own)."""
    w = WorkerProcess().wait_ready()
    yield w
    w.stop()


@pytest.fixture()
def start_worker():
    started: list[WorkerProcess] = []

    def _start(**kw) -> WorkerProcess:
        w = WorkerProcess(**kw)
        started.append(w)
        return w.wait_ready()

    yield _start
    for w in started:
        w.stop()


# ---- factories -----------------------------------------------------------------------------
@pytest.fixture()
def make_user(client):
    def _make(prefix: str = "user", email: bool = False) -> Api:
        username = f"{prefix}_{secrets.token_hex(4)}"
        body = {"username": username, "password": "correct horse battery"}
        if email:
            body["email"] = f"{username}@example.org"
        r = client.post("/api/auth/signup", json=body)
        assert r.status_code == 201, r.text
        client.cookies.clear()  # each Api object authenticates with its own bearer token
        return Api(client, username, r.json()["token"], r.json()["user"]["id"])

    return _make


@pytest.fixture()
def make_project(make_user):
    """A project with one member of each role; returns (project_id, {role: Api})."""

    def _make() -> tuple[int, dict[str, Api]]:
        owner = make_user("owner")
        pid = owner.post("/api/projects", json={"name": "Gestures"}).json()["id"]
        people = {"owner": owner}
        for role in ("admin", "editor", "viewer"):
            person = make_user(role)
            inv = owner.post(f"/api/projects/{pid}/invitations", json={"username": person.username, "role": role})
            assert inv.status_code == 201, inv.text
            r = person.post(f"/api/invitations/{inv.json()['token']}/accept")
            assert r.status_code == 200, r.text
            people[role] = person
        return pid, people

    return _make


@pytest.fixture()
def api_key(client):
    def _make(api: Api, project_id: int, role: str) -> str:
        r = api.post(f"/api/projects/{project_id}/apikeys", json={"role": role, "name": f"{role} key"})
        assert r.status_code == 201, r.text
        return r.json()["key"]

    return _make


@pytest.fixture(scope="session")
def live_server():
    """The API as a real uvicorn process (for streams and end-to-end clients); yields its URL."""
    import httpx

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = open(DATA_DIR / "api.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "backend.cli.main", "api", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            if httpx.get(url + "/api/health", timeout=1).status_code in (200, 503):
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    else:
        raise RuntimeError("API server did not start:\n" + (DATA_DIR / "api.log").read_text()[-3000:])
    yield url
    proc.terminate()
    proc.wait(timeout=15)
    log.close()


# ---- live classification: one trained model shared by its API and browser tests -------------------
@pytest.fixture(scope="session")
def interactive_queue_worker():
    """A real worker on the interactive queue only (as `tinyforge serve` starts one)."""
    from backend.cli.processes import worker_command

    class InteractiveWorker(WorkerProcess):
        def __init__(self):
            self.env = dict(os.environ)
            self.log_path = DATA_DIR / f"interactive-live-{secrets.token_hex(3)}.log"
            self.log_file = open(self.log_path, "w")
            self.proc = subprocess.Popen(
                worker_command(1, "info", "interactive"),
                cwd=ROOT,
                env=self.env,
                stdout=self.log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    w = InteractiveWorker().wait_ready()
    yield w
    w.stop()


LIVE_IMPULSE = {
    "input": {
        "axes": ["accX", "accY", "accZ"],
        "window_size_ms": 2000,
        "window_increase_ms": 500,
        "frequency_hz": 62.5,
    },
    "processing": [{"id": "spectral", "type": "spectral-analysis", "params": {}}],
    "learning": [{"id": "classifier", "type": "keras-classifier", "inputs": ["spectral"], "params": {}}],
}


@pytest.fixture(scope="session")
def trained_sample_project(live_server, worker):
    """The sample project (idle, wave, circle at 62.5 Hz) with its motion impulse trained once;
    returns {"pid", "impulse_id", "token", "cookie", "api_key"} of its owner."""
    import httpx

    with httpx.Client(base_url=live_server, timeout=30) as c:
        r = c.post(
            "/api/auth/signup", json={"username": f"live_{secrets.token_hex(3)}", "password": "correct horse battery"}
        )
        assert r.status_code == 201, r.text
        token = r.json()["token"]
        cookie = c.cookies["tf_session"]
        c.cookies.clear()
        c.headers["Authorization"] = f"Bearer {token}"
        pid = c.post("/api/projects", json={"name": "Live motion"}).json()["id"]
        c.post(f"/api/projects/{pid}/sample-data").raise_for_status()
        imp = c.post(f"/api/projects/{pid}/impulses", json={"name": "motion", "config": LIVE_IMPULSE})
        assert imp.status_code == 201, imp.text
        job = c.post(f"/api/projects/{pid}/impulses/{imp.json()['id']}/train").json()
        deadline = time.time() + 600
        while time.time() < deadline:
            status = c.get(f"/api/projects/{pid}/jobs/{job['id']}").json()
            if status["status"] in ("succeeded", "failed", "cancelled"):
                break
            time.sleep(1)
        assert status["status"] == "succeeded", status
        key = c.post(f"/api/projects/{pid}/apikeys", json={"role": "admin", "name": "live devices"}).json()["key"]
    return {"pid": pid, "impulse_id": imp.json()["id"], "token": token, "cookie": cookie, "api_key": key}
