"""Data explorer routes: /api/projects/{project_id}/impulses/{impulse_id}/feature-explorer and
/label-suggestions. Viewers read suggestions; editors start the map and accept suggestions."""

from __future__ import annotations

from fastapi import APIRouter, Response

from backend.core.deps import ProjectEditor, ProjectViewer, SessionDep
from backend.core.ids import PathId
from backend.explorer import service
from backend.explorer.schemas import AcceptResult, AcceptSuggestions, ExplorerStart, LabelSuggestions
from backend.job.schemas import JobPublic

router = APIRouter(prefix="/api/projects/{project_id}/impulses/{impulse_id}", tags=["explorer"])


@router.post(
    "/feature-explorer",
    response_model=JobPublic,
    status_code=201,
    responses={200: {"model": JobPublic, "description": "the earlier job: nothing changed since it ran"}},
    summary="Map every window to 2-D and suggest labels (200 with the earlier job when nothing changed)",
)
def feature_explorer(
    impulse_id: PathId, ctx: ProjectEditor, session: SessionDep, response: Response, body: ExplorerStart | None = None
):
    job, cached = service.start(session, ctx, impulse_id, body or ExplorerStart())
    if cached:
        response.status_code = 200
    return job


@router.get("/label-suggestions", response_model=LabelSuggestions)
def label_suggestions(impulse_id: PathId, ctx: ProjectViewer, session: SessionDep):
    return service.suggestions(session, ctx, impulse_id)


@router.post("/label-suggestions/accept", response_model=AcceptResult)
def accept_suggestions(impulse_id: PathId, body: AcceptSuggestions, ctx: ProjectEditor, session: SessionDep):
    """Label the groups' samples that are still unlabeled; logged like a bulk relabel."""
    return service.accept(session, ctx, impulse_id, body)
