from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.models.project import Membership, Project


def list_for_user(session: Session, user_id: int) -> list[tuple[Project, str, int]]:
    counts = select(Membership.project_id, func.count().label("n")).group_by(Membership.project_id).subquery()
    rows = session.execute(
        select(Project, Membership.role, counts.c.n)
        .join(Membership, Membership.project_id == Project.id)
        .join(counts, counts.c.project_id == Project.id)
        .where(Membership.user_id == user_id)
        .order_by(Project.created_at.desc(), Project.id.desc())
    )
    return [(p, role, n) for p, role, n in rows]


def member_count(session: Session, project_id: int) -> int:
    return session.scalar(select(func.count()).select_from(Membership).where(Membership.project_id == project_id))
