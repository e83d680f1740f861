"""Devices: the remote-management WebSocket devices connect to, and the project's devices API.

Devices connect to `ws(s)://<server>/api/remote-management` (Edge Impulse clients take this full
URL as their remote-management endpoint) and upload what they record to the ingestion API at the
root of the same origin.
"""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request, Response, WebSocket

from backend.core.deps import ProjectEditor, ProjectViewer, SessionDep, api_key_from_request
from backend.device import hub, service
from backend.device.schemas import DeviceKeyPublic, DevicePublic, DeviceUpdate, SampleRequestCreate, SampleRequestPublic

router = APIRouter(tags=["devices"])
PREFIX = "/api/projects/{project_id}/devices"


@router.websocket("/api/remote-management")
async def remote_management(ws: WebSocket):
    """Edge Impulse's remote-management protocol (hello, sample requests, progress; JSON or CBOR)."""
    await hub.DeviceSession(ws).run()


@router.get("/api/device-key", response_model=DeviceKeyPublic)
def device_key(request: Request, session: SessionDep):
    """For device tools holding only an API key: its project, and the HMAC key to sign data with."""
    return service.device_key(session, api_key_from_request(request, session))


@router.get(PREFIX, response_model=list[DevicePublic])
def list_devices(ctx: ProjectViewer, session: SessionDep):
    return [service.to_public(d) for d in service.list_devices(session, ctx)]


@router.get(PREFIX + "/{device_id}", response_model=DevicePublic)
def get_device(device_id: str, ctx: ProjectViewer, session: SessionDep):
    return service.to_public(service.get_device(session, ctx, device_id))


@router.patch(PREFIX + "/{device_id}", response_model=DevicePublic)
def rename_device(device_id: str, body: DeviceUpdate, ctx: ProjectEditor, session: SessionDep):
    return service.to_public(service.rename_device(session, ctx, device_id, body.name))


@router.delete(PREFIX + "/{device_id}", status_code=204)
def delete_device(device_id: str, ctx: ProjectEditor, session: SessionDep):
    service.delete_device(session, ctx, device_id)
    return Response(status_code=204)


@router.post(PREFIX + "/{device_id}/sample", response_model=SampleRequestPublic, status_code=202)
async def request_sample(device_id: str, body: SampleRequestCreate, ctx: ProjectEditor, session: SessionDep):
    """Ask a connected device to record. Answers once the device accepted; its progress follows
    as `device.sampling` events (stage, progress) on the project's event stream."""
    command = await asyncio.to_thread(service.prepare_sample_request, session, ctx, device_id, body)
    session.close()
    answer = await hub.ask_device(ctx.project.id, device_id, command)
    return SampleRequestPublic(**command["request"], stage=answer["stage"])
