"""What the Studio API compatibility routes do: who may call them (a project API key only; cookies
are ignored, so these routes can be open to any origin), and our objects in Edge Impulse's shapes."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.orm import Session

from backend.core.config import get_settings
from backend.core.deps import ProjectContext, api_key_from_request
from backend.core.errors import Forbidden, NotFound, Unauthorized
from backend.device import service as devices
from backend.eicompat import repository
from backend.eicompat.schemas import EiDevice, EiDeviceSensor, EiProject
from backend.models.device import Device
from backend.models.project import ApiKey, Project


def key_context(request: Request, session: Session, project_id: int | None = None) -> ProjectContext:
    """The caller's project from its x-api-key; another project's id answers 404 like ours do."""
    key = api_key_from_request(request, session)
    if key is None:
        raise Unauthorized("Missing x-api-key header: these routes take a project API key")
    if project_id is not None and key.project_id != project_id:
        raise NotFound(f"Project {project_id} not found")
    # The role only matters to services that check it; uploads count as editing, like ingestion.
    return ProjectContext(project=key.project, role="editor", api_key=key)


def require_device_key(key: ApiKey) -> None:
    """The HMAC key and renaming a device are for keys a device may hold (admin, ingestion-only)."""
    if key.role not in devices.DEVICE_KEY_ROLES:
        raise Forbidden("This API key is read-only; use an admin or ingestion API key")


def studio_url(request: Request, project_id: int) -> str:
    base = get_settings().public_url.rstrip("/") or str(request.base_url).rstrip("/")
    return f"{base}/projects/{project_id}"


def to_ei_project(session: Session, project: Project, request: Request) -> EiProject:
    owner = repository.owner_of(session, project.id)
    return EiProject(
        id=project.id,
        name=project.name,
        created=project.created_at,
        owner=owner.username if owner else "",
        ownerUserId=owner.id if owner else None,
        studioUrl=studio_url(request, project.id),
    )


def to_ei_device(device: Device) -> EiDevice:
    connected = devices.is_connected(device)
    host = device.holder.split(":", 1)[0] if connected and device.holder else None
    return EiDevice(
        id=device.id,
        deviceId=device.device_id,
        created=device.created_at,
        lastSeen=device.last_seen_at,
        name=device.name,
        deviceType=device.device_type,
        sensors=[
            EiDeviceSensor(name=s["name"], maxSampleLengthS=s["max_sample_length_s"], frequencies=s["frequencies"])
            for s in device.sensors
        ],
        remote_mgmt_connected=connected,
        remote_mgmt_host=host,
        remoteMgmtMode="ingestion" if connected else "disconnected",
    )
