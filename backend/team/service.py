"""Team collaboration: members and roles, invitations, leaving, transferring ownership."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from backend.activity.service import record
from backend.auth.repository import user_named
from backend.core.deps import ProjectContext
from backend.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from backend.core.events import project_channel, publish_after_commit
from backend.core.security import new_token, token_hash
from backend.models.base import utcnow
from backend.models.project import Invitation, Membership, Project
from backend.models.user import User
from backend.team import repository

INVITATION_DAYS = 14


def _member_or_404(session: Session, project_id: int, user_id: int) -> Membership:
    m = repository.membership(session, project_id, user_id)
    if m is None:
        raise NotFound(f"User {user_id} is not a member of this project")
    return m


def _announce(session: Session, project_id: int, **event) -> None:
    publish_after_commit(session, project_channel(project_id), {"type": "members.changed", **event})


def change_role(session: Session, ctx: ProjectContext, user_id: int, role: str) -> Membership:
    m = _member_or_404(session, ctx.project.id, user_id)
    if m.role == "owner":
        raise Forbidden("The owner's role can only change by transferring ownership")
    old, m.role = m.role, role
    record(session, ctx, "member.role_changed", user=m.user.username, old=old, new=role)
    _announce(session, ctx.project.id, user_id=user_id)
    session.commit()
    return m


def remove_member(session: Session, ctx: ProjectContext, user_id: int) -> None:
    m = _member_or_404(session, ctx.project.id, user_id)
    leaving = ctx.user is not None and ctx.user.id == user_id
    if m.role == "owner":
        raise Forbidden("The owner cannot leave or be removed; transfer ownership first")
    if not leaving and not ctx.at_least("admin"):
        raise Forbidden("This needs the admin role in the project; you are " + ctx.role)
    record(session, ctx, "member.left" if leaving else "member.removed", user=m.user.username)
    session.delete(m)
    _announce(session, ctx.project.id, user_id=user_id)
    session.commit()


def transfer_ownership(session: Session, ctx: ProjectContext, user_id: int) -> None:
    assert ctx.user is not None
    if user_id == ctx.user.id:
        raise InvalidInput("You own this project already")
    target = _member_or_404(session, ctx.project.id, user_id)
    current = _member_or_404(session, ctx.project.id, ctx.user.id)
    target.role, current.role = "owner", "admin"
    record(session, ctx, "project.ownership_transferred", to=target.user.username)
    _announce(session, ctx.project.id, user_id=user_id)
    session.commit()


def invite(
    session: Session, ctx: ProjectContext, username: str | None, email: str | None, role: str
) -> tuple[Invitation, str]:
    if username:
        existing = user_named(session, username)
        if existing is None:
            raise InvalidInput(
                f"There is no account named '{username}'; check the spelling, or invite by "
                "e-mail and send them the invitation link"
            )
        if repository.membership(session, ctx.project.id, existing.id):
            raise Conflict(f"{username} is a member of this project already")
    token = new_token("tfi_")
    inv = Invitation(
        project_id=ctx.project.id,
        token_hash=token_hash(token),
        invitee_username=username,
        invitee_email=email.lower() if email else None,
        role=role,
        invited_by_id=ctx.user.id if ctx.user else None,
        expires_at=utcnow() + timedelta(days=INVITATION_DAYS),
    )
    session.add(inv)
    record(session, ctx, "invitation.created", invitee=username or email, role=role)
    session.commit()
    return inv, token


def revoke_invitation(session: Session, ctx: ProjectContext, invitation_id: int) -> None:
    inv = session.get(Invitation, invitation_id)
    if inv is None or inv.project_id != ctx.project.id or inv.status != "pending":
        raise NotFound(f"Invitation {invitation_id} not found")
    inv.status = "revoked"
    record(session, ctx, "invitation.revoked", invitee=inv.invitee_username or inv.invitee_email)
    session.commit()


def _invitation_for(session: Session, token: str, user: User) -> Invitation:
    return _check_invitee(repository.invitation_by_hash(session, token_hash(token)), user, with_link=True)


def _is_invitee(inv: Invitation, user: User, with_link: bool) -> bool:
    """Who may accept. An invitation by username is for that account as it was when invited (not
    for someone who registers the name later). One by e-mail goes to whoever holds its secret
    link: e-mail addresses are not verified, so a matching address proves nothing."""
    if inv.invitee_username:
        return inv.invitee_username == user.username and user.created_at <= inv.created_at
    return with_link


def _check_invitee(inv: Invitation | None, user: User, with_link: bool = False) -> Invitation:
    # An invitation for someone else is as good as absent.
    if inv is None or not _is_invitee(inv, user, with_link):
        raise NotFound("Invitation not found; it may be for another account")
    if inv.status != "pending":
        raise Conflict(f"This invitation was {inv.status} already")
    if inv.expires_at < utcnow():
        raise Conflict("This invitation has expired; ask for a new one")
    return inv


def pending_invitation(session: Session, token: str) -> Invitation | None:
    """The open invitation with this link token (sign-up by invitation checks it)."""
    inv = repository.invitation_by_hash(session, token_hash(token))
    return inv if inv and inv.status == "pending" and inv.expires_at > utcnow() else None


def invitation_preview(session: Session, token: str, user: User) -> tuple[Invitation, str]:
    inv = _invitation_for(session, token, user)
    return inv, session.get(Project, inv.project_id).name


def accept_invitation(session: Session, token: str, user: User) -> Project:
    return _accept(session, _invitation_for(session, token, user), user)


def accept_invitation_by_id(session: Session, invitation_id: int, user: User) -> Project:
    """The invitee may also accept from their list of pending invitations, without the link."""
    return _accept(session, _check_invitee(session.get(Invitation, invitation_id), user), user)


def _accept(session: Session, inv: Invitation, user: User) -> Project:
    project = session.get(Project, inv.project_id)
    if not repository.claim_invitation(session, inv.id, user.id):
        session.rollback()
        raise Conflict("This invitation was accepted already")
    session.refresh(inv)
    if repository.membership(session, project.id, user.id) is None:
        session.add(Membership(project_id=project.id, user_id=user.id, role=inv.role))
    record(session, ProjectContext(project=project, role=inv.role, user=user), "member.joined", role=inv.role)
    _announce(session, project.id, user_id=user.id)
    session.commit()
    return project
