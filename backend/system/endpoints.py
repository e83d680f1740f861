from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy import select, text

from backend.core.config import get_settings
from backend.core.deps import CurrentUser, ProjectViewer, SessionDep
from backend.core.events import project_channel, subscribe, uses_redis
from backend.models.base import utcnow
from backend.models.system import WorkerHeartbeat
from backend.stream.sse import relay, sse_response
from backend.system.network import lan_addresses

router = APIRouter(tags=["system"])


@router.get("/api/health")
def health(session: SessionDep, response: Response):
    """The database, and whether at least one worker has checked in recently."""
    settings = get_settings()
    try:
        session.execute(text("SELECT 1"))
        database = "ok"
    except Exception as e:  # report, don't crash: this is what monitoring reads
        database = f"error: {type(e).__name__}"
    workers = []
    if database == "ok":
        cutoff = utcnow() - timedelta(seconds=settings.worker_seen_timeout_s)
        workers = [{"hostname": w.hostname, "pid": w.pid, "last_seen_at": w.last_seen_at}
                   for w in session.scalars(select(WorkerHeartbeat).where(WorkerHeartbeat.last_seen_at >= cutoff))]
    ok = database == "ok" and bool(workers)
    response.status_code = 200 if database == "ok" else 503
    return {
        "status": "ok" if ok else "degraded",
        "database": database,
        "database_backend": session.bind.dialect.name if session.bind else "unknown",
        "broker": "filesystem" if settings.uses_filesystem_broker else settings.resolved_broker_url.split("://")[0],
        "events": "redis" if uses_redis() else "database",
        "worker": {"connected": bool(workers), "workers": workers},
    }


class NetworkInfo(BaseModel):
    lan_addresses: list[str] = Field(description="this server's IPv4 addresses on the local network")
    public_url: str | None = Field(description="PUBLIC_URL, when the studio is published under one")


@router.get("/api/system/network", response_model=NetworkInfo,
            summary="Where a phone can reach this studio: LAN addresses and the public URL")
def network(user: CurrentUser):
    return NetworkInfo(lan_addresses=lan_addresses(), public_url=get_settings().public_url.rstrip("/") or None)


@router.get("/api/projects/{project_id}/events", summary="Server-Sent Events: everything that changes in a project")
async def project_events(ctx: ProjectViewer, session: SessionDep, request: Request):
    project_id = ctx.project.id
    session.close()
    events = subscribe([project_channel(project_id)])
    await events.__anext__()
    return sse_response(relay(request, [{"type": "hello", "project_id": project_id}], events))
