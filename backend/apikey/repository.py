from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models.project import ApiKey


def list_keys(session: Session, project_id: int) -> list[ApiKey]:
    return list(session.scalars(select(ApiKey).where(ApiKey.project_id == project_id).order_by(ApiKey.id)))
