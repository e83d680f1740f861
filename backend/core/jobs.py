"""Enqueueing jobs by task name, only after the transaction that created them commits.

The API never imports `workers`: it sends tasks by name through a Celery client that knows
only the broker.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import lru_cache

from celery import Celery
from sqlalchemy import event
from sqlalchemy.orm import Session

from backend.core.broker import broker_options, celery_broker_url, conn_label
from backend.core.config import get_settings
from backend.core.errors import DomainError
from backend.models.job import Job

log = logging.getLogger(__name__)


class BrokerUnavailable(DomainError):
    """The task queue cannot take the message now; nothing was sent."""

    status_code = 503


@lru_cache
def celery_client() -> Celery:
    settings = get_settings()
    app = Celery("tinyforge-client", broker=celery_broker_url(settings))
    app.conf.broker_transport_options = broker_options(settings)
    app.conf.task_default_queue = settings.instance_name
    app.conf.broker_connection_retry_on_startup = True
    return app


def send_task(name: str, **kw) -> None:
    """Send a task by name; an unreachable broker raises BrokerUnavailable (503), never a 500."""
    try:
        celery_client().send_task(name, **kw)
    except Exception as e:  # kombu raises OperationalError, ChannelError or OSError depending on transport
        log.warning("could not send %s: %s: %s", name, type(e).__name__, e)
        raise BrokerUnavailable(
            f"The task queue (broker {conn_label(get_settings())}) cannot be reached "
            f"({type(e).__name__}); try again when it is back (see /api/health)"
        ) from None


def send_job(job_id: int, kind: str, queue: str | None = None) -> None:
    send_task(kind, args=[job_id], queue=queue or get_settings().instance_name)


def enqueue_after_commit(session: Session, job: Job, on_not_sent: Callable[[int, str], None] | None = None) -> None:
    """Send `job` to the workers once the current transaction commits (never before).

    If the broker cannot take it, `on_not_sent(job_id, reason)` runs (e.g. to mark the job failed,
    so it is never left queued forever) and commit() raises BrokerUnavailable (503)."""
    pending: list = session.info.setdefault("jobs_to_send", [])
    session.flush()
    pending.append((job.id, job.kind, job.queue, on_not_sent))
    if not session.info.get("job_hook_installed"):
        session.info["job_hook_installed"] = True

        @event.listens_for(session, "after_commit")
        def _send(sess: Session) -> None:
            failure: BrokerUnavailable | None = None
            for job_id, kind, queue, not_sent in sess.info.pop("jobs_to_send", []):
                try:
                    send_job(job_id, kind, queue)
                except BrokerUnavailable as e:
                    failure = e
                    if not_sent is not None:
                        not_sent(job_id, e.message)
            if failure is not None:
                raise BrokerUnavailable(failure.message + "; the job was not started and is marked failed")

        @event.listens_for(session, "after_rollback")
        def _drop(sess: Session) -> None:
            sess.info.pop("jobs_to_send", None)
