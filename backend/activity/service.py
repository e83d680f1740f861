"""The project's activity log: who did what, and when. Every change worth knowing calls record()."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from backend.activity.words import describe
from backend.core.deps import ProjectContext
from backend.core.events import project_channel, publish_after_commit
from backend.models.activity import ActivityEvent


def record(session: Session, ctx: ProjectContext, action: str, **details: Any) -> ActivityEvent:
    event = ActivityEvent(
        project_id=ctx.project.id,
        actor_user_id=ctx.user.id if ctx.user else None,
        actor_api_key_id=ctx.api_key.id if ctx.api_key else None,
        actor_name=ctx.actor_name,
        action=action,
        details=details,
    )
    session.add(event)
    publish_after_commit(
        session,
        project_channel(ctx.project.id),
        {
            "type": "activity",
            "action": action,
            "actor": ctx.actor_name,
            "details": details,
            "summary": describe(action, details),
        },
    )
    return event
