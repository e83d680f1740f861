"""Who is online in a project (the studio shows it; heartbeats from each open tab)."""

from __future__ import annotations

from fastapi import APIRouter, Query, Response

from backend.core.deps import ProjectViewer
from backend.presence import service
from backend.presence.schemas import OnlineMember

router = APIRouter(tags=["studio"])
TAB = Query("", max_length=64, description="id of the browser tab; leaving only counts for the tab that beat last")


@router.get("/api/projects/{project_id}/presence", response_model=list[OnlineMember])
def who_is_online(ctx: ProjectViewer):
    return service.online(ctx)


@router.post(
    "/api/projects/{project_id}/presence",
    response_model=list[OnlineMember],
    summary="Heartbeat: I am looking at this project (send every 20 s)",
)
def i_am_here(ctx: ProjectViewer, tab: str = TAB):
    return service.heartbeat(ctx, tab)


@router.post(
    "/api/projects/{project_id}/presence/leave",
    status_code=204,
    summary="I closed the page (sent with navigator.sendBeacon, which can only POST)",
)
def i_am_leaving(ctx: ProjectViewer, tab: str = TAB):
    service.leave(ctx, tab)
    return Response(status_code=204)
