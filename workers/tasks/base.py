"""The base of every job task: ids in, idempotent, acks late, heartbeats, progress, cancel.

A task receives only a job id. It claims the job with a compare-and-set (queued -> running, or
a running job whose worker stopped beating), so a duplicate delivery of a job that is running or
finished does nothing. While it runs, a thread keeps the job's heartbeat fresh; progress and log
lines are written at most a few times a second and published as events.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import traceback
from datetime import timedelta
from typing import Any

from celery import Task
from sqlalchemy.exc import OperationalError

from backend.core.config import get_settings
from backend.core.db import get_sessionmaker
from backend.core.events import job_channel, publish
from backend.job import repository
from backend.job.service import announce
from backend.models.base import utcnow
from backend.models.job import Job

log = logging.getLogger(__name__)
FLUSH_S = 0.5


class JobCancelled(Exception):
    """Raised inside a job when a user asked to cancel it."""


class JobFailed(Exception):
    """A job that cannot succeed, with a message for the user (no traceback shown)."""


# Errors worth another attempt: the database or broker went away for a moment.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (OperationalError, ConnectionError)


class JobContext:
    """What a running job uses to talk to the world: params, progress, log, cancel."""

    def __init__(self, job: Job, worker: str):
        self.job_id = job.id
        self.project_id = job.project_id
        self.kind = job.kind
        self.params: dict[str, Any] = dict(job.params or {})
        self.worker = worker
        self._maker = get_sessionmaker()
        self._lines: list[str] = []
        self._progress = 0.0
        self._last_flush = 0.0
        self._last_cancel_check = 0.0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._beat = threading.Thread(target=self._heartbeat, daemon=True, name=f"job-{job.id}-heartbeat")

    # -- used by job code -------------------------------------------------------------------
    def log(self, line: str) -> None:
        with self._lock:
            self._lines.append(line)
        self._maybe_flush()

    def progress(self, fraction: float, line: str | None = None) -> None:
        self._progress = max(0.0, min(1.0, float(fraction)))
        if line:
            self.log(line)
        else:
            self._maybe_flush()

    def check_cancelled(self) -> None:
        """Raise JobCancelled if a user asked to cancel (checked at most twice a second)."""
        now = time.monotonic()
        if now - self._last_cancel_check < FLUSH_S:
            return
        self._last_cancel_check = now
        with self._maker() as s:
            if repository.cancel_requested(s, self.job_id):
                raise JobCancelled()

    def session(self):
        return self._maker()

    # -- internals ---------------------------------------------------------------------------
    def _maybe_flush(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last_flush < FLUSH_S:
            return
        self._last_flush = now
        with self._lock:
            lines, self._lines = self._lines, []
        with self._maker() as s:
            repository.set_progress(s, self.job_id, self.worker, self._progress, lines)
            s.commit()
        publish(
            job_channel(self.job_id),
            {"type": "progress", "job_id": self.job_id, "progress": self._progress, "lines": lines},
        )

    def _heartbeat(self) -> None:
        interval = max(0.5, get_settings().job_heartbeat_timeout_s / 4)
        while not self._stop.wait(interval):
            try:
                with self._maker() as s:
                    repository.heartbeat(s, self.job_id, self.worker)
                    s.commit()
            except Exception:
                log.exception("job heartbeat failed")

    def __enter__(self) -> JobContext:
        self._beat.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._beat.join(timeout=5)
        try:
            self._maybe_flush(force=True)
        except Exception:
            log.exception("final flush failed")


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class JobTask(Task):
    """Subclasses implement run_job(ctx) and return a JSON-serialisable result dict."""

    abstract = True
    acks_late = True
    reject_on_worker_lost = True
    max_retries = 3
    retry_backoff_s = 5

    def run_job(self, ctx: JobContext) -> dict[str, Any] | None:  # pragma: no cover - abstract
        raise NotImplementedError

    def run(self, job_id: int) -> None:
        settings = get_settings()
        worker = worker_name()
        maker = get_sessionmaker()
        with maker() as s:
            stale = utcnow() - timedelta(seconds=settings.job_heartbeat_timeout_s)
            claimed = repository.claim(s, job_id, worker, stale)
            s.commit()  # the compare-and-set: committed at once so a duplicate delivery sees it
            if not claimed:
                job = s.get(Job, job_id)
                log.info(
                    "job %s not claimed (status %s): duplicate or finished delivery",
                    job_id,
                    job.status if job else "missing",
                )
                return
            job = s.get(Job, job_id)
            s.expunge(job)
        announce(job)
        status, result, error = "failed", None, None
        with JobContext(job, worker) as ctx:
            ctx.log(f"started on {worker} (attempt {job.attempts})")
            try:
                if job.cancel_requested:
                    raise JobCancelled()
                result = self.run_job(ctx) or {}
                status = "succeeded"
                ctx.log("finished")
            except JobCancelled:
                status, error = "cancelled", "cancelled by a user"
                ctx.log("cancelled")
            except JobFailed as e:
                error = str(e)
                ctx.log(f"failed: {error}")
            except TRANSIENT_ERRORS as e:
                if self.request.retries < self.max_retries:
                    ctx.log(f"transient error, retrying: {e}")
                    with maker() as s:
                        repository.requeue(s, job_id, worker, f"transient error: {e}")
                        s.commit()
                    raise self.retry(countdown=self.retry_backoff_s, exc=e) from e
                error = f"gave up after transient errors: {e}"
            except Exception as e:  # a bug or bad data: the job fails with the reason, the worker lives on
                error = f"{type(e).__name__}: {e}"
                ctx.log(f"failed: {error}")
                ctx.log(traceback.format_exc(limit=8))
        with maker() as s:
            repository.finish(s, job_id, worker, status, result=result, error=error)
            s.commit()
            job = s.get(Job, job_id)
            announce(job)
