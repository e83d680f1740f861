"""Devices of a project: what connected, whether it still is, and asking one to record.

Several API processes may run; a device's socket lives in one of them (the holder). Commands go
through the event bus on the device's channel, which the holder listens to, so any API process
can ask any connected device to record. A holder that dies cannot mark its devices offline, so
"connected" means: a holder is recorded and it refreshed `last_seen_at` recently.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend.activity.service import record
from backend.core.db import get_sessionmaker
from backend.core.deps import ProjectContext
from backend.core.errors import Conflict, Forbidden, InvalidInput, NotFound, Unauthorized
from backend.core.events import project_channel, publish_after_commit
from backend.device import repository
from backend.device.protocol import Hello, ProtocolError, sample_request
from backend.device.schemas import DeviceKeyPublic, DevicePublic, DeviceSensor, SampleRequestCreate
from backend.models.base import utcnow
from backend.models.device import Device
from backend.models.project import ApiKey

HEARTBEAT_S = 10.0
# Three missed heartbeats and the device counts as gone (its API process crashed or hung).
SEEN_TIMEOUT_S = 30.0
# API keys a device may connect with: it uploads what it records, so it needs upload rights.
DEVICE_KEY_ROLES = ("admin", "ingestiononly")


def device_channel(project_id: int, device_id: str) -> str:
    # Hashed: channel names are short (the database outbox stores 64 characters).
    return f"device:{project_id}:{hashlib.sha256(device_id.encode()).hexdigest()[:24]}"


def is_connected(device: Device) -> bool:
    return device.holder is not None and device.last_seen_at >= utcnow() - timedelta(seconds=SEEN_TIMEOUT_S)


def to_public(device: Device) -> DevicePublic:
    return DevicePublic(
        device_id=device.device_id,
        name=device.name,
        device_type=device.device_type,
        sensors=[DeviceSensor(**s) for s in device.sensors],
        connection=device.connection,
        connected=is_connected(device),
        last_seen_at=device.last_seen_at,
        created_at=device.created_at,
    )


def _changed(session: Session, project_id: int, device_id: str, action: str, connected: bool) -> None:
    publish_after_commit(
        session,
        project_channel(project_id),
        {"type": "devices.changed", "device_id": device_id, "action": action, "connected": connected},
    )


# ---- the project's API ------------------------------------------------------------------------
def get_device(session: Session, ctx: ProjectContext, device_id: str) -> Device:
    device = repository.get(session, ctx.project.id, device_id)
    if device is None:
        raise NotFound(f"Device '{device_id}' not found in this project")
    return device


def list_devices(session: Session, ctx: ProjectContext) -> list[Device]:
    return repository.list_for_project(session, ctx.project.id)


def rename_device(session: Session, ctx: ProjectContext, device_id: str, name: str) -> Device:
    device = get_device(session, ctx, device_id)
    old, device.name = device.name, name
    record(session, ctx, "device.renamed", device_id=device_id, old_name=old, name=name)
    _changed(session, ctx.project.id, device_id, "renamed", is_connected(device))
    session.commit()
    return device


def delete_device(session: Session, ctx: ProjectContext, device_id: str) -> None:
    """Forget the device; a connected one is disconnected (it may connect again later)."""
    device = get_device(session, ctx, device_id)
    repository.remove(session, ctx.project.id, device_id)
    record(session, ctx, "device.deleted", device_id=device_id, name=device.name)
    _changed(session, ctx.project.id, device_id, "deleted", False)
    publish_after_commit(session, device_channel(ctx.project.id, device_id), {"type": "device.deleted"})
    session.commit()


def _pick_sensor(device: Device, wanted: str | None) -> dict[str, Any]:
    if not device.sensors:
        raise InvalidInput(f"Device '{device.device_id}' announced no sensors, so it cannot record")
    if wanted is None:
        return device.sensors[0]
    for sensor in device.sensors:
        if sensor["name"] == wanted:
            return sensor
    names = ", ".join(repr(s["name"]) for s in device.sensors)
    raise InvalidInput(f"Device '{device.device_id}' has no sensor {wanted!r}; it has {names}")


def _pick_frequency(sensor: dict[str, Any], body: SampleRequestCreate) -> float:
    both = body.frequency is not None and body.interval_ms is not None
    if both and abs(1000.0 / body.interval_ms - body.frequency) > 1e-6 * body.frequency:
        raise InvalidInput("frequency and interval_ms disagree; send one of them")
    freq = (
        body.frequency
        if body.frequency is not None
        else (1000.0 / body.interval_ms if body.interval_ms is not None else None)
    )
    offered = sensor["frequencies"]
    if freq is None:
        if not offered:
            raise InvalidInput(f"Sensor {sensor['name']!r} lists no frequencies; send frequency (Hz)")
        return offered[0]
    if offered and not any(abs(freq - f) <= 1e-6 * f for f in offered):
        listed = ", ".join(f"{f:g}" for f in offered)
        raise InvalidInput(f"Sensor {sensor['name']!r} records at {listed} Hz, not {freq:g} Hz")
    return freq


def prepare_sample_request(
    session: Session, ctx: ProjectContext, device_id: str, body: SampleRequestCreate
) -> dict[str, Any]:
    """Check the request against what the device announced; returns the command for its holder."""
    device = get_device(session, ctx, device_id)
    if not is_connected(device):
        raise Conflict(f"Device '{device_id}' is not connected; connect it, then try again")
    sensor = _pick_sensor(device, body.sensor)
    freq = _pick_frequency(sensor, body)
    max_ms = sensor["max_sample_length_s"] * 1000
    if body.length_ms > max_ms:
        raise InvalidInput(f"Sensor {sensor['name']!r} records at most {max_ms:g} ms, not {body.length_ms} ms")
    interval = 1000.0 / freq
    request_id = secrets.token_hex(8)
    path = f"/api/{body.category}/data"
    message = sample_request(
        label=body.label,
        length_ms=body.length_ms,
        path=path,
        hmac_key=ctx.project.hmac_key,
        interval_ms=interval,
        sensor=sensor["name"],
    )
    record(
        session,
        ctx,
        "device.sample_requested",
        device_id=device_id,
        label=body.label,
        length_ms=body.length_ms,
        category=body.category,
        request_id=request_id,
    )
    session.commit()
    public = {
        "request_id": request_id,
        "device_id": device_id,
        "label": body.label,
        "length_ms": body.length_ms,
        "sensor": sensor["name"],
        "interval_ms": interval,
        "frequency": freq,
        "category": body.category,
        "path": path,
    }
    return {"type": "sample.request", "request_id": request_id, "message": message, "request": public}


def device_key(session: Session, key: ApiKey | None) -> DeviceKeyPublic:
    if key is None:
        raise Unauthorized("Send the project API key in x-api-key")
    if key.role not in DEVICE_KEY_ROLES:
        raise Forbidden("This API key is read-only; devices need an admin or ingestion key")
    project = repository.project(session, key.project_id)
    return DeviceKeyPublic(project_id=project.id, project_name=project.name, hmac_key=project.hmac_key)


# ---- the socket's side (own short sessions; called from the holder process) ----------------------
@dataclass
class Registration:
    project_id: int
    device_id: str
    replaced_session: str | None


def _upsert(session: Session, project_id: int, hello: Hello, holder: str, socket_session: str) -> str | None:
    device = repository.get_for_update(session, project_id, hello.device_id)
    previous = None
    if device is None:
        device = Device(project_id=project_id, device_id=hello.device_id, name=hello.device_id)
        session.add(device)
    else:
        previous = device.session
    device.device_type = hello.device_type
    device.sensors = hello.sensors
    device.connection = hello.connection
    device.holder, device.session, device.last_seen_at = holder, socket_session, utcnow()
    session.flush()
    return previous


def connect(hello: Hello, holder: str, socket_session: str) -> Registration:
    """Check the hello's key and record the device as connected through this socket."""
    with get_sessionmaker()() as session:
        key = repository.api_key_by_raw(session, hello.api_key)
        if key is None or key.revoked_at is not None:
            raise ProtocolError("Unknown or revoked API key")
        if key.role not in DEVICE_KEY_ROLES:
            raise ProtocolError("This API key is read-only; a device needs an admin or ingestion API key")
        for attempt in range(2):  # two first hellos of one device at once: the loser updates
            try:
                previous = _upsert(session, key.project_id, hello, holder, socket_session)
                _changed(session, key.project_id, hello.device_id, "connected", True)
                session.commit()
                break
            except IntegrityError:
                session.rollback()
                if attempt:
                    raise
        return Registration(key.project_id, hello.device_id, previous)


def heartbeat(project_id: int, device_id: str, socket_session: str) -> bool:
    with get_sessionmaker()() as session:
        ours = repository.touch(session, project_id, device_id, socket_session)
        session.commit()
        return ours


def disconnect(project_id: int, device_id: str, socket_session: str) -> None:
    with get_sessionmaker()() as session:
        if repository.release(session, project_id, device_id, socket_session):
            _changed(session, project_id, device_id, "disconnected", False)
        session.commit()
