"""The SQL of the compatibility routes."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models.project import Membership
from backend.models.user import User


def owner_of(session: Session, project_id: int) -> User | None:
    return session.scalar(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.project_id == project_id, Membership.role == "owner")
        .order_by(Membership.id)
        .limit(1)
    )
