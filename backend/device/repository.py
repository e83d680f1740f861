"""All SQL about devices."""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from backend.core.security import api_key_hash
from backend.models.base import utcnow
from backend.models.device import Device
from backend.models.project import ApiKey, Project


def api_key_by_raw(session: Session, raw: str) -> ApiKey | None:
    return session.scalar(select(ApiKey).where(ApiKey.key_hash == api_key_hash(raw)))


def project(session: Session, project_id: int) -> Project | None:
    return session.get(Project, project_id)


def list_for_project(session: Session, project_id: int) -> list[Device]:
    return list(
        session.scalars(
            select(Device).where(Device.project_id == project_id).order_by(Device.last_seen_at.desc(), Device.id)
        )
    )


def get(session: Session, project_id: int, device_id: str) -> Device | None:
    return session.scalar(select(Device).where(Device.project_id == project_id, Device.device_id == device_id))


def get_for_update(session: Session, project_id: int, device_id: str) -> Device | None:
    return session.scalar(
        select(Device).where(Device.project_id == project_id, Device.device_id == device_id).with_for_update()
    )


def touch(session: Session, project_id: int, device_id: str, socket_session: str) -> bool:
    """Refresh last seen while this socket still owns the row; False if it no longer does."""
    res = session.execute(
        update(Device)
        .where(Device.project_id == project_id, Device.device_id == device_id, Device.session == socket_session)
        .values(last_seen_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return res.rowcount == 1


def release(session: Session, project_id: int, device_id: str, socket_session: str) -> bool:
    """Mark disconnected, unless a newer socket of the same device took over meanwhile."""
    res = session.execute(
        update(Device)
        .where(Device.project_id == project_id, Device.device_id == device_id, Device.session == socket_session)
        .values(holder=None, session=None, last_seen_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return res.rowcount == 1


def remove(session: Session, project_id: int, device_id: str) -> None:
    session.execute(delete(Device).where(Device.project_id == project_id, Device.device_id == device_id))
