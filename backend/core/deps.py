"""Typed dependencies: a route's signature says who may call it.

`ProjectAccess("editor")` resolves the project from the path and checks the caller's role:
a signed-in member (cookie or bearer token) or a project API key. Non-members get 404, so
another project's existence is never revealed; members without the role get 403.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from backend.core.db import get_sessionmaker
from backend.core.errors import Forbidden, NotFound, Unauthorized
from backend.core.ids import PathId
from backend.core.security import api_key_hash, token_hash
from backend.models.base import utcnow
from backend.models.project import ROLE_RANK, ApiKey, Membership, Project
from backend.models.user import AuthToken, User

SESSION_COOKIE = "tf_session"
# What a project API key may do, as a member role (ingestion-only keys have none).
API_KEY_ROLE_AS_MEMBER = {"admin": "admin", "readonly": "viewer", "ingestiononly": None}


def get_session() -> Iterator[Session]:
    session = get_sessionmaker()()
    try:
        yield session
    finally:
        session.close()


SessionDep = Annotated[Session, Depends(get_session)]


def _bearer(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip() or None
    return None


def _touch(obj, session: Session) -> None:
    # Only write last-used times once a minute, to keep reads read-only.
    now = utcnow()
    if obj.last_used_at is None or now - obj.last_used_at > timedelta(minutes=1):
        obj.last_used_at = now
        session.commit()


def user_from_request(request: Request, session: Session) -> User | None:
    token = _bearer(request) or request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    row = session.scalar(select(AuthToken).where(AuthToken.token_hash == token_hash(token)))
    if row is None or row.expires_at < utcnow():
        return None
    _touch(row, session)
    return session.get(User, row.user_id)


def api_key_from_request(request: Request, session: Session) -> ApiKey | None:
    """The project API key in x-api-key, with its project loaded by the same query (one round
    trip on the hot upload path). Checked against the database on every call, so a revoked key
    stops working at once in every process."""
    raw = request.headers.get("x-api-key")
    if not raw:
        return None
    key = session.scalar(select(ApiKey).options(joinedload(ApiKey.project)).where(ApiKey.key_hash == api_key_hash(raw)))
    if key is None or key.revoked_at is not None:
        raise Unauthorized("Unknown or revoked API key (x-api-key)")
    _touch(key, session)
    return key


def current_user(request: Request, session: SessionDep) -> User:
    user = user_from_request(request, session)
    if user is None:
        raise Unauthorized("Sign in first: no valid session cookie or bearer token")
    return user


def optional_user(request: Request, session: SessionDep) -> User | None:
    return user_from_request(request, session)


CurrentUser = Annotated[User, Depends(current_user)]
OptionalUser = Annotated[User | None, Depends(optional_user)]


@dataclass
class ProjectContext:
    project: Project
    role: str  # the caller's effective member role
    user: User | None = None
    api_key: ApiKey | None = None

    @property
    def actor_name(self) -> str:
        if self.user is not None:
            return self.user.username
        assert self.api_key is not None
        return f"API key {self.api_key.name or self.api_key.prefix}"

    def at_least(self, role: str) -> bool:
        return ROLE_RANK[self.role] >= ROLE_RANK[role]


def resolve_project(request: Request, session: Session, project_id: int, min_role: str) -> ProjectContext:
    key = api_key_from_request(request, session)
    project = key.project if key is not None else session.get(Project, project_id)
    if key is not None:
        if key.project_id != project_id:
            raise NotFound(f"Project {project_id} not found")
        role = API_KEY_ROLE_AS_MEMBER[key.role]
        if role is None:
            raise Forbidden("This API key is ingestion-only: it can upload data and nothing else")
        ctx = ProjectContext(project=project, role=role, api_key=key)
    else:
        user = user_from_request(request, session)
        if user is None:
            raise Unauthorized("Sign in first, or send a project API key in x-api-key")
        membership = None
        if project is not None:
            membership = session.scalar(
                select(Membership).where(Membership.project_id == project_id, Membership.user_id == user.id)
            )
        if membership is None:
            raise NotFound(f"Project {project_id} not found")
        ctx = ProjectContext(project=project, role=membership.role, user=user)
    if not ctx.at_least(min_role):
        raise Forbidden(f"This needs the {min_role} role in the project; you are {ctx.role}")
    return ctx


def ProjectAccess(min_role: str = "viewer"):  # noqa: N802 - reads like a type in signatures
    def dep(request: Request, session: SessionDep, project_id: PathId) -> ProjectContext:
        return resolve_project(request, session, project_id, min_role)

    return Annotated[ProjectContext, Depends(dep)]


ProjectViewer = ProjectAccess("viewer")
ProjectEditor = ProjectAccess("editor")
ProjectAdmin = ProjectAccess("admin")
ProjectOwner = ProjectAccess("owner")
