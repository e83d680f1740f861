"""The holder's side of a live session: readings in from the device socket, results out to the
studio. Runs in the API process that holds the device's socket (see backend/device/hub.py).

Each complete window goes to the interactive queue (the worker keeps the model loaded); results
are published on the session's channel for every viewer. Nothing is stored: the readings live in
a bounded ring, which "save as a test sample" reads from.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import math
import time
from collections.abc import Awaitable, Callable
from typing import Any

import numpy as np

from backend.core import rpc, task_names
from backend.core.events import publish, subscribe
from backend.live import channels
from backend.live.windowing import ChunkError, SlidingWindows, Window, parse_chunk

log = logging.getLogger(__name__)
# Windows waiting for the worker: beyond this the oldest are skipped (said in the next result).
MAX_BACKLOG = 2
RECENT_RESULTS = 120  # what a viewer who joins late sees first
# A device may send its readings this much faster than announced (clocks and bursts), no more.
RATE_SLACK = 1.5
MAX_MESSAGES_PER_S = 50
# A device that only records samples: how long past the recording's length its upload may take.
SAMPLE_GRACE_S = 20.0
MAX_SAMPLE_FAILURES = 3
# The ring of readings kept for "save as test sample": at most this many bytes per session (a 48 kHz
# microphone keeps its 60 s in 35 MB; a device announcing a faster sensor keeps fewer seconds).
MAX_RING_BYTES = 64 * 1024 * 1024


def now_ms() -> float:
    return time.time() * 1000.0


class LiveRunner:
    def __init__(self, config: dict[str, Any], send: Callable[[dict[str, Any]], Awaitable[None]]):
        self.config = config
        self.session_id: str = config["session_id"]
        self.channel = channels.live_channel(config["project_id"], config["device_id"])
        self._send = send
        interval = config["interval_ms"]
        self.windows = SlidingWindows(
            axes=len(config["axes"]),
            interval_ms=interval,
            window_rows=max(1, math.ceil(config["window_ms"] / interval - 1e-6)),  # never short of one window
            stride_rows=max(1, round(config["stride_ms"] / interval)),
            keep_rows=min(
                round(config["keep_s"] * 1000 / interval),
                MAX_RING_BYTES // SlidingWindows.bytes_per_row(len(config["axes"])),
            ),
        )
        self.pending: collections.deque[Window] = collections.deque()
        self.recent: collections.deque[dict[str, Any]] = collections.deque(maxlen=RECENT_RESULTS)
        self.skipped = 0
        self.messages = 0
        self.rejected = 0
        self.started = time.monotonic()
        self.ended: str | None = None
        self._wake = asyncio.Event()
        self._uploaded = asyncio.Event()
        self._last_problem: str | None = None
        self._tasks: list[asyncio.Task] = []

    # ---- lifecycle ----
    async def start(self) -> None:
        c = self.config
        self._tasks = [asyncio.create_task(self._classify_loop()), asyncio.create_task(self._deadline())]
        if c["mode"] == "stream":
            await self._send(
                {"stream": {"id": self.session_id, "sensor": c["sensor"], "interval": c["interval_ms"], "chunkMs": 100}}
            )
        else:
            uploads = subscribe([channels.upload_channel(c["project_id"], self.session_id)], poll_s=0.05)
            await uploads.__anext__()  # listening before the first request goes out
            self._tasks.append(asyncio.create_task(self._receive_uploads(uploads)))
            self._tasks.append(asyncio.create_task(self._sampling_loop()))
        publish(self.channel, {"type": "live.started", "session": self.public()})

    async def stop(self, reason: str, *, tell_device: bool = True) -> None:
        if self.ended is not None:
            return
        self.ended = reason
        if tell_device and self.config["mode"] == "stream":
            with contextlib.suppress(Exception):
                await self._send({"streamStop": {"id": self.session_id}})
        current = asyncio.current_task()
        for t in self._tasks:
            if t is not current:
                t.cancel()
        publish(self.channel, {"type": "live.ended", "session_id": self.session_id, "reason": reason})

    async def _deadline(self) -> None:
        await asyncio.sleep(self.config["max_s"])
        await self.stop(f"the session reached its limit of {self.config['max_s'] / 60:g} minutes")

    # ---- readings in ----
    def feed(self, message: Any) -> None:
        """One streamData message; raises ChunkError (sent back to the device) for bad ones."""
        if self.ended is not None:
            raise ChunkError("the live session has ended; stop streaming")
        rows, last_ts = parse_chunk(message, len(self.config["axes"]))
        elapsed = time.monotonic() - self.started + 5.0
        self.messages += 1
        allowed_rows = elapsed * 1000.0 / self.config["interval_ms"] * RATE_SLACK
        if self.messages > elapsed * MAX_MESSAGES_PER_S or self.windows.total + rows.shape[0] > allowed_rows:
            self.rejected += 1
            hz = 1000.0 / self.config["interval_ms"]
            raise ChunkError(f"readings arrive faster than the sensor's {hz:g} Hz; this chunk was dropped")
        self._take(self.windows.push(rows, last_ts, now_ms()))

    def _take(self, windows: list[Window]) -> None:
        self.pending.extend(windows)
        while len(self.pending) > MAX_BACKLOG:
            self.pending.popleft()
            self.skipped += 1
        if self.pending:
            self._wake.set()

    # ---- readings in, from a device that only records samples ----
    async def _sampling_loop(self) -> None:
        """Ask for one short sample after another; each upload comes back through `_receive_uploads`."""
        c = self.config
        failures = 0
        while True:
            self._uploaded.clear()
            request = {
                "label": "live",
                "length": c["sample_ms"],
                "path": channels.upload_path(c["project_id"], self.session_id),
                "hmacKey": c["hmac_key"],
                "interval": c["interval_ms"],
                "sensor": c["sensor"],
            }
            await self._send({"sample": request})
            try:
                await asyncio.wait_for(self._uploaded.wait(), c["sample_ms"] / 1000 + SAMPLE_GRACE_S)
                failures = 0
            except TimeoutError:
                failures += 1
                problem = f"the device sent no recording within {c['sample_ms'] / 1000 + SAMPLE_GRACE_S:g} s"
                publish(self.channel, {"type": "live.problem", "session_id": self.session_id, "error": problem})
                if failures >= MAX_SAMPLE_FAILURES:
                    await self.stop(f"{problem}, {failures} times in a row")
                    return

    async def _receive_uploads(self, uploads) -> None:
        async for ev in uploads:
            if not ev:
                continue
            try:
                self.feed_recording(ev)
            except ChunkError as e:
                channels.answer(ev["reply_to"], error=str(e), status=422)
                continue
            channels.answer(ev["reply_to"], {"session_id": self.session_id})
            self._uploaded.set()

    def feed_recording(self, ev: dict[str, Any]) -> None:
        axes, interval = self.config["axes"], self.config["interval_ms"]
        rows = np.asarray(ev["values"], dtype=np.float32)
        if rows.ndim != 2 or rows.shape[1] != len(axes):
            raise ChunkError(f"the recording has {rows.shape[-1]} values per row; the impulse needs {len(axes)}")
        if abs(float(ev["interval_ms"]) - interval) > 0.01 * interval:
            raise ChunkError(
                f"the recording's interval is {ev['interval_ms']:g} ms; live classification asked for {interval:g} ms"
            )
        self.windows.restart()
        self._take(self.windows.push(rows, None, now_ms()))

    def tell_viewers(self, problem: str) -> None:
        """A problem the studio should see; said once until another one comes up."""
        if problem != self._last_problem:
            self._last_problem = problem
            publish(self.channel, {"type": "live.problem", "session_id": self.session_id, "error": problem})

    # ---- results out ----
    async def _classify_loop(self) -> None:
        c = self.config
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self.pending:
                w = self.pending.popleft()
                payload = {
                    "project_id": c["project_id"],
                    "train_job_id": c["train_job_id"],
                    "variant": c["variant"],
                    "threshold": c["threshold"],
                    "values": w.values.tolist(),
                    "interval_ms": c["interval_ms"],
                }
                try:
                    answer = await rpc.call(task_names.CLASSIFY, payload, timeout=15)
                except asyncio.CancelledError:
                    raise
                except Exception as e:  # the worker refused or is gone: say so, keep going
                    publish(self.channel, {"type": "live.problem", "session_id": self.session_id, "error": str(e)})
                    continue
                self._publish_result(w, answer)

    def _publish_result(self, w: Window, answer: dict[str, Any]) -> None:
        first = (answer.get("windows") or [{}])[0]
        result = {
            "type": "live.result",
            "session_id": self.session_id,
            "index": w.index,
            "window_start_ms": w.start_ms,
            "reading_ts": w.newest_reading_ts,
            "classified_ts": now_ms(),
            "classification": first.get("classification"),
            "prediction": first.get("prediction"),
            "value": first.get("value"),
            "anomaly": first.get("anomaly"),
            "skipped": self.skipped,
        }
        self.recent.append(result)
        publish(self.channel, result)

    # ---- what viewers and saves ask for ----
    def public(self) -> dict[str, Any]:
        c = self.config
        keys = (
            "session_id", "device_id", "impulse_id", "train_job_id", "variant", "sensor", "axes", "mode",
            "interval_ms", "window_ms", "stride_ms", "max_s", "keep_s", "started_by", "started_at",
        )  # fmt: skip
        return {k: c[k] for k in keys} | {
            "readings": self.windows.total,
            "windows": self.windows.windows_made,
            "skipped": self.skipped,
            "rejected_chunks": self.rejected,
        }

    def readings(self, seconds: float) -> dict[str, Any]:
        rows = self.windows.last(round(seconds * 1000 / self.config["interval_ms"]))
        return {"values": rows.tolist(), "interval_ms": self.config["interval_ms"], "axes": self.config["axes"]}
