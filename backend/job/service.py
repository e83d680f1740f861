"""Jobs as data: create (enqueued after commit), cancel, and the state-change events.

Also the reaper: a running job whose worker stopped sending heartbeats (killed, host lost) is
queued again while it has attempts left, otherwise failed with the reason, never left 'running'.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.orm import Session

from backend.activity.service import record
from backend.core import task_names
from backend.core.config import get_settings
from backend.core.deps import ProjectContext
from backend.core.errors import Conflict, NotFound
from backend.core.events import job_channel, project_channel, publish, publish_after_commit
from backend.core.jobs import BrokerUnavailable, enqueue_after_commit, send_job
from backend.job import repository
from backend.job.titles import job_title
from backend.models.job import FINISHED_STATUSES, Job

log = logging.getLogger(__name__)


def job_event(job: Job) -> dict[str, Any]:
    return {
        "type": "job",
        "job": {
            "id": job.id,
            "kind": job.kind,
            "title": job_title(job.kind, job.params),
            "status": job.status,
            "progress": job.progress,
            "error": job.error,
            "project_id": job.project_id,
        },
    }


def announce(job: Job, session: Session | None = None) -> None:
    """Publish the job's state on its own channel and its project's channel."""
    ev = job_event(job)
    if session is not None:
        publish_after_commit(session, job_channel(job.id), ev)
        publish_after_commit(session, project_channel(job.project_id), ev)
    else:
        publish(job_channel(job.id), ev)
        publish(project_channel(job.project_id), ev)


def create_job(session: Session, ctx: ProjectContext, kind: str, params: dict[str, Any]) -> Job:
    job = Job(
        project_id=ctx.project.id,
        kind=kind,
        params=params,
        status="queued",
        queue=get_settings().instance_name,
        created_by_id=ctx.user.id if ctx.user else None,
    )
    session.add(job)
    enqueue_after_commit(session, job, on_not_sent=_fail_unsent)
    target = {"target": params["target"]} if "target" in params else {}
    record(session, ctx, "job.started", job_id=job.id, kind=kind, **target)
    announce(job, session)
    return job


def start_selftest(session: Session, ctx: ProjectContext, params: dict[str, Any]) -> Job:
    job = create_job(session, ctx, task_names.SELFTEST, params)
    session.commit()  # the job is sent to the workers once this commits (enqueue_after_commit)
    return job


def _fail_unsent(job_id: int, reason: str) -> None:
    """The broker refused the job after it was stored: fail it now rather than leave it queued forever."""
    from backend.core.db import get_sessionmaker

    with get_sessionmaker()() as s:
        if repository.finish(s, job_id, None, "failed", error=f"not started: {reason}", from_status="queued"):
            s.commit()
            job = s.get(Job, job_id)
            if job is not None:
                announce(job)


def get_job(session: Session, ctx: ProjectContext, job_id: int) -> Job:
    job = session.get(Job, job_id)
    if job is None or job.project_id != ctx.project.id:
        raise NotFound(f"Job {job_id} not found")
    return job


def cancel_job(session: Session, ctx: ProjectContext, job_id: int) -> Job:
    job = get_job(session, ctx, job_id)
    if job.status in FINISHED_STATUSES:
        raise Conflict(f"Job {job_id} has {job.status} already")
    repository.request_cancel(session, job_id)
    session.commit()
    # A queued job never reached a worker: cancel it here. A running one stops at its next check.
    repository.finish(session, job_id, None, "cancelled", error="cancelled before it started", from_status="queued")
    session.commit()
    session.refresh(job)
    target = {"target": job.params["target"]} if "target" in (job.params or {}) else {}
    record(session, ctx, "job.cancel_requested", job_id=job_id, kind=job.kind, **target)
    announce(job, session)
    session.commit()
    return job


def reap_stale_jobs(session: Session) -> int:
    """Requeue or fail running jobs whose heartbeat stopped. Safe to run from many processes:
    only the process whose compare-and-set wins acts on a job and announces it."""
    settings = get_settings()
    n = 0
    for job in repository.stale_running(session, settings.instance_name, settings.job_heartbeat_timeout_s):
        reason = f"the worker running it ({job.worker}) stopped responding"
        if job.attempts < settings.job_max_attempts and not job.cancel_requested:
            changed = repository.requeue(session, job.id, job.worker, reason + "; retrying")
            session.commit()
            if changed:
                try:
                    send_job(job.id, job.kind, job.queue)
                except BrokerUnavailable as e:  # never leave it queued with no message on its way
                    repository.finish(
                        session, job.id, None, "failed", error=f"{reason}; {e.message}", from_status="queued"
                    )
                    session.commit()
        else:
            changed = repository.finish(
                session, job.id, job.worker, "failed", error=reason + f" after {job.attempts} attempt(s)"
            )
            session.commit()
        if changed:
            n += 1
            session.refresh(job)
            announce(job)
    return n
