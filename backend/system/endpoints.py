from __future__ import annotations

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from backend.core.config import get_settings
from backend.core.deps import CurrentUser, ProjectViewer, SessionDep
from backend.core.events import project_channel, subscribe
from backend.stream.sse import relay, sse_response
from backend.system import health as checks
from backend.system.network import lan_addresses
from backend.system.schemas import HealthReport

router = APIRouter(tags=["system"])


@router.get("/api/health", response_model=HealthReport, responses={503: {"model": HealthReport}})
def health(session: SessionDep, response: Response):
    """The database, the broker, the event bus, and a live worker for every queue; `degraded` says why."""
    database_ok, report = checks.check(session)
    response.status_code = 200 if database_ok else 503
    return report


class NetworkInfo(BaseModel):
    lan_addresses: list[str] = Field(description="this server's IPv4 addresses on the local network")
    public_url: str | None = Field(description="PUBLIC_URL, when the studio is published under one")


@router.get(
    "/api/system/network",
    response_model=NetworkInfo,
    summary="Where a phone can reach this studio: LAN addresses and the public URL",
)
def network(user: CurrentUser):
    return NetworkInfo(lan_addresses=lan_addresses(), public_url=get_settings().public_url.rstrip("/") or None)


@router.get("/api/projects/{project_id}/events", summary="Server-Sent Events: everything that changes in a project")
async def project_events(ctx: ProjectViewer, session: SessionDep, request: Request):
    project_id = ctx.project.id
    session.close()
    events = subscribe([project_channel(project_id)])
    await events.__anext__()
    return sse_response(relay(request, [{"type": "hello", "project_id": project_id}], events))
