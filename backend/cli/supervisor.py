"""`tinyforge serve`'s workers: started, watched, restarted with back-off, and kept quiet.

A worker that dies (killed, out of memory, a broker error) is started again after 1 s, then 2, 4 ...
up to 30 s while it keeps dying; a worker that ran a minute starts again from 1 s. Each restart is
one line on the console. The workers' own output (Celery's banner, info lines, tracebacks) goes to
a log file; only their errors are echoed to the console, with a pointer to the file.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

FIRST_BACKOFF_S = 1.0
MAX_BACKOFF_S = 30.0
STABLE_AFTER_S = 60.0
LOG_ROTATE_BYTES = 20 * 1024 * 1024
LOUD = (": ERROR/", ": CRITICAL/", "Unrecoverable error")


@dataclass
class Worker:
    name: str
    command: list[str]
    proc: subprocess.Popen | None = None
    started_at: float = 0.0
    backoff_s: float = FIRST_BACKOFF_S
    restart_at: float | None = None
    restarts: int = 0
    readers: list[threading.Thread] = field(default_factory=list)


def open_log(path: Path) -> TextIO:
    """Append to the worker log; keep one previous file when it grows large."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.stat().st_size > LOG_ROTATE_BYTES:
        path.replace(path.with_name(path.name + ".1"))
    return open(path, "a", buffering=1, encoding="utf-8", errors="replace")


class Supervisor:
    def __init__(
        self,
        commands: dict[str, list[str]],
        log_path: Path,
        say: Callable[[str], None],
        on_exit: Callable[[int], None] | None = None,
    ):
        self.workers = [Worker(name, cmd) for name, cmd in commands.items()]
        self.log_path, self.say, self.on_exit = log_path, say, on_exit
        self.log = open_log(log_path)
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._watcher = threading.Thread(target=self._watch, name="tinyforge-supervisor", daemon=True)

    def start(self) -> Supervisor:
        for w in self.workers:
            self._spawn(w)
        self._watcher.start()
        return self

    def _spawn(self, w: Worker) -> None:
        # Own session: Ctrl-C in the terminal reaches serve only, which then stops the workers warmly.
        w.proc = subprocess.Popen(
            w.command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            text=True,
            errors="replace",
        )
        w.started_at, w.restart_at = time.monotonic(), None
        reader = threading.Thread(target=self._relay, args=(w, w.proc), daemon=True, name=f"log-{w.name}")
        reader.start()
        w.readers = [reader]

    def _relay(self, w: Worker, proc: subprocess.Popen) -> None:
        """Everything into the log file; errors also to the console."""
        assert proc.stdout is not None
        for line in proc.stdout:
            with self._lock:
                if not self.log.closed:  # a worker still talking after stop() gave up waiting
                    self.log.write(f"[{w.name}] {line}")
            if any(mark in line for mark in LOUD):
                self.say(f"worker '{w.name}': {line.strip()}  (details in {self.log_path})")

    def _watch(self) -> None:
        while not self._stopping.wait(0.5):
            now = time.monotonic()
            for w in self.workers:
                if w.proc is not None and w.proc.poll() is not None and w.restart_at is None:
                    code = w.proc.returncode
                    if now - w.started_at > STABLE_AFTER_S:
                        w.backoff_s = FIRST_BACKOFF_S
                    w.restart_at = now + w.backoff_s
                    self.say(
                        f"worker '{w.name}' (pid {w.proc.pid}) stopped unexpectedly (exit status {code}); "
                        f"restarting it in {w.backoff_s:g} s. Worker logs: {self.log_path}"
                    )
                    if self.on_exit is not None:
                        self.on_exit(w.proc.pid)
                    w.backoff_s = min(MAX_BACKOFF_S, w.backoff_s * 2)
                elif w.restart_at is not None and now >= w.restart_at and not self._stopping.is_set():
                    w.restarts += 1
                    self._spawn(w)
                    self.say(f"worker '{w.name}' restarted (pid {w.proc.pid})")

    def pids(self) -> list[int]:
        return [w.proc.pid for w in self.workers if w.proc is not None]

    def stop(self, timeout: float = 20) -> None:
        """Warm shutdown (the current task step finishes), then kill what is left."""
        self._stopping.set()
        if self._watcher.is_alive():
            self._watcher.join(timeout=5)
        running = [w.proc for w in self.workers if w.proc is not None and w.proc.poll() is None]
        for proc in running:
            proc.send_signal(signal.SIGTERM)
        for proc in running:
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        for w in self.workers:
            for reader in w.readers:
                reader.join(timeout=5)
        self.log.close()
