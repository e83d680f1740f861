"""Deployment routes: start a build of a trained impulse, list builds, download one."""

from __future__ import annotations

from fastapi import APIRouter, Response

from backend.core.deps import ProjectEditor, ProjectViewer, SessionDep
from backend.core.errors import file_response
from backend.core.ids import PathId
from backend.deployment import service
from backend.deployment.schemas import DeploymentCreate, DeploymentPublic

router = APIRouter(prefix="/api/projects/{project_id}/deployments", tags=["deployments"])


@router.post(
    "",
    response_model=DeploymentPublic,
    status_code=201,
    summary="Build the trained impulse for a target (arduino, cpp, tflite); int8 unless variant=float32",
)
def create_deployment(body: DeploymentCreate, ctx: ProjectEditor, session: SessionDep):
    return service.create_deployment(session, ctx, body)


@router.get("", response_model=list[DeploymentPublic], summary="Builds, newest first, with estimates")
def list_deployments(ctx: ProjectViewer, session: SessionDep):
    return service.list_deployments(session, ctx)


@router.get("/{deployment_id}", response_model=DeploymentPublic)
def get_deployment(deployment_id: PathId, ctx: ProjectViewer, session: SessionDep):
    return service.to_public(session, service.get_deployment(session, ctx, deployment_id))


@router.get(
    "/{deployment_id}/download",
    summary="The built package (zip)",
    response_class=Response,
    responses=file_response("application/zip", "The built package"),
)
def download(deployment_id: PathId, ctx: ProjectViewer, session: SessionDep):
    name, content_type, data = service.download(session, ctx, deployment_id)
    return Response(
        content=data, media_type=content_type, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
