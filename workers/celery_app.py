"""The Celery app of the workers: broker from settings, task routing, worker heartbeats."""

from __future__ import annotations

import logging
import os
import socket
import sys
import threading

from celery import Celery, signals

from backend.core.broker import broker_options, celery_broker_url
from backend.core.config import get_settings

log = logging.getLogger(__name__)
settings = get_settings()

app = Celery(
    "tinyforge",
    broker=celery_broker_url(settings),
    include=[
        "workers.tasks.diagnostics",
        "workers.tasks.features",
        "workers.tasks.training",
        "workers.tasks.testing",
        "workers.tasks.interactive",
        "workers.tasks.estimate",
        "workers.tasks.deployment",
        "workers.tasks.tuner",
    ],
)
app.conf.update(
    broker_transport_options=broker_options(settings),
    broker_connection_retry_on_startup=True,
    task_default_queue=settings.instance_name,
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    task_ignore_result=True,  # job state lives in the jobs table, never in a result backend
    worker_prefetch_multiplier=1,
    worker_concurrency=settings.worker_concurrency,
    worker_max_tasks_per_child=50,
    # a pool process reports for work after its init (which loads TensorFlow in job workers): give
    # it time on a busy machine (Celery's default is 4 s)
    worker_proc_alive_timeout=120,
    worker_hijack_root_logger=False,
    worker_send_task_events=False,
)

_stop = threading.Event()
HEARTBEAT_S = 5.0


def _beat_forever(hostname: str, queues: str) -> None:
    """Tell /api/health this worker is alive, and reap jobs of workers that died."""
    from backend.core.db import get_sessionmaker
    from backend.core.events import prune_outbox, uses_redis
    from backend.job.service import reap_stale_jobs
    from backend.models.base import utcnow
    from backend.models.system import WorkerHeartbeat

    ticks = 0
    while not _stop.is_set():
        try:
            with get_sessionmaker()() as s:
                row = s.get(WorkerHeartbeat, hostname)
                if row is None:
                    row = WorkerHeartbeat(hostname=hostname, pid=os.getpid(), queues=queues)
                    s.add(row)
                row.pid, row.queues, row.last_seen_at = os.getpid(), queues, utcnow()
                s.commit()
                if ticks % 2 == 0:
                    reap_stale_jobs(s)
                if ticks % 60 == 0 and not uses_redis():
                    prune_outbox(s)
                    s.commit()
        except Exception:
            log.exception("worker heartbeat failed")
        ticks += 1
        _stop.wait(min(HEARTBEAT_S, settings.job_heartbeat_timeout_s / 3))


def _hostname(sender) -> str:
    return getattr(sender, "hostname", None) or f"worker@{socket.gethostname()}:{os.getpid()}"


def _queues(sender) -> str:
    """The queues this worker consumes (health checks that every queue has a live worker)."""
    try:
        return ",".join(sorted(sender.app.amqp.queues.consume_from))[:255]
    except AttributeError:
        return settings.instance_name


@signals.worker_ready.connect
def _start_heartbeat(sender=None, **_):
    threading.Thread(
        target=_beat_forever, args=(_hostname(sender), _queues(sender)), name="tinyforge-heartbeat", daemon=True
    ).start()


@signals.worker_shutdown.connect
def _stop_heartbeat(sender=None, **_):
    _stop.set()
    try:
        from backend.core.db import get_sessionmaker
        from backend.models.system import WorkerHeartbeat

        with get_sessionmaker()() as s:
            row = s.get(WorkerHeartbeat, _hostname(sender))
            if row is not None:
                s.delete(row)
                s.commit()
    except Exception:
        log.exception("could not remove worker heartbeat")


# Whether this worker's pool processes import TensorFlow as they start (see _preload_tensorflow).
_preload = {"tensorflow": False}


@signals.worker_init.connect
def _choose_preload(sender=None, **_):
    """A worker that takes long jobs (trainings, tuner candidates) loads TensorFlow in each pool
    process as it starts (6 s here), not in its first job; a worker of the interactive queue only
    (previews, classify calls: numpy and LiteRT) never needs it. WORKER_PRELOAD_TF=0 turns it off."""
    try:
        consumed = set(sender.app.amqp.queues.consume_from)
    except AttributeError:
        consumed = set()
    _preload["tensorflow"] = settings.worker_preload_tf and (not consumed or settings.instance_name in consumed)
    log.info("worker consumes %s; TensorFlow preloaded: %s", sorted(consumed), _preload["tensorflow"])


@signals.worker_process_init.connect
def _fresh_connections(**_):
    # A forked pool process must not share the parent's database connections.
    from backend.core.db import get_engine

    get_engine().dispose(close=False)
    if _preload["tensorflow"]:
        import tensorflow  # noqa: F401  (the first training then starts at once)

        print(f"TensorFlow loaded in pool process {os.getpid()}", file=sys.stderr, flush=True)
