"""Helpers shared by tests: a real worker process, a signed-in API user, waiting."""

from __future__ import annotations

import os
import secrets
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN_URL = os.environ.get("TINYFORGE_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("TINYFORGE_TEST_REDIS", "redis://127.0.0.1:6379/0")


class WorkerProcess:
    """A real Celery worker process (prefork pool), on this run's private queue."""

    def __init__(self, env: dict[str, str] | None = None, concurrency: int = 1):
        from backend.cli.processes import worker_command

        self.env = {**os.environ, **(env or {})}
        log_path = Path(os.environ["DATA_DIR"]) / f"worker-{secrets.token_hex(3)}.log"
        self.log_file = open(log_path, "w")
        self.log_path = log_path
        self.proc = subprocess.Popen(
            worker_command(concurrency, "info"),
            cwd=ROOT,
            env=self.env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 60) -> WorkerProcess:
        from sqlalchemy import select

        from backend.core.db import get_sessionmaker
        from backend.models.system import WorkerHeartbeat

        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"worker exited early:\n{self.log_path.read_text()[-3000:]}")
            with get_sessionmaker()() as s:
                if s.scalar(select(WorkerHeartbeat).where(WorkerHeartbeat.pid == self.proc.pid)):
                    return self
            time.sleep(0.2)
        raise RuntimeError(f"worker not ready after {timeout}s:\n{self.log_path.read_text()[-3000:]}")

    def wait_warm(self, processes: int = 1, timeout: float = 120) -> WorkerProcess:
        """Until `processes` pool processes have loaded TensorFlow (workers/celery_app.py), as a
        long-running worker's have: a benchmark then measures the work, not the start-up."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.log_path.read_text(errors="replace").count("TensorFlow loaded in pool process") >= processes:
                return self
            time.sleep(0.2)
        raise RuntimeError(f"TensorFlow not loaded after {timeout}s:\n{self.log_path.read_text()[-3000:]}")

    def kill9(self) -> None:
        import signal

        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        import signal

        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log_file.close()


class Api:
    """A signed-in user, talking to the API through a client."""

    def __init__(self, client, username: str, token: str, user_id: int):
        self.client, self.username, self.token, self.user_id = client, username, token, user_id
        self.headers = {"Authorization": f"Bearer {token}"}

    def get(self, url, **kw):
        return self.client.get(url, headers={**self.headers, **kw.pop("headers", {})}, **kw)

    def post(self, url, **kw):
        return self.client.post(url, headers={**self.headers, **kw.pop("headers", {})}, **kw)

    def patch(self, url, **kw):
        return self.client.patch(url, headers={**self.headers, **kw.pop("headers", {})}, **kw)

    def delete(self, url, **kw):
        return self.client.delete(url, headers={**self.headers, **kw.pop("headers", {})}, **kw)


def wait_for(predicate, timeout: float = 30, interval: float = 0.2, what: str = "condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class ApiServer:
    """A private `tinyforge api` process on this run's database, with extra settings (for tests that
    change how the server behaves, or lock out 127.0.0.1). Use as a context manager; `.url`.
    A setting given as None is removed from the environment."""

    def __init__(self, env: dict[str, str | None] | None = None):
        import socket
        import sys

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        self.log_path = Path(os.environ["DATA_DIR"]) / f"api-{secrets.token_hex(3)}.log"
        self.log_file = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "backend.cli.main", "api", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT,
            env={k: v for k, v in {**os.environ, **(env or {})}.items() if v is not None},  # None: unset
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.url = f"http://127.0.0.1:{port}"

    def __enter__(self) -> ApiServer:
        import httpx

        def up():
            if self.proc.poll() is not None:
                raise RuntimeError("API server exited:\n" + self.log_path.read_text()[-3000:])
            try:
                return httpx.get(self.url + "/api/health", timeout=1).status_code in (200, 503)
            except httpx.HTTPError:
                return False

        wait_for(up, timeout=30, what="the API server to answer")
        return self

    def __exit__(self, *exc) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=15)
        self.log_file.close()
