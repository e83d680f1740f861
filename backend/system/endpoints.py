from __future__ import annotations

from fastapi import APIRouter, Request, Response

from backend.core.deps import ProjectViewer, SessionDep
from backend.core.events import project_channel, subscribe
from backend.stream.sse import relay, sse_response
from backend.system import health as checks
from backend.system.schemas import HealthReport

router = APIRouter(tags=["system"])


@router.get("/api/health", response_model=HealthReport, responses={503: {"model": HealthReport}})
def health(session: SessionDep, response: Response):
    """The database, the broker, the event bus, and a live worker for every queue; `degraded` says why."""
    database_ok, report = checks.check(session)
    response.status_code = 200 if database_ok else 503
    return report


@router.get("/api/projects/{project_id}/events", summary="Server-Sent Events: everything that changes in a project")
async def project_events(ctx: ProjectViewer, session: SessionDep, request: Request):
    project_id = ctx.project.id
    session.close()
    events = subscribe([project_channel(project_id)])
    await events.__anext__()
    return sse_response(relay(request, [{"type": "hello", "project_id": project_id}], events))
