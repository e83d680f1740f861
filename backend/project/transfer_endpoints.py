"""Project export (one zip with everything) and import (a new project owned by the importer)."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

from backend.core.config import get_settings
from backend.core.deps import CurrentUser, ProjectViewer, SessionDep
from backend.core.downloads import zip_download
from backend.core.errors import InvalidInput, error_responses, file_response
from backend.ingestion.parse_slots import parse_slot
from backend.ingestion.streaming import read_multipart_files, spool_body
from backend.project import transfer_export, transfer_import
from backend.project.schemas import ProjectPublic, _clean_name

router = APIRouter(prefix="/api/projects", tags=["projects"])
MAX_IMPORT_FACTOR = 20  # an archive may be this many times the per-file limit


@router.get(
    "/{project_id}/export",
    summary="The whole project as one zip: samples and values, impulses, trained models, builds' metadata, versions",
    response_class=StreamingResponse,
    responses=file_response("application/zip", "The project archive"),
)
def export_project(ctx: ProjectViewer, session: SessionDep):
    return zip_download(transfer_export.export_project(session, ctx), f"tinyforge-project-{ctx.project.id}.zip")


@router.post(
    "/import",
    response_model=ProjectPublic,
    status_code=201,
    responses=error_responses(413, 422, 503),
    summary="Import a project archive (raw application/zip body, or multipart field `file`) as a new project you own",
)
async def import_project(
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    name: str | None = Query(None, max_length=120, description="the new project's name; default: the archive's"),
):
    try:
        name = _clean_name(name) if name is not None else None
    except ValueError as exc:
        raise InvalidInput(f"name: {exc}") from None
    limit = get_settings().max_file_bytes * MAX_IMPORT_FACTOR
    async with parse_slot(request):
        if request.headers.get("content-type", "").startswith("multipart/form-data"):
            body = (await read_multipart_files(request, "file", 1, limit))[0].spool
        else:
            body = await spool_body(request, limit, "the archive")
        try:
            project = await run_in_threadpool(transfer_import.import_project, session, user, body, name)
        finally:
            body.close()
    return ProjectPublic(id=project.id, name=project.name, created_at=project.created_at, role="owner", member_count=1)
