"""Version routes: save, list, show and compare versions; restore one, or clone the project, into
a new project owned by the caller."""

from __future__ import annotations

from fastapi import APIRouter, Query

from backend.core.deps import ProjectEditor, ProjectViewer, SessionDep
from backend.core.ids import PathId, QueryCursor
from backend.dataset.schemas import Category
from backend.project.schemas import ProjectPublic
from backend.version import public, service
from backend.version.schemas import (
    ProjectCopyRequest,
    PublicLink,
    VersionCreate,
    VersionDiff,
    VersionPublic,
    VersionSamplePage,
    VersionSummary,
)

router = APIRouter(prefix="/api/projects/{project_id}", tags=["versions"])


def _owned(project) -> ProjectPublic:
    return ProjectPublic(id=project.id, name=project.name, created_at=project.created_at, role="owner", member_count=1)


@router.post(
    "/versions",
    response_model=VersionPublic,
    status_code=201,
    summary="Save a version: the dataset as it is, every impulse, its trained model and builds",
)
def save_version(body: VersionCreate, ctx: ProjectEditor, session: SessionDep):
    return service.to_public(service.save_version(session, ctx, body))


@router.get(
    "/versions",
    response_model=list[VersionSummary],
    summary="Versions, newest first, with sample counts and each impulse's accuracy",
)
def list_versions(ctx: ProjectViewer, session: SessionDep):
    return service.list_versions(session, ctx)


@router.get("/versions/{version_id}", response_model=VersionPublic)
def get_version(version_id: PathId, ctx: ProjectViewer, session: SessionDep):
    return service.to_public(service.get_version(session, ctx, version_id))


@router.get(
    "/versions/{version_id}/samples",
    response_model=VersionSamplePage,
    summary="The version's samples as it saw them (labels, categories, enabled), in id order",
)
def list_version_samples(
    version_id: PathId,
    ctx: ProjectViewer,
    session: SessionDep,
    category: Category | None = None,
    label: str | None = Query(None, max_length=128, description="exact label"),
    cursor: QueryCursor("next_cursor of the previous page") = None,
    limit: int = Query(100, ge=1, le=1000),
):
    return service.sample_page(session, ctx, version_id, cursor=cursor, limit=limit, category=category, label=label)


@router.get(
    "/versions/{version_id}/diff/{other_version_id}",
    response_model=VersionDiff,
    summary="What changed from one version to another: samples, impulse fields, accuracy, on-device figures",
)
def diff_versions(version_id: PathId, other_version_id: PathId, ctx: ProjectViewer, session: SessionDep):
    return service.compare(session, ctx, version_id, other_version_id)


@router.post(
    "/versions/{version_id}/public-link",
    response_model=PublicLink,
    status_code=201,
    summary="Turn on a read-only public link to this version (a new token; the previous link stops working)",
)
def enable_public_link(version_id: PathId, ctx: ProjectEditor, session: SessionDep):
    return public.enable(session, ctx, version_id)


@router.delete("/versions/{version_id}/public-link", status_code=204, summary="Revoke the version's public link")
def revoke_public_link(version_id: PathId, ctx: ProjectEditor, session: SessionDep):
    public.revoke(session, ctx, version_id)


@router.post(
    "/versions/{version_id}/restore",
    response_model=ProjectPublic,
    status_code=201,
    summary="Restore a version into a new project that you own",
)
def restore_version(version_id: PathId, body: ProjectCopyRequest, ctx: ProjectEditor, session: SessionDep):
    return _owned(service.restore_version(session, ctx, version_id, body))


@router.post(
    "/clone",
    response_model=ProjectPublic,
    status_code=201,
    summary="Copy the project as it is now (data, impulses, trained models) into a new project that you own",
)
def clone_project(body: ProjectCopyRequest, ctx: ProjectEditor, session: SessionDep):
    return _owned(service.clone_project(session, ctx, body))
