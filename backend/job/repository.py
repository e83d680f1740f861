"""All SQL about jobs, for the API and for the workers (compare-and-set state changes).

Like every repository it never commits: the caller (a service, or the worker base in
workers/tasks/base.py) commits each compare-and-set at once so other processes see it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from backend.models.base import utcnow
from backend.models.job import FINISHED_STATUSES, Job, JobLog


def list_for_project(session: Session, project_id: int, kind: str | None, limit: int) -> list[Job]:
    q = select(Job).where(Job.project_id == project_id)
    if kind:
        q = q.where(Job.kind == kind)
    return list(session.scalars(q.order_by(Job.id.desc()).limit(limit)))


def logs(session: Session, job_id: int, after_id: int = 0, limit: int = 5000) -> list[JobLog]:
    return list(
        session.scalars(
            select(JobLog).where(JobLog.job_id == job_id, JobLog.id > after_id).order_by(JobLog.id).limit(limit)
        )
    )


def claim(session: Session, job_id: int, worker: str, stale_before: datetime) -> bool:
    """queued -> running, or take over a running job whose worker stopped beating. True if ours."""
    now = utcnow()
    res = session.execute(
        update(Job)
        .where(
            Job.id == job_id,
            or_(Job.status == "queued", and_(Job.status == "running", Job.heartbeat_at < stale_before)),
        )
        .values(
            status="running", worker=worker, attempts=Job.attempts + 1, started_at=now, heartbeat_at=now, error=None
        )
        .execution_options(synchronize_session=False)
    )
    return res.rowcount == 1


def heartbeat(session: Session, job_id: int, worker: str) -> bool:
    res = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == "running", Job.worker == worker)
        .values(heartbeat_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return res.rowcount == 1


def set_progress(session: Session, job_id: int, worker: str, progress: float, lines: list[str]) -> None:
    now = utcnow()
    session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == "running", Job.worker == worker)
        .values(progress=progress, heartbeat_at=now)
        .execution_options(synchronize_session=False)
    )
    session.add_all([JobLog(job_id=job_id, line=line[:4000], created_at=now) for line in lines])


def cancel_requested(session: Session, job_id: int) -> bool:
    return bool(session.scalar(select(Job.cancel_requested).where(Job.id == job_id)))


def finish(
    session: Session,
    job_id: int,
    worker: str | None,
    status: str,
    *,
    result: dict[str, Any] | None = None,
    error: str | None = None,
    from_status: str = "running",
) -> bool:
    """running -> finished (only by the worker that owns it, when `worker` is given)."""
    assert status in FINISHED_STATUSES
    conds = [Job.id == job_id, Job.status == from_status]
    if worker is not None:
        conds.append(Job.worker == worker)
    values: dict[str, Any] = {"status": status, "finished_at": utcnow(), "error": error}
    if result is not None:
        values["result"] = result
    if status == "succeeded":
        values["progress"] = 1.0
    res = session.execute(update(Job).where(*conds).values(**values).execution_options(synchronize_session=False))
    return res.rowcount == 1


def requeue(session: Session, job_id: int, worker: str | None, reason: str) -> bool:
    conds = [Job.id == job_id, Job.status == "running"]
    if worker is not None:
        conds.append(Job.worker == worker)
    res = session.execute(
        update(Job)
        .where(*conds)
        .values(status="queued", worker=None, error=reason)
        .execution_options(synchronize_session=False)
    )
    return res.rowcount == 1


def stale_running(session: Session, queue: str, timeout_s: float) -> list[Job]:
    cutoff = utcnow() - timedelta(seconds=timeout_s)
    return list(
        session.scalars(select(Job).where(Job.queue == queue, Job.status == "running", Job.heartbeat_at < cutoff))
    )


def request_cancel(session: Session, job_id: int) -> None:
    session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status.in_(("queued", "running")))
        .values(cancel_requested=True)
        .execution_options(synchronize_session=False)
    )
