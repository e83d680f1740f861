"""The task broker: its URL and options, whether it answers, and the embedded default's transport.

The embedded default queues tasks as files under DATA_DIR/broker (see README). kombu's filesystem
transport creates a message file under its final name and only then writes it, so a worker polling
the folder can take a message before it is written and die on `JSONDecodeError` (upstream kombu
issue). Our transport writes each message under a temporary name in another folder of the same
disk and renames it into the queue folder: a reader sees a whole message or none. A reader claims a
message by renaming it (only one reader can win), and an unreadable file is set aside, not fatal.
"""

from __future__ import annotations

import logging
import os
import uuid
from contextlib import contextmanager
from pathlib import Path
from queue import Empty
from time import monotonic
from typing import Any

from kombu.transport import TRANSPORT_ALIASES, filesystem, virtual
from kombu.utils.encoding import bytes_to_str, str_to_bytes
from kombu.utils.json import dumps, loads

from backend.core.config import Settings

log = logging.getLogger(__name__)
SCHEME = "tinyforgefs"


class Channel(filesystem.Channel):
    @property
    def incoming_folder(self) -> str:
        return self.transport_options["incoming_folder"]

    @property
    def unreadable_folder(self) -> str:
        return self.transport_options["unreadable_folder"]

    def _put(self, queue, payload, **kwargs):
        name = f"{int(round(monotonic() * 1000))}_{uuid.uuid4()}.{queue}.msg"
        staged = os.path.join(self.incoming_folder, name)
        try:
            with open(staged, "wb") as f:
                f.write(str_to_bytes(dumps(payload)))
            os.rename(staged, os.path.join(self.data_folder_out, name))  # atomic on one filesystem
        except OSError as exc:
            raise filesystem.ChannelError(f"Cannot add message {name!r} to the queue folder") from exc

    def _get(self, queue):
        suffix = f"{queue}.msg"
        for name in sorted(os.listdir(self.data_folder_in)):
            if name.partition(".")[2] != suffix:
                continue
            claimed = os.path.join(self.processed_folder, name)
            try:
                os.rename(os.path.join(self.data_folder_in, name), claimed)
            except OSError:  # another reader claimed it first
                continue
            try:
                with open(claimed, "rb") as f:
                    payload = f.read()
                message = loads(bytes_to_str(payload))
            except (OSError, ValueError) as exc:
                log.error("set aside unreadable message %s (%s)", name, exc)
                os.replace(claimed, os.path.join(self.unreadable_folder, name))
                continue
            if self.store_processed:
                return message
            os.remove(claimed)
            return message
        raise Empty()

    # Exchange tables: replaced whole (write + rename) under one lock, so a reader never sees half.
    @contextmanager
    def _tables_locked(self):
        self.control_folder.mkdir(exist_ok=True)
        with open(self.control_folder / ".lock", "ab") as f:
            filesystem.lock(f, filesystem.LOCK_EX)
            try:
                yield
            finally:
                filesystem.unlock(f)

    def get_table(self, exchange):
        try:
            table = loads(bytes_to_str(self._exchange_file(exchange).read_bytes()))
        except FileNotFoundError:
            return []
        return [filesystem.exchange_queue_t(*q) for q in table]

    def _write_table(self, exchange, queues) -> None:
        file = self._exchange_file(exchange)
        staged = file.with_name(f".{file.name}.{uuid.uuid4().hex}")
        staged.write_bytes(str_to_bytes(dumps(queues)))
        os.replace(staged, file)

    def _queue_bind(self, exchange, routing_key, pattern, queue):
        entry = filesystem.exchange_queue_t(routing_key or "", pattern or "", queue or "")
        with self._tables_locked():
            queues = self.get_table(exchange)
            if entry not in queues:
                self._write_table(exchange, [entry, *queues])

    def _delete(self, queue, exchange, routing_key, pattern, *args, **kwargs):
        virtual.Channel._delete(self, queue, exchange, routing_key, pattern, *args, **kwargs)
        entry = filesystem.exchange_queue_t(routing_key or "", pattern or "", queue or "")
        with self._tables_locked():
            queues = self.get_table(exchange)
            if entry in queues:
                self._write_table(exchange, [q for q in queues if q != entry])


class Transport(filesystem.Transport):
    Channel = Channel
    driver_type = driver_name = "filesystem"


TRANSPORT_ALIASES[SCHEME] = f"{__name__}:Transport"


def celery_broker_url(settings: Settings) -> str:
    """The URL Celery connects to: the filesystem broker always goes through our transport."""
    return f"{SCHEME}://" if settings.uses_filesystem_broker else settings.resolved_broker_url


def broker_options(settings: Settings) -> dict[str, Any]:
    """Transport options shared by the API's client and the worker app."""
    if settings.uses_filesystem_broker:
        folder = settings.broker_folder
        for sub in ("out", "incoming", "processed", "unreadable", "control"):
            (folder / sub).mkdir(parents=True, exist_ok=True)
        return {
            # kombu keeps broadcast state here; its default is ./control in the working directory.
            "control_folder": str(folder / "control"),
            "data_folder_in": str(folder / "out"),
            "data_folder_out": str(folder / "out"),
            "incoming_folder": str(folder / "incoming"),
            "processed_folder": str(folder / "processed"),
            "unreadable_folder": str(folder / "unreadable"),
            "store_processed": False,
            # Interactive calls (DSP preview) wait for a worker to notice the message: poll often.
            "polling_interval": 0.1,
        }
    # Redis: re-deliver unacknowledged tasks of a dead worker after this long. Jobs are protected
    # from running twice by their compare-and-set status, so a short timeout is safe.
    return {"visibility_timeout": max(60, int(settings.job_heartbeat_timeout_s * 2))}


def broker_problem(settings: Settings, connection_factory) -> str | None:
    """None when the broker takes messages, else why not (for /api/health)."""
    if settings.uses_filesystem_broker:
        out = Path(settings.broker_folder) / "out"
        if not out.is_dir() or not os.access(out, os.W_OK):
            return f"the broker folder {out} is missing or not writable"
        return None
    try:
        with connection_factory() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
    except Exception as e:  # any failure to connect is the answer, not an error of ours
        return f"the broker ({conn_label(settings)}) cannot be reached: {type(e).__name__}: {e}"
    return None


def conn_label(settings: Settings) -> str:
    """The broker's URL without its password."""
    from kombu.utils.url import maybe_sanitize_url

    return maybe_sanitize_url(settings.resolved_broker_url)
