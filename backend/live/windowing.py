"""Readings streamed by a device, cut into the impulse's windows: pure bookkeeping, no I/O.

Rows arrive in chunks at the sensor's rate; each row carries the device's clock (epoch ms) so a
result can say which reading it answers. A bounded ring keeps the last seconds for "save as a
test sample"; windows are copied out as they complete.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

# A chunk larger than this is refused (about 16 s of a 62.5 Hz accelerometer).
MAX_CHUNK_ROWS = 1000
MAX_AXES = 16


class ChunkError(ValueError):
    """A streamed chunk we cannot use; the text goes back to the device."""


@dataclass
class Window:
    index: int  # 0, 1, 2 ... in the order windows complete
    start_ms: float  # since the first streamed reading
    values: np.ndarray  # [rows, axes] float32
    newest_reading_ts: float  # the device's clock (epoch ms) of the window's last reading


def parse_chunk(message: Any, axes: int) -> tuple[np.ndarray, float | None]:
    """{"values": [[...], ...], "t": epoch ms of the last row} -> (rows, t)."""
    if not isinstance(message, dict):
        raise ChunkError('streamData must be an object: {"values": [[...], ...], "t": <ms>}')
    values = message.get("values")
    if not isinstance(values, list) or not values:
        raise ChunkError("streamData.values must be a non-empty list of rows")
    if len(values) > MAX_CHUNK_ROWS:
        raise ChunkError(f"streamData has {len(values)} rows; send at most {MAX_CHUNK_ROWS} rows per message")
    for i, row in enumerate(values):
        if not isinstance(row, list) or len(row) != axes:
            got = len(row) if isinstance(row, list) else type(row).__name__
            raise ChunkError(f"streamData.values[{i}] has {got} values; every row needs {axes} (one per axis)")
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in row):
            raise ChunkError(f"streamData.values[{i}] holds something that is not a finite number")
    t = message.get("t")
    if t is not None and (not isinstance(t, (int, float)) or isinstance(t, bool) or not math.isfinite(t)):
        raise ChunkError("streamData.t must be the device's time of the last row in milliseconds")
    return np.asarray(values, dtype=np.float32), (float(t) if t is not None else None)


class SlidingWindows:
    """Feeds rows in; hands out every complete window (size and stride in rows)."""

    @staticmethod
    def bytes_per_row(axes: int) -> int:
        """The ring's memory per row kept: float32 values and a float64 time stamp."""
        return 4 * axes + 8

    def __init__(self, *, axes: int, interval_ms: float, window_rows: int, stride_rows: int, keep_rows: int):
        if window_rows <= 0 or stride_rows <= 0:
            raise ValueError("window and stride must be at least one row")
        self.axes, self.interval_ms = axes, interval_ms
        self.window_rows, self.stride_rows = window_rows, stride_rows
        # The ring holds what the next window needs and what a save may ask for.
        self.capacity = max(window_rows, keep_rows)
        self.values = np.zeros((self.capacity, axes), dtype=np.float32)
        self.stamps = np.zeros(self.capacity, dtype=np.float64)
        self.total = 0  # rows ever received
        self.next_end = window_rows  # row count at which the next window completes
        self.windows_made = 0

    def push(self, rows: np.ndarray, last_ts: float | None, now_ms: float) -> list[Window]:
        n = rows.shape[0]
        end_ts = last_ts if last_ts is not None else now_ms
        stamps = end_ts - self.interval_ms * np.arange(n - 1, -1, -1, dtype=np.float64)
        if n >= self.capacity:  # only the newest rows matter
            rows, stamps = rows[-self.capacity :], stamps[-self.capacity :]
        self.total += n
        idx = np.arange(self.total - rows.shape[0], self.total) % self.capacity
        self.values[idx] = rows
        self.stamps[idx] = stamps
        out = []
        while self.next_end <= self.total:
            start = self.next_end - self.window_rows
            if start >= self.total - self.capacity:  # still in the ring
                out.append(self._window(start))
            self.next_end += self.stride_rows
        return out

    def restart(self) -> None:
        """The next rows do not follow the previous ones (a new recording): no window spans the gap."""
        self.next_end = self.total + self.window_rows

    def _window(self, start: int) -> Window:
        idx = np.arange(start, start + self.window_rows) % self.capacity
        w = Window(
            index=self.windows_made,
            start_ms=start * self.interval_ms,
            values=self.values[idx].copy(),
            newest_reading_ts=float(self.stamps[idx[-1]]),
        )
        self.windows_made += 1
        return w

    def last(self, rows: int) -> np.ndarray:
        """The newest `rows` readings (fewer if fewer arrived), oldest first."""
        rows = min(rows, self.total, self.capacity)
        idx = np.arange(self.total - rows, self.total) % self.capacity
        return self.values[idx].copy()
