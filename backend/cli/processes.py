"""The long-running processes: the embedded studio (`serve`), and the two processes of a team
server (`api`, `worker`)."""
from __future__ import annotations

import argparse
import os
import secrets
import signal
import subprocess
import sys


QUEUE_NAMES = ("jobs", "interactive")


def queue_names(queues: str | None) -> list[str]:
    """Celery queue names from a comma list of `jobs` (long jobs) and `interactive` (fast calls)."""
    from backend.core.config import get_settings

    instance = get_settings().instance_name
    names = [q.strip() for q in (queues or "jobs").split(",") if q.strip()]
    bad = [q for q in names if q not in QUEUE_NAMES]
    if bad or not names:
        raise ValueError(f"unknown queue {bad[0] if bad else queues!r}: use jobs, interactive or both (jobs,interactive)")
    return [instance if q == "jobs" else f"{instance}.interactive" for q in names]


def worker_command(concurrency: int | None = None, loglevel: str = "info", queues: str | None = None) -> list[str]:
    # A unique node name per process: several workers may run on one host.
    cmd = [sys.executable, "-m", "celery", "-A", "workers.celery_app", "worker", f"--loglevel={loglevel}",
           "--without-gossip", "--without-mingle", "-n", f"worker-{secrets.token_hex(3)}@%h"]
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

    # Forwarded headers are believed only from TRUSTED_PROXIES, by the app itself (backend.main).
    uvicorn.run("backend.main:app", host=args.host, port=args.port, workers=args.workers, proxy_headers=False)
    return 0


def _stop_on_sigterm(signum, frame):
    raise SystemExit(0)


def cmd_serve(args: argparse.Namespace) -> int:
    """The embedded default: migrate, then the API and one real Celery worker process."""
    import uvicorn

    from backend.core import migrate
    from backend.core.config import get_settings

    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    migrate.upgrade()
    # uvicorn re-raises the signal that stopped it; SIGTERM's default action would kill this process
    # before it stops the workers (which run in their own sessions), so turn it into an exception.
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    worker = subprocess.Popen(worker_command(loglevel="warning"), start_new_session=True)
    # DSP previews and classify calls get their own process, so a long training never delays them.
    interactive = subprocess.Popen(worker_command(1, "warning", "interactive"), start_new_session=True)
    tls = _https_options(args, settings.data_dir)
    scheme = "https" if tls else "http"
    print(f"TinyForge on {scheme}://{args.host}:{args.port}  (data in {settings.data_dir.resolve()}, "
          f"worker pid {worker.pid}; Ctrl-C stops)", flush=True)
    try:
        uvicorn.run("backend.main:app", host=args.host, port=args.port, log_level="warning", proxy_headers=False,
                    **tls)
    finally:
        for proc in (worker, interactive):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)  # warm shutdown: finishes the current task step
        for proc in (worker, interactive):
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        print("TinyForge stopped", flush=True)
    return 0


def _https_options(args: argparse.Namespace, data_dir) -> dict:
    """--https: a self-signed certificate (made on first run) so phones on the LAN get a secure page."""
    if not getattr(args, "https", False):
        return {}
    from backend.cli.certificate import ensure_certificate, fingerprint, lan_address

    ip = lan_address()
    cert, key = ensure_certificate(data_dir, ip)
    if args.host in ("127.0.0.1", "localhost"):
        args.host = "0.0.0.0"  # phones connect over the LAN
    print(f"HTTPS with a self-signed certificate ({cert}).\n  Open on your phone: https://{ip}:{args.port}\n"
          f"  Certificate SHA-256 fingerprint (check it when the browser warns): {fingerprint(cert)}", flush=True)
    return {"ssl_certfile": str(cert), "ssl_keyfile": str(key)}


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="run the studio on its embedded default (API + a worker)")
    p.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    p.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    p.add_argument("--https", action="store_true",
                   help="serve HTTPS on the LAN with a self-signed certificate (phones need it for sensors)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("api", help="run the API server (team server)")
    p.add_argument("--host", default=os.environ.get("HOST", "0.0.0.0"))
    p.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    p.add_argument("--workers", type=int, default=int(os.environ.get("API_WORKERS", "1")))
    p.set_defaults(func=cmd_api)

    p = sub.add_parser("worker", help="run a Celery worker (team server; any host with the DB and Redis URLs)")
    p.add_argument("--concurrency", type=int, default=None)
    p.add_argument("--loglevel", default="info")
    p.add_argument("--queues", default=None,
                   help="jobs (long jobs, the default), interactive (DSP preview, classify) or jobs,interactive")
    p.set_defaults(func=cmd_worker)
