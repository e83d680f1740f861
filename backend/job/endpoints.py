from __future__ import annotations

import asyncio

from fastapi import APIRouter, Query, Request

from backend.core.db import get_sessionmaker
from backend.core.deps import ProjectEditor, ProjectViewer, SessionDep
from backend.core.events import job_channel, subscribe
from backend.core.ids import PathId
from backend.job import repository, service
from backend.job.schemas import JobDetail, JobLogLine, JobPublic, SelfTestCreate
from backend.models.job import FINISHED_STATUSES
from backend.stream.sse import relay, sse_response
from backend.system.health import waiting_reason

router = APIRouter(prefix="/api/projects/{project_id}/jobs", tags=["jobs"])


@router.get("", response_model=list[JobPublic])
def list_jobs(ctx: ProjectViewer, session: SessionDep, kind: str | None = None, limit: int = Query(50, ge=1, le=500)):
    rows = repository.list_for_project(session, ctx.project.id, kind, limit)
    reasons = {q: waiting_reason(session, q) for q in {r.queue for r in rows if r.status == "queued"}}
    return [
        JobPublic.model_validate(r).model_copy(update={"waiting": reasons.get(r.queue)}) if r.status == "queued" else r
        for r in rows
    ]


@router.get("/{job_id}", response_model=JobDetail)
def get_job(job_id: PathId, ctx: ProjectViewer, session: SessionDep):
    job = service.get_job(session, ctx, job_id)
    waiting = waiting_reason(session, job.queue) if job.status == "queued" else None
    return JobDetail(
        **JobPublic.model_validate(job).model_dump(exclude={"waiting"}),
        waiting=waiting,
        logs=[JobLogLine.model_validate(x) for x in repository.logs(session, job_id)],
    )


@router.post("/{job_id}/cancel", response_model=JobPublic)
def cancel_job(job_id: PathId, ctx: ProjectEditor, session: SessionDep):
    return service.cancel_job(session, ctx, job_id)


@router.post("/selftest", response_model=JobPublic, status_code=201)
def start_selftest(body: SelfTestCreate, ctx: ProjectEditor, session: SessionDep):
    """A small real job that checks the workers end to end: progress, logs, cancel."""
    return service.start_selftest(session, ctx, body.model_dump())


def _snapshot(job_id: int) -> dict:
    with get_sessionmaker()() as s:
        from backend.models.job import Job

        job = s.get(Job, job_id)
        logs = [{"id": x.id, "line": x.line, "created_at": x.created_at} for x in repository.logs(s, job_id)]
        ev = service.job_event(job)
        ev["job"]["logs"] = logs
        ev["type"] = "snapshot"
        return ev


@router.get("/{job_id}/events", summary="Server-Sent Events: this job's progress and log lines")
async def job_events(job_id: PathId, ctx: ProjectViewer, session: SessionDep, request: Request):
    service.get_job(session, ctx, job_id)
    session.close()
    events = subscribe([job_channel(job_id)])
    await events.__anext__()
    snapshot = await asyncio.to_thread(_snapshot, job_id)

    def finished(ev: dict) -> bool:
        return ev.get("type") in ("job", "snapshot") and ev["job"]["status"] in FINISHED_STATUSES

    return sse_response(relay(request, [snapshot], events, until=finished))
