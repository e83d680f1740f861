from __future__ import annotations

from fastapi import APIRouter, Request, Response

from backend.core.config import get_settings
from backend.core.deps import CurrentUser, ProjectAdmin, ProjectOwner, ProjectViewer, SessionDep
from backend.core.ids import PathId
from backend.project.endpoints import _public as project_public
from backend.project.repository import member_count
from backend.project.schemas import ProjectPublic
from backend.team import repository, service
from backend.team.schemas import (
    InvitationCreate,
    InvitationCreated,
    InvitationPublic,
    MemberPublic,
    MemberUpdate,
    TransferOwnership,
)

router = APIRouter(tags=["team"])


def _member(m) -> MemberPublic:
    return MemberPublic(
        user_id=m.user_id, username=m.user.username, email=m.user.email, role=m.role, joined_at=m.created_at
    )


@router.get("/api/projects/{project_id}/members", response_model=list[MemberPublic])
def list_members(ctx: ProjectViewer, session: SessionDep):
    return [_member(m) for m in repository.members(session, ctx.project.id)]


@router.patch("/api/projects/{project_id}/members/{user_id}", response_model=MemberPublic)
def change_role(user_id: PathId, body: MemberUpdate, ctx: ProjectAdmin, session: SessionDep):
    return _member(service.change_role(session, ctx, user_id, body.role))


@router.delete("/api/projects/{project_id}/members/{user_id}", status_code=204)
def remove_member(user_id: PathId, ctx: ProjectViewer, session: SessionDep):
    """Admins remove members; any member removes themself (leaves)."""
    service.remove_member(session, ctx, user_id)
    return Response(status_code=204)


@router.post("/api/projects/{project_id}/transfer", status_code=204)
def transfer(body: TransferOwnership, ctx: ProjectOwner, session: SessionDep):
    service.transfer_ownership(session, ctx, body.user_id)
    return Response(status_code=204)


@router.get("/api/projects/{project_id}/invitations", response_model=list[InvitationPublic])
def list_invitations(ctx: ProjectAdmin, session: SessionDep):
    return repository.invitations(session, ctx.project.id)


@router.post("/api/projects/{project_id}/invitations", response_model=InvitationCreated, status_code=201)
def invite(body: InvitationCreate, ctx: ProjectAdmin, session: SessionDep, request: Request):
    inv, token = service.invite(session, ctx, body.username, body.email, body.role)
    base = get_settings().public_url.rstrip("/") or str(request.base_url).rstrip("/")
    public = InvitationPublic.model_validate(inv).model_dump() | {"project_name": ctx.project.name}
    return InvitationCreated(**public, token=token, accept_url=f"{base}/invitations/{token}")


@router.delete("/api/projects/{project_id}/invitations/{invitation_id}", status_code=204)
def revoke_invitation(invitation_id: PathId, ctx: ProjectAdmin, session: SessionDep):
    service.revoke_invitation(session, ctx, invitation_id)
    return Response(status_code=204)


@router.get("/api/invitations", response_model=list[InvitationPublic])
def my_invitations(user: CurrentUser, session: SessionDep):
    return [
        InvitationPublic.model_validate(inv).model_copy(update={"project_name": name})
        for inv, name in repository.pending_invitations_for(session, user)
    ]


@router.post("/api/invitations/pending/{invitation_id}/accept", response_model=ProjectPublic)
def accept_pending_invitation(invitation_id: PathId, user: CurrentUser, session: SessionDep):
    project = service.accept_invitation_by_id(session, invitation_id, user)
    role = repository.membership(session, project.id, user.id).role
    return project_public(project, role, member_count(session, project.id))


@router.get("/api/invitations/{token}", response_model=InvitationPublic)
def show_invitation(token: str, user: CurrentUser, session: SessionDep):
    inv, name = service.invitation_preview(session, token, user)
    return InvitationPublic.model_validate(inv).model_copy(update={"project_name": name})


@router.post("/api/invitations/{token}/accept", response_model=ProjectPublic)
def accept_invitation(token: str, user: CurrentUser, session: SessionDep):
    project = service.accept_invitation(session, token, user)
    role = repository.membership(session, project.id, user.id).role
    return project_public(project, role, member_count(session, project.id))
