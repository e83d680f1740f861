from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from backend.models.base import utcnow
from backend.models.project import Invitation, Membership, Project
from backend.models.user import User


def members(session: Session, project_id: int) -> list[Membership]:
    return list(
        session.scalars(
            select(Membership).where(Membership.project_id == project_id).order_by(Membership.created_at, Membership.id)
        )
    )


def membership(session: Session, project_id: int, user_id: int) -> Membership | None:
    return session.scalar(select(Membership).where(Membership.project_id == project_id, Membership.user_id == user_id))


def invitations(session: Session, project_id: int) -> list[Invitation]:
    return list(
        session.scalars(
            select(Invitation)
            .where(Invitation.project_id == project_id, Invitation.status == "pending")
            .order_by(Invitation.id.desc())
        )
    )


def invitation_by_hash(session: Session, hashed: str) -> Invitation | None:
    return session.scalar(select(Invitation).where(Invitation.token_hash == hashed))


def pending_invitations_for(session: Session, user: User) -> list[tuple[Invitation, str]]:
    """Invitations addressed to this account by username. Those by e-mail are not listed: the
    address is not verified, so only the invitation link proves the invitee."""
    rows = session.execute(
        select(Invitation, Project.name)
        .join(Project, Project.id == Invitation.project_id)
        .where(
            Invitation.status == "pending",
            Invitation.expires_at > utcnow(),
            Invitation.invitee_username == user.username,
            Invitation.created_at >= user.created_at,
        )
        .order_by(Invitation.id.desc())
    )
    return [(inv, name) for inv, name in rows]


def claim_invitation(session: Session, invitation_id: int, user_id: int) -> bool:
    """Mark a pending invitation accepted by this user (compare-and-set: of two accepting at once,
    one wins; the other finds it accepted)."""
    result = session.execute(
        update(Invitation)
        .where(Invitation.id == invitation_id, Invitation.status == "pending")
        .values(status="accepted", accepted_by_id=user_id)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1
