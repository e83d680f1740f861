from __future__ import annotations

from fastapi import APIRouter, Response

from backend.core.deps import CurrentUser, ProjectAdmin, ProjectOwner, ProjectViewer, SessionDep
from backend.project import repository, service
from backend.project.schemas import ProjectCreate, ProjectPublic, ProjectUpdate

router = APIRouter(prefix="/api/projects", tags=["projects"])


def _public(project, role: str, members: int) -> ProjectPublic:
    return ProjectPublic(
        id=project.id, name=project.name, created_at=project.created_at, role=role, member_count=members
    )


@router.get("", response_model=list[ProjectPublic])
def list_projects(user: CurrentUser, session: SessionDep):
    return [_public(p, role, n) for p, role, n in repository.list_for_user(session, user.id)]


@router.post("", response_model=ProjectPublic, status_code=201)
def create_project(body: ProjectCreate, user: CurrentUser, session: SessionDep):
    project = service.create_project(session, user, body.name)
    return _public(project, "owner", 1)


@router.get("/{project_id}", response_model=ProjectPublic)
def get_project(ctx: ProjectViewer, session: SessionDep):
    return _public(ctx.project, ctx.role, repository.member_count(session, ctx.project.id))


@router.patch("/{project_id}", response_model=ProjectPublic)
def rename_project(body: ProjectUpdate, ctx: ProjectAdmin, session: SessionDep):
    project = service.rename_project(session, ctx, body.name)
    return _public(project, ctx.role, repository.member_count(session, project.id))


@router.delete("/{project_id}", status_code=204)
def delete_project(ctx: ProjectOwner, session: SessionDep):
    service.delete_project(session, ctx)
    return Response(status_code=204)
