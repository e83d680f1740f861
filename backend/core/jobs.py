"""Enqueueing jobs by task name, only after the transaction that created them commits.

The API never imports `workers`: it sends tasks by name through a Celery client that knows
only the broker.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from celery import Celery
from sqlalchemy import event
from sqlalchemy.orm import Session

from backend.core.config import Settings, get_settings
from backend.models.job import Job



def broker_options(settings: Settings) -> dict[str, Any]:
    """Transport options shared by the API's client and the worker app."""
    if settings.uses_filesystem_broker:
        folder = settings.broker_folder
        for sub in ("out", "processed", "control"):
            (folder / sub).mkdir(parents=True, exist_ok=True)
        return {
            # kombu keeps broadcast state here; its default is ./control in the working directory.
            "control_folder": str(folder / "control"),
            "data_folder_in": str(folder / "out"),
            "data_folder_out": str(folder / "out"),
            "processed_folder": str(folder / "processed"),
            "store_processed": False,
            # Interactive calls (DSP preview) wait for a worker to notice the message: poll often.
            "polling_interval": 0.1,
        }
    # Redis: re-deliver unacknowledged tasks of a dead worker after this long. Jobs are protected
    # from running twice by their compare-and-set status, so a short timeout is safe.
    return {"visibility_timeout": max(60, int(settings.job_heartbeat_timeout_s * 2))}


@lru_cache
def celery_client() -> Celery:
    settings = get_settings()
    app = Celery("tinyforge-client", broker=settings.resolved_broker_url)
    app.conf.broker_transport_options = broker_options(settings)
    app.conf.task_default_queue = settings.instance_name
    app.conf.broker_connection_retry_on_startup = True
    return app


def send_job(job_id: int, kind: str, queue: str | None = None) -> None:
    celery_client().send_task(kind, args=[job_id], queue=queue or get_settings().instance_name)


def enqueue_after_commit(session: Session, job: Job) -> None:
    """Send `job` to the workers once the current transaction commits (never before)."""
    pending: list[tuple[int, str, str]] = session.info.setdefault("jobs_to_send", [])
    session.flush()
    pending.append((job.id, job.kind, job.queue))
    if not session.info.get("job_hook_installed"):
        session.info["job_hook_installed"] = True

        @event.listens_for(session, "after_commit")
        def _send(sess: Session) -> None:
            to_send = sess.info.pop("jobs_to_send", [])
            for job_id, kind, queue in to_send:
                send_job(job_id, kind, queue)

        @event.listens_for(session, "after_rollback")
        def _drop(sess: Session) -> None:
            sess.info.pop("jobs_to_send", None)
