"""The long-running processes: the embedded studio (`serve`), and the two processes of a team
server (`api`, `worker`)."""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import sys
from pathlib import Path

QUEUE_NAMES = ("jobs", "interactive")


def queue_names(queues: str | None) -> list[str]:
    """Celery queue names from a comma list of `jobs` (long jobs) and `interactive` (fast calls)."""
    from backend.core.config import get_settings

    instance = get_settings().instance_name
    names = [q.strip() for q in (queues or "jobs").split(",") if q.strip()]
    bad = [q for q in names if q not in QUEUE_NAMES]
    if bad or not names:
        raise ValueError(
            f"unknown queue {bad[0] if bad else queues!r}: use jobs, interactive or both (jobs,interactive)"
        )
    return [instance if q == "jobs" else f"{instance}.interactive" for q in names]


def worker_command(concurrency: int | None = None, loglevel: str = "info", queues: str | None = None) -> list[str]:
    # A unique node name per process: several workers may run on one host.
    cmd = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "workers.celery_app",
        "worker",
        f"--loglevel={loglevel}",
        "--without-gossip",
        "--without-mingle",
        "-n",
        f"worker-{secrets.token_hex(3)}@%h",
    ]
    if concurrency:
        cmd.append(f"--concurrency={concurrency}")
    if queues:
        cmd += ["-Q", ",".join(queue_names(queues))]
    return cmd


def cmd_worker(args: argparse.Namespace) -> int:
    cmd = worker_command(args.concurrency, args.loglevel, args.queues)
    os.execv(cmd[0], cmd)
    return 0  # pragma: no cover


def cmd_api(args: argparse.Namespace) -> int:
    import uvicorn

    from backend.eicompat.listeners import start_if_enabled

    start_if_enabled(args.host, args.ei_compat)
    # Forwarded headers are believed only from TRUSTED_PROXIES, by the app itself (backend.main).
    uvicorn.run("backend.main:app", host=args.host, port=args.port, workers=args.workers, proxy_headers=False)
    return 0


def _stop_on_sigterm(signum, frame):
    raise SystemExit(0)


def serve_workers() -> dict[str, list[str]]:
    """The embedded default's workers: long jobs, and a process of its own for DSP previews and
    classify calls, so a long training never delays them. Full logs go to the worker log file."""
    return {"jobs": worker_command(loglevel="info"), "interactive": worker_command(1, "info", "interactive")}


def worker_log_path(settings) -> Path:
    return settings.data_dir.resolve() / "logs" / "workers.log"


def _forget_worker(pid: int) -> None:
    """A local worker died: drop its heartbeat now, so /api/health says so at once."""
    from sqlalchemy import delete

    from backend.core.db import get_sessionmaker
    from backend.models.system import WorkerHeartbeat

    try:
        with get_sessionmaker()() as s:
            s.execute(delete(WorkerHeartbeat).where(WorkerHeartbeat.pid == pid))
            s.commit()
    except Exception as e:  # health notices a few seconds later anyway
        print(f"warning: could not clear the heartbeat of worker pid {pid}: {e}", file=sys.stderr, flush=True)


def _say(line: str) -> None:
    print(line, flush=True)


def cmd_serve(args: argparse.Namespace) -> int:
    """The embedded default: migrate, then the API and real Celery worker processes, supervised."""
    from backend.cli.supervisor import Supervisor
    from backend.core import migrate
    from backend.core.config import get_settings

    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    migrate.upgrade()
    # uvicorn re-raises the signal that stopped it; SIGTERM's default action would kill this process
    # before it stops the workers (which run in their own sessions), so turn it into an exception.
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    log_path = worker_log_path(settings)
    workers = Supervisor(serve_workers(), log_path, _say, on_exit=_forget_worker).start()
    tls = _https_options(args, settings.data_dir)
    scheme = "https" if tls else "http"
    _warn_if_ui_missing(settings)
    print(
        f"TinyForge on {scheme}://{args.host}:{args.port}  (data in {settings.data_dir.resolve()}, "
        f"worker logs in {log_path}; Ctrl-C stops)",
        flush=True,
    )
    try:
        from backend.eicompat.listeners import start_if_enabled

        start_if_enabled(args.host, args.ei_compat)
        _run_api(args, tls)
    finally:
        workers.stop()
        print("TinyForge stopped", flush=True)
    return 0


def _run_api(args: argparse.Namespace, tls: dict) -> None:
    import uvicorn

    # Forwarded headers are believed only from TRUSTED_PROXIES, by the app itself (backend.main).
    uvicorn.run("backend.main:app", host=args.host, port=args.port, log_level="warning", proxy_headers=False, **tls)


def _warn_if_ui_missing(settings) -> None:
    from backend.main import ui_folder

    folder = ui_folder(settings)
    if not (folder / "index.html").is_file():
        print(
            f"warning: the UI is not built (no {folder / 'index.html'}): the API works, the browser pages do "
            "not. Build it with `make run` or `cd frontend && npm run build`, or set UI_DIR to a built UI.",
            file=sys.stderr,
            flush=True,
        )


def _https_options(args: argparse.Namespace, data_dir) -> dict:
    """--https: a self-signed certificate (made on first run) so phones on the LAN get a secure page."""
    if not getattr(args, "https", False):
        return {}
    from backend.cli.certificate import ensure_certificate, fingerprint, lan_address

    ip = lan_address()
    cert, key = ensure_certificate(data_dir, ip)
    if args.host in ("127.0.0.1", "localhost"):
        args.host = "0.0.0.0"  # phones connect over the LAN
    print(
        f"HTTPS with a self-signed certificate ({cert}).\n  Open on your phone: https://{ip}:{args.port}\n"
        f"  Certificate SHA-256 fingerprint (check it when the browser warns): {fingerprint(cert)}",
        flush=True,
    )
    return {"ssl_certfile": str(cert), "ssl_keyfile": str(key)}


def _ei_compat_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--ei-compat",
        action="store_true",
        help="also listen on Edge Impulse's ports for its CLI (4800, 4810, 4802; see EI_COMPAT_*)",
    )


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="run the studio on its embedded default (API + a worker)")
    p.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    p.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    p.add_argument(
        "--https",
        action="store_true",
        help="serve HTTPS on the LAN with a self-signed certificate (phones need it for sensors)",
    )
    _ei_compat_option(p)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("api", help="run the API server (team server)")
    p.add_argument("--host", default=os.environ.get("HOST", "0.0.0.0"))
    p.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    p.add_argument("--workers", type=int, default=int(os.environ.get("API_WORKERS", "1")))
    _ei_compat_option(p)
    p.set_defaults(func=cmd_api)

    p = sub.add_parser("worker", help="run a Celery worker (team server; any host with the DB and Redis URLs)")
    p.add_argument("--concurrency", type=int, default=None)
    p.add_argument("--loglevel", default="info")
    p.add_argument(
        "--queues",
        default=None,
        help="jobs (long jobs, the default), interactive (DSP preview, classify) or jobs,interactive",
    )
    p.set_defaults(func=cmd_worker)
