"""Edge Impulse's Studio API, the part device clients call with an API key, under /v1/api.

Called by Edge Impulse's phone client (`GET /v1/api/projects`, then `.../devkeys/hmac`), its CLI
uploader (`/v1/api/projects`, `/v1/api/{id}`, `/v1/api/{id}/devkeys/hmac`) and its data forwarder
(also `/v1/api/{id}/device/{deviceId}` and `/v1/api/{id}/devices/{deviceId}/rename`). Only the
x-api-key header authenticates (never a cookie), so the routes are open to any origin (see
backend/ingestion/cors.py). Errors come back in Edge Impulse's shape `{"success": false, "error"}`.
Remote management also answers at `/` (Edge Impulse's CLI connects to the root of port 4802).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import APIRouter, Request, WebSocket
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException
from starlette.responses import Response

from backend.core.deps import SessionDep
from backend.core.errors import DomainError, NotFound
from backend.device import hub
from backend.device import service as devices
from backend.device.schemas import DeviceUpdate
from backend.eicompat import service
from backend.eicompat.schemas import (
    DevelopmentKeysResponse,
    DeviceResponse,
    EiDevelopmentKeys,
    EiError,
    EiResponse,
    HmacDevkeyResponse,
    ListDevicesResponse,
    ListProjectsResponse,
    ProjectInfoResponse,
)

# The paths served here; the CORS middleware opens them to other origins.
STUDIO_API_PATHS = re.compile(r"^/v1/api(/.*)?$")


def _ei_error(status: int, message: str) -> JSONResponse:
    return JSONResponse(EiError(error=message).model_dump(), status_code=status)


class EdgeImpulseRoute(APIRoute):
    """Answers errors (ours, validation, HTTP) in Edge Impulse's shape, which its clients read."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except DomainError as exc:
                return _ei_error(exc.status_code, exc.message)
            except RequestValidationError as exc:
                if all(e["loc"][0] == "path" for e in exc.errors()):  # no such project, device...: not a route
                    return _ei_error(404, f"No such resource: {request.url.path}")
                return _ei_error(400, "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()))
            except HTTPException as exc:
                return _ei_error(exc.status_code, str(exc.detail))

        return handle


# Left out of our OpenAPI schema: these mirror Edge Impulse's own documented API, and the studio's
# typed client never calls them.
router = APIRouter(
    prefix="/v1/api", tags=["edge impulse compatibility"], route_class=EdgeImpulseRoute, include_in_schema=False
)
# Outside /v1/api: remote management at `/`, and the studio links the CLI prints.
root_router = APIRouter()
# Studio pages Edge Impulse's tools print links to, and ours.
_STUDIO_PAGES = {"": "", "acquisition": "data", "devices": "devices", "create-impulse": "impulse"}


@root_router.websocket("/")
async def remote_management_at_root(ws: WebSocket):
    """Remote management where Edge Impulse's CLI looks for it: the root of port 4802."""
    await hub.DeviceSession(ws).run()


@root_router.get("/studio/{project_id}", include_in_schema=False)
@root_router.get("/studio/{project_id}/{page:path}", include_in_schema=False)
def studio_link(project_id: int, page: str = ""):
    """The uploader and forwarder print `<host>/studio/{id}/acquisition/training`: open our page."""
    ours = _STUDIO_PAGES.get(page.split("/", 1)[0], "")
    return RedirectResponse(f"/projects/{project_id}/{ours}".rstrip("/"), status_code=307)


@router.get("/projects", response_model=ListProjectsResponse, summary="The API key's project, as a list")
def list_projects(request: Request, session: SessionDep):
    ctx = service.key_context(request, session)
    return ListProjectsResponse(projects=[service.to_ei_project(session, ctx.project, request)])


@router.get("/{project_id}", response_model=ProjectInfoResponse, summary="The project, its devices and keys")
def project_info(project_id: int, request: Request, session: SessionDep):
    ctx = service.key_context(request, session, project_id)
    may_sign = ctx.api_key.role in devices.DEVICE_KEY_ROLES
    return ProjectInfoResponse(
        project=service.to_ei_project(session, ctx.project, request),
        developmentKeys=EiDevelopmentKeys(hmacKey=ctx.project.hmac_key if may_sign else None),
        devices=[service.to_ei_device(d) for d in devices.list_devices(session, ctx)],
        studioUrl=service.studio_url(request, project_id),
    )


@router.get(
    "/{project_id}/devkeys/hmac", response_model=HmacDevkeyResponse, summary="The HMAC key devices sign data files with"
)
def hmac_devkey(project_id: int, request: Request, session: SessionDep):
    ctx = service.key_context(request, session, project_id)
    service.require_device_key(ctx.api_key)
    return HmacDevkeyResponse(hmacKey=ctx.project.hmac_key)


@router.get(
    "/{project_id}/devkeys",
    response_model=DevelopmentKeysResponse,
    summary="Development keys: the HMAC key (the API key is the one you sent)",
)
def development_keys(project_id: int, request: Request, session: SessionDep):
    ctx = service.key_context(request, session, project_id)
    service.require_device_key(ctx.api_key)
    return DevelopmentKeysResponse(hmacKey=ctx.project.hmac_key)


@router.get("/{project_id}/devices", response_model=ListDevicesResponse)
def list_devices(project_id: int, request: Request, session: SessionDep):
    ctx = service.key_context(request, session, project_id)
    return ListDevicesResponse(devices=[service.to_ei_device(d) for d in devices.list_devices(session, ctx)])


@router.get("/{project_id}/device/{device_id}", response_model=DeviceResponse)
def get_device(project_id: int, device_id: str, request: Request, session: SessionDep):
    ctx = service.key_context(request, session, project_id)
    return DeviceResponse(device=service.to_ei_device(devices.get_device(session, ctx, device_id)))


@router.post("/{project_id}/devices/{device_id}/rename", response_model=EiResponse)
def rename_device(project_id: int, device_id: str, body: DeviceUpdate, request: Request, session: SessionDep):
    ctx = service.key_context(request, session, project_id)
    service.require_device_key(ctx.api_key)
    devices.rename_device(session, ctx, device_id, body.name)
    return EiResponse()


@router.api_route("/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"], include_in_schema=False)
def unknown_route(rest: str, request: Request):
    raise NotFound(f"TinyForge does not implement {request.method} /v1/api/{rest} of Edge Impulse's Studio API")
