"""Presence: who is online in a project, from the heartbeats of their open studio pages."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from backend.core.deps import ProjectContext
from backend.core.errors import Forbidden
from backend.core.events import project_channel, publish
from backend.presence import repository
from backend.presence.schemas import OnlineMember


def _members(project_id: int) -> list[OnlineMember]:
    return [
        OnlineMember(user_id=uid, username=name, last_seen_at=datetime.fromtimestamp(ts, UTC))
        for uid, name, ts in repository.online(project_id)
    ]


def heartbeat(ctx: ProjectContext, tab: str = "") -> list[OnlineMember]:
    """Mark the signed-in caller online; tell the project when someone arrives."""
    if ctx.user is None:
        raise Forbidden("Presence is for signed-in members, not API keys")
    arrived = repository.touch(ctx.project.id, ctx.user.id, ctx.user.username, time.time(), tab)
    members = _members(ctx.project.id)
    if arrived:
        publish(project_channel(ctx.project.id), {"type": "presence", "online": [m.model_dump() for m in members]})
    return members


def leave(ctx: ProjectContext, tab: str = "") -> None:
    if ctx.user is None:
        return
    repository.leave(ctx.project.id, ctx.user.id, tab)
    publish(
        project_channel(ctx.project.id),
        {"type": "presence", "online": [m.model_dump() for m in _members(ctx.project.id)]},
    )


def online(ctx: ProjectContext) -> list[OnlineMember]:
    return _members(ctx.project.id)
