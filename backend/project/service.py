"""Projects: create, rename, delete. The creator becomes the owner."""

from __future__ import annotations

import secrets

from sqlalchemy.orm import Session

from backend.activity.service import record
from backend.core.deps import ProjectContext
from backend.models.project import Membership, Project
from backend.models.user import User


def create_project(session: Session, owner: User, name: str) -> Project:
    project = Project(name=name, hmac_key=secrets.token_hex(16), created_by_id=owner.id)
    session.add(project)
    session.flush()
    session.add(Membership(project_id=project.id, user_id=owner.id, role="owner"))
    record(session, ProjectContext(project=project, role="owner", user=owner), "project.created", name=name)
    session.commit()
    return project


def rename_project(session: Session, ctx: ProjectContext, name: str) -> Project:
    old = ctx.project.name
    ctx.project.name = name
    record(session, ctx, "project.renamed", old=old, new=name)
    session.commit()
    return ctx.project


def delete_project(session: Session, ctx: ProjectContext) -> None:
    session.delete(ctx.project)
    session.commit()
