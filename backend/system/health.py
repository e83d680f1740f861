"""What /api/health reports: the database, the broker, the event bus, and a live worker per queue.

`degraded` always comes with the reasons, in words a user can act on (the UI shows them in a banner).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from backend.core.broker import broker_problem
from backend.core.config import get_settings
from backend.core.events import events_problem, uses_redis
from backend.core.jobs import celery_client
from backend.models.base import utcnow
from backend.models.system import WorkerHeartbeat

# The user's name for each queue, and how to start a worker for it.
QUEUE_HELP = {"jobs": "features, training, testing and builds", "interactive": "DSP previews and classifying a sample"}


def queue_names() -> dict[str, str]:
    instance = get_settings().instance_name
    return {"jobs": instance, "interactive": f"{instance}.interactive"}


def live_workers(session: Session) -> list[WorkerHeartbeat]:
    cutoff = utcnow() - timedelta(seconds=get_settings().worker_seen_timeout_s)
    return list(session.scalars(select(WorkerHeartbeat).where(WorkerHeartbeat.last_seen_at >= cutoff)))


def workers_by_queue(workers: list[WorkerHeartbeat]) -> dict[str, int]:
    """How many live workers consume each queue (by the user's name for it)."""
    counts = dict.fromkeys(QUEUE_HELP, 0)
    for name, queue in queue_names().items():
        counts[name] = sum(queue in (w.queues or "").split(",") for w in workers)
    return counts


def no_worker_reason(queue_label: str) -> str:
    flag = "" if queue_label == "jobs" else f" --queues {queue_label}"
    return (
        f"no worker is serving the '{queue_label}' queue ({QUEUE_HELP[queue_label]}): `tinyforge serve` "
        f"restarts its workers by itself; on a team server run `tinyforge worker{flag}`"
    )


def waiting_reason(session: Session, queue: str) -> str | None:
    """Why a queued job on `queue` is not starting, or None when a live worker serves it."""
    label = next((k for k, v in queue_names().items() if v == queue), None)
    if label is None or workers_by_queue(live_workers(session))[label]:
        return None
    return "Waiting: " + no_worker_reason(label)


def check(session: Session) -> tuple[bool, dict[str, Any]]:
    """(database reachable, the health report)."""
    settings = get_settings()
    problems: list[str] = []
    try:
        session.execute(text("SELECT 1"))
        database = "ok"
    except Exception as e:  # report, don't crash: this is what monitoring reads
        database = f"error: {type(e).__name__}"
        problems.append(f"the database cannot be reached ({type(e).__name__})")
    workers = live_workers(session) if database == "ok" else []
    queues = workers_by_queue(workers)
    problems += [no_worker_reason(q) for q, n in queues.items() if not n and database == "ok"]
    broker = broker_problem(settings, celery_client().connection_for_write)
    if broker:
        problems.append(broker)
    events = events_problem()
    if events:
        problems.append(events)
    return database == "ok", {
        "status": "degraded" if problems else "ok",
        "problems": problems,
        "database": database,
        "database_backend": session.bind.dialect.name if session.bind else "unknown",
        "broker": "filesystem" if settings.uses_filesystem_broker else settings.resolved_broker_url.split("://")[0],
        "broker_state": f"error: {broker}" if broker else "ok",
        "events": "redis" if uses_redis() else "database",
        "events_state": f"error: {events}" if events else "ok",
        "queues": queues,
        "worker": {
            "connected": bool(workers),
            "workers": [
                {
                    "hostname": w.hostname,
                    "pid": w.pid,
                    "last_seen_at": w.last_seen_at,
                    "queues": [q for q in (w.queues or "").split(",") if q],
                }
                for w in workers
            ],
        },
    }
