"""Extra listeners for Edge Impulse compatibility mode.

Edge Impulse's CLI, given `EI_HOST=<ip>`, expects the Studio API on port 4800, ingestion on 4810
and remote management on 4802 (at `/`), all plain HTTP/WS. The same app serves every path, so one
more uvicorn server in a background thread of the API process listens on the three ports. It runs
beside the main server (which may use TLS or several worker processes) without touching it.
"""

from __future__ import annotations

import socket
import sys
import threading
from dataclasses import dataclass

import uvicorn

from backend.core.config import get_settings


class PortUnavailable(Exception):
    """A compatibility port is taken; the message names it and the setting that moves it."""


@dataclass(frozen=True)
class CompatPorts:
    studio: int
    ingestion: int
    remote_management: int

    @classmethod
    def from_settings(cls) -> CompatPorts:
        s = get_settings()
        return cls(s.ei_compat_studio_port, s.ei_compat_ingestion_port, s.ei_compat_remote_management_port)

    def described(self) -> str:
        return f"Studio API :{self.studio}, ingestion :{self.ingestion}, remote management :{self.remote_management}"


_SETTING = {
    "studio": "EI_COMPAT_STUDIO_PORT",
    "ingestion": "EI_COMPAT_INGESTION_PORT",
    "remote_management": "EI_COMPAT_REMOTE_MANAGEMENT_PORT",
}


def _bind(host: str, port: int, what: str) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise PortUnavailable(
            f"cannot listen on {host}:{port} for Edge Impulse's {what.replace('_', ' ')} "
            f"({exc.strerror}); choose another port with {_SETTING[what]}"
        ) from None
    sock.set_inheritable(True)
    return sock


def start_compat_listeners(
    host: str, ports: CompatPorts | None = None, app: str = "backend.main:app"
) -> uvicorn.Server:
    """Bind the three ports now (so a taken port fails at start-up) and serve them in a daemon
    thread; returns the server (set `should_exit` to stop it)."""
    ports = ports or CompatPorts.from_settings()
    sockets = [
        _bind(host, port, what)
        for what, port in (
            ("studio", ports.studio),
            ("ingestion", ports.ingestion),
            ("remote_management", ports.remote_management),
        )
    ]
    # No lifespan: the main server already runs the app's start-up; no proxy headers on raw ports.
    server = uvicorn.Server(
        uvicorn.Config(app, lifespan="off", log_level="warning", ws_ping_interval=20, proxy_headers=False)
    )
    threading.Thread(target=server.run, kwargs={"sockets": sockets}, name="ei-compat", daemon=True).start()
    return server


def start_if_enabled(host: str, requested: bool) -> uvicorn.Server | None:
    """For `tinyforge serve|api`: start the listeners when `--ei-compat` or EI_COMPAT asks for
    them, and say where; a taken port stops the command with a clear error (exit status 2)."""
    if not (requested or get_settings().ei_compat):
        return None
    ports = CompatPorts.from_settings()
    try:
        server = start_compat_listeners(host, ports)
    except PortUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr, flush=True)
        raise SystemExit(2) from None
    print(
        f"Edge Impulse compatibility on {host}: {ports.described()} "
        f"(use EI_HOST={'localhost' if host in ('127.0.0.1', 'localhost') else '<this host>'})",
        flush=True,
    )
    return server
