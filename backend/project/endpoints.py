from __future__ import annotations

from fastapi import APIRouter, Response

from backend.core.deps import CurrentUser, ProjectAdmin, ProjectEditor, ProjectOwner, ProjectViewer, SessionDep
from backend.project import repository, service
from backend.project.sample_data import add_sample_data
from backend.project.schemas import ProjectCreate, ProjectPublic, ProjectStatus, ProjectUpdate, SampleDataAdded
from backend.project.status import project_status

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


@router.get(
    "/{project_id}/status", response_model=ProjectStatus, summary="Where the project stands, and what to do next"
)
def get_status(ctx: ProjectViewer, session: SessionDep):
    return project_status(session, ctx)


@router.post(
    "/{project_id}/sample-data",
    response_model=SampleDataAdded,
    status_code=201,
    summary="Fill an empty project with a small synthetic motion dataset (idle, wave, circle)",
    responses={409: {"description": "the project has samples already"}},
)
def create_sample_data(ctx: ProjectEditor, session: SessionDep):
    return add_sample_data(session, ctx)
