"""Live classification routes: start, stop, watch and save a device's live session."""

from __future__ import annotations

import asyncio
from urllib.parse import unquote

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import PlainTextResponse

from backend.core.config import get_settings
from backend.core.deps import ProjectEditor, ProjectViewer, SessionDep
from backend.core.errors import NotFound
from backend.core.events import subscribe
from backend.device import service as devices
from backend.ingestion import service as ingestion
from backend.ingestion.streaming import read_body
from backend.live import service
from backend.live.channels import HolderNotAnswering, ask, ask_holder, live_channel, upload_channel
from backend.live.schemas import LiveSave, LiveSaved, LiveSessionPublic, LiveStart, LiveStatus, LiveStop
from backend.stream.sse import relay, sse_response

router = APIRouter(prefix="/api/projects/{project_id}/devices/{device_id}/live", tags=["live classification"])
upload_router = APIRouter(tags=["live classification"])


async def _status(project_id: int, device_id: str, connected: bool) -> dict:
    if not connected:
        return {"session": None, "recent": []}
    return await ask_holder(project_id, device_id, {"type": "live.status"}) or {"session": None, "recent": []}


@router.post("", response_model=LiveSessionPublic, summary="Start live classification on a device (or join it)")
async def start_live(device_id: str, body: LiveStart, ctx: ProjectEditor, session: SessionDep):
    """The device streams its readings; each window's result arrives on GET .../live/events.
    If the device is already live with the same impulse and sensor, this joins that session."""
    config = await asyncio.to_thread(service.prepare_start, session, ctx, device_id, body)
    session.close()
    return await ask_holder(ctx.project.id, device_id, {"type": "live.start", "config": config})


@router.post("/stop", status_code=204, summary="Stop the device's live session")
async def stop_live(device_id: str, ctx: ProjectEditor, session: SessionDep, body: LiveStop | None = None):
    devices.get_device(session, ctx, device_id)
    session.close()
    command = {"type": "live.stop", "session_id": (body or LiveStop()).session_id, "by": ctx.actor_name}
    await ask_holder(ctx.project.id, device_id, command)
    return Response(status_code=204)


@router.get("", response_model=LiveStatus, summary="The device's live session, if any, with its recent results")
async def live_status(device_id: str, ctx: ProjectViewer, session: SessionDep):
    connected = devices.is_connected(devices.get_device(session, ctx, device_id))
    session.close()
    return await _status(ctx.project.id, device_id, connected)


@router.get("/events", summary="Server-Sent Events: live.status first, then live.result / live.ended / live.problem")
async def live_events(device_id: str, ctx: ProjectViewer, session: SessionDep, request: Request):
    connected = devices.is_connected(devices.get_device(session, ctx, device_id))
    session.close()
    events = subscribe([live_channel(ctx.project.id, device_id)], poll_s=0.05)
    await events.__anext__()  # subscribed before the snapshot, so no result falls in between
    try:
        status = await _status(ctx.project.id, device_id, connected)
    except Exception:
        await events.aclose()
        raise
    return sse_response(relay(request, [{"type": "live.status", **status}], events))


@router.post("/save", response_model=LiveSaved, status_code=201, summary="Save the last seconds as a test sample")
async def save_live(device_id: str, body: LiveSave, ctx: ProjectEditor, session: SessionDep):
    devices.get_device(session, ctx, device_id)
    readings = await ask_holder(ctx.project.id, device_id, {"type": "live.readings", "seconds": body.seconds})
    return await asyncio.to_thread(service.save_readings, session, ctx, device_id, body, readings)


@upload_router.post(
    "/api/live/{project_id}/{session_id}/data",
    response_class=PlainTextResponse,
    summary="Where a device that only records samples uploads them during a live session (classified, not stored)",
)
async def live_upload(project_id: int, session_id: str, request: Request, session: SessionDep):
    """The same files as POST /api/{category}/data (signed JSON or CBOR, x-api-key); nothing is stored."""
    ctx = await run_in_threadpool(ingestion.resolve_uploader, request, session)
    session.close()
    if ctx.project.id != project_id:
        raise NotFound(f"No live session {session_id} in this project")
    filename = unquote(request.headers.get("x-file-name", "")) or "live.json"
    body = await read_body(request, get_settings().max_file_bytes, filename)
    options = ingestion.options_from_headers(request.headers, "testing")
    new = await run_in_threadpool(
        ingestion.parse_data, body, request.headers.get("content-type", ""), filename, options, ctx.project.hmac_key
    )
    recording = {"values": new.parsed.values.tolist(), "interval_ms": new.parsed.interval_ms}
    try:
        await ask(upload_channel(project_id, session_id), recording, f"Live session {session_id}", timeout_s=3)
    except HolderNotAnswering:
        raise NotFound(f"No live session {session_id} is waiting for a recording") from None
    return PlainTextResponse("classified live, not stored")
