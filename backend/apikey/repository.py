from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models.project import ApiKey


def list_keys(session: Session, project_id: int) -> list[ApiKey]:
    return list(session.scalars(select(ApiKey).where(ApiKey.project_id == project_id).order_by(ApiKey.id)))


def phone_keys(session: Session, project_id: int, user_id: int, role: str) -> list[ApiKey]:
    """A member's live keys of the phone's role, newest first (phone keys are among them)."""
    return list(
        session.scalars(
            select(ApiKey)
            .where(
                ApiKey.project_id == project_id,
                ApiKey.created_by_id == user_id,
                ApiKey.role == role,
                ApiKey.revoked_at.is_(None),
            )
            .order_by(ApiKey.id.desc())
        )
    )
