"""Routes of a version's public read-only link: no sign-in, GET only, 404 for an unknown or
revoked token. They show the version's samples, impulses, metrics and the libraries it built."""

from __future__ import annotations

from fastapi import APIRouter, Query
from fastapi.responses import Response

from backend.core.deps import SessionDep
from backend.core.errors import file_response
from backend.core.ids import PathId, QueryCursor
from backend.dataset.schemas import Category
from backend.version import public, service
from backend.version.schemas import PublicSampleValues, PublicVersion, VersionSamplePage

router = APIRouter(prefix="/api/public/versions/{token}", tags=["public versions"])


@router.get("", response_model=PublicVersion, summary="A version shared by its public link")
def public_version(token: str, session: SessionDep):
    return public.describe(session, public.resolve(session, token))


@router.get("/samples", response_model=VersionSamplePage)
def public_samples(
    token: str,
    session: SessionDep,
    category: Category | None = None,
    label: str | None = Query(None, max_length=128, description="exact label"),
    cursor: QueryCursor("next_cursor of the previous page") = None,
    limit: int = Query(100, ge=1, le=1000),
):
    version = public.resolve(session, token)
    return service.page_of(session, version, cursor=cursor, limit=limit, category=category, label=label)


@router.get(
    "/samples/{sample_id}", response_model=PublicSampleValues, summary="A sample's values as the version saw them"
)
def public_sample(
    token: str,
    sample_id: PathId,
    session: SessionDep,
    max_points: int = Query(2000, ge=0, le=1_000_000, description="downsample to this many rows; 0: all"),
):
    return public.sample_values(session, public.resolve(session, token), sample_id, max_points)


@router.get(
    "/deployments/{deployment_id}/download",
    response_class=Response,
    responses=file_response("application/zip", "The built library"),
    summary="Download a library the version's deployments built",
)
def public_library(token: str, deployment_id: PathId, session: SessionDep):
    name, content_type, data = public.library(session, public.resolve(session, token), deployment_id)
    return Response(
        content=data, media_type=content_type, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
