from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models.activity import ActivityEvent


def list_for_project(session: Session, project_id: int, before_id: int | None, limit: int) -> list[ActivityEvent]:
    q = select(ActivityEvent).where(ActivityEvent.project_id == project_id)
    if before_id is not None:
        q = q.where(ActivityEvent.id < before_id)
    return list(session.scalars(q.order_by(ActivityEvent.id.desc()).limit(limit)))
