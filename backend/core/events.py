"""Live events for the browser: a project's channel and each job's channel.

With Redis available we use its pub/sub; in the embedded default (no Redis) events go through
the `event_outbox` table, which the API's SSE streams poll. Publishers call `publish()` from any
process (API or worker); subscribers are the SSE endpoints.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from backend.core.config import get_settings
from backend.core.errors import DomainError
from backend.models.base import utcnow
from backend.models.system import EventOutbox

log = logging.getLogger(__name__)
OUTBOX_RETENTION = timedelta(minutes=10)


def _prefix() -> str:
    return f"{get_settings().instance_name}:events:"


def project_channel(project_id: int) -> str:
    return f"project:{project_id}"


def job_channel(job_id: int) -> str:
    return f"job:{job_id}"


class EventsUnavailable(DomainError):
    """The event bus cannot be reached: live updates stop, everything else keeps working."""

    status_code = 503


@lru_cache
def _redis():
    import redis

    # Short timeouts: a publisher (an upload, a worker) must not hang on a bus that is down.
    return redis.Redis.from_url(get_settings().resolved_redis_url, socket_connect_timeout=2, socket_timeout=5)


def events_problem() -> str | None:
    """None when live events can be delivered, else why not (for /api/health)."""
    if not uses_redis():
        return None
    try:
        _redis().ping()
    except Exception as e:  # any failure is the answer
        return f"live updates are off: the event bus (Redis) cannot be reached ({type(e).__name__})"
    return None


def uses_redis() -> bool:
    return bool(get_settings().resolved_redis_url)


def publish(channel: str, event: dict[str, Any], session: Session | None = None) -> None:
    """Send an event now. Call after the data it announces is committed."""
    if uses_redis():
        try:
            _redis().publish(_prefix() + channel, json.dumps(event, default=str))
        except Exception:  # live events are best effort; the data is already stored
            log.exception("could not publish event on %s", channel)
        return
    from backend.core.db import get_sessionmaker

    own = session is None
    s = session or get_sessionmaker()()
    try:
        s.add(EventOutbox(channel=channel, payload=json.loads(json.dumps(event, default=str))))
        s.commit()
    except Exception:
        s.rollback()
        log.exception("could not store event on %s", channel)
    finally:
        if own:
            s.close()


def prune_outbox(session: Session) -> None:
    session.execute(delete(EventOutbox).where(EventOutbox.created_at < utcnow() - OUTBOX_RETENTION))


async def subscribe(channels: list[str], poll_s: float = 0.4) -> AsyncIterator[dict[str, Any]]:
    """Yield events published on any of `channels` from now on; yields {} as keep-alive ticks.

    The first item is always {} and comes once the subscription is in place."""
    if uses_redis():
        import redis.asyncio as aioredis

        client = aioredis.Redis.from_url(get_settings().resolved_redis_url, socket_connect_timeout=2)
        pubsub = client.pubsub()
        try:
            await pubsub.subscribe(*[_prefix() + c for c in channels])
        except (OSError, aioredis.RedisError) as e:
            await pubsub.aclose()
            await client.aclose()
            raise EventsUnavailable(
                "Live updates are unavailable: the event bus (Redis) cannot be reached "
                f"({type(e).__name__}). The studio still works; reload the page to refresh, "
                "or retry the stream later."
            ) from None
        yield {}  # subscribed: the caller may now read a snapshot without missing events
        try:
            while True:
                msg = await pubsub.get_message(ignore_subscribe_messages=True, timeout=5.0)
                if msg is None:
                    yield {}
                    continue
                yield json.loads(msg["data"])
        finally:
            await pubsub.aclose()
            await client.aclose()
    else:
        from backend.core.db import get_sessionmaker

        maker = get_sessionmaker()

        def _latest() -> int:
            with maker() as s:
                return s.scalar(select(EventOutbox.id).order_by(EventOutbox.id.desc()).limit(1)) or 0

        def _since(last: int) -> list[EventOutbox]:
            with maker() as s:
                return list(
                    s.scalars(
                        select(EventOutbox)
                        .where(EventOutbox.id > last, EventOutbox.channel.in_(channels))
                        .order_by(EventOutbox.id)
                        .limit(500)
                    )
                )

        last = await asyncio.to_thread(_latest)
        yield {}
        while True:
            rows = await asyncio.to_thread(_since, last)
            for row in rows:
                last = row.id
                yield row.payload
            if not rows:
                yield {}
                await asyncio.sleep(poll_s)


def publish_after_commit(session: Session, channel: str, event: dict[str, Any]) -> None:
    """Queue an event that goes out only if the current transaction commits."""
    pending: list[tuple[str, dict[str, Any]]] = session.info.setdefault("events_to_publish", [])
    pending.append((channel, event))
    if not session.info.get("event_hook_installed"):
        session.info["event_hook_installed"] = True
        from sqlalchemy import event as sa_event

        @sa_event.listens_for(session, "after_commit")
        def _publish(sess: Session) -> None:
            for ch, ev in sess.info.pop("events_to_publish", []):
                publish(ch, ev)

        @sa_event.listens_for(session, "after_rollback")
        def _drop(sess: Session) -> None:
            sess.info.pop("events_to_publish", None)
