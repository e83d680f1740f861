"""Deployment routes: start a build of a trained impulse, list builds, download one."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from backend.core.deps import ProjectEditor, ProjectViewer, SessionDep, api_key_from_request
from backend.core.errors import file_response
from backend.core.ids import PathId
from backend.deployment import phone, service
from backend.deployment.schemas import DeploymentCreate, DeploymentPublic, PhoneBuildPublic, TargetPublic
from backend.deployment.targets import list_targets

router = APIRouter(prefix="/api/projects/{project_id}/deployments", tags=["deployments"])
# The phone page holds only the project's device key (x-api-key): its own routes, its project only.
phone_router = APIRouter(prefix="/api/device-key/wasm", tags=["deployments"])


@router.post(
    "",
    response_model=DeploymentPublic,
    status_code=201,
    summary="Build the trained impulse for a target (arduino, cpp, tflite, wasm); int8 unless variant=float32",
)
def create_deployment(body: DeploymentCreate, ctx: ProjectEditor, session: SessionDep):
    return service.create_deployment(session, ctx, body)


@router.get(
    "/targets", response_model=list[TargetPublic], summary="The targets, and whether this server can build each"
)
def targets(ctx: ProjectViewer):
    return list_targets()


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


@router.get(
    "/{deployment_id}/module.wasm",
    summary="The WebAssembly module of a wasm build (what the phone page runs)",
    response_class=Response,
    responses=file_response("application/wasm", "The .wasm module"),
)
def wasm_module(deployment_id: PathId, ctx: ProjectViewer, session: SessionDep):
    return _wasm_response(*service.wasm_module(session, ctx, deployment_id))


def _wasm_response(name: str, data: bytes) -> Response:
    return Response(
        content=data,
        media_type="application/wasm",
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "private, no-cache"},
    )


@phone_router.get("", response_model=PhoneBuildPublic, summary="The project's newest WebAssembly build (device key)")
def phone_build(request: Request, session: SessionDep):
    return phone.latest(session, phone.device_context(api_key_from_request(request, session)))


@phone_router.post(
    "",
    response_model=PhoneBuildPublic,
    responses={201: {"model": PhoneBuildPublic, "description": "A new build was started"}},
    summary="Start a WebAssembly build unless a usable one exists or one is under way (device key)",
)
def phone_ensure_build(request: Request, response: Response, session: SessionDep):
    build, started = phone.ensure_build(session, phone.device_context(api_key_from_request(request, session)))
    response.status_code = 201 if started else 200
    return build


@phone_router.get(
    "/{deployment_id}/module.wasm",
    summary="The .wasm module of one of the project's WebAssembly builds (device key)",
    response_class=Response,
    responses=file_response("application/wasm", "The .wasm module"),
)
def phone_module(deployment_id: PathId, request: Request, session: SessionDep):
    ctx = phone.device_context(api_key_from_request(request, session))
    return _wasm_response(*phone.module(session, ctx, deployment_id))
