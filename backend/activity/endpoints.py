from __future__ import annotations

from fastapi import APIRouter, Query

from backend.activity import repository
from backend.activity.schemas import ActivityPublic
from backend.core.deps import ProjectViewer, SessionDep
from backend.core.ids import QueryCursor

router = APIRouter(prefix="/api/projects/{project_id}/activity", tags=["activity"])


@router.get("", response_model=list[ActivityPublic])
def list_activity(
    ctx: ProjectViewer,
    session: SessionDep,
    before_id: QueryCursor("page: events older than this id") = None,
    limit: int = Query(50, ge=1, le=500),
):
    return repository.list_for_project(session, ctx.project.id, before_id, limit)
