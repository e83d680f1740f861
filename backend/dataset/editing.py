"""Pure edits of a sample's values: downsampling for plots, crop, fixed windows.

All functions take rows x axes float32 arrays and an interval in ms, and return row ranges or
arrays; no SQL, no HTTP. Bad requests raise `EditError` with a message for the user.

Event detection ("split by events") lives in `events.py`.
"""

from __future__ import annotations

import math

import numpy as np


class EditError(ValueError):
    pass


def downsample_minmax(values: np.ndarray, max_points: int) -> tuple[np.ndarray, np.ndarray]:
    """At most `max_points` rows keeping each bucket's minimum and maximum per axis, in time order.

    Returns (row_indices float64 [m], values [m, axes]); the indices give each point's position
    (fractional where a bucket's min and max of different axes fall at different rows)."""
    n, axes = values.shape
    if max_points <= 0 or n <= max_points:
        return np.arange(n, dtype=np.float64), values
    buckets = max(1, max_points // 2)
    size = math.ceil(n / buckets)
    buckets = math.ceil(n / size)
    padded = (
        np.concatenate([values, np.repeat(values[-1:], buckets * size - n, axis=0)]) if buckets * size > n else values
    )
    shaped = padded.reshape(buckets, size, axes)
    lo, hi = shaped.argmin(axis=1), shaped.argmax(axis=1)  # [buckets, axes]
    first, second = np.minimum(lo, hi), np.maximum(lo, hi)
    take = lambda idx: np.take_along_axis(shaped, idx[:, None, :], axis=1)[:, 0, :]  # noqa: E731
    out = np.empty((buckets * 2, axes), dtype=values.dtype)
    out[0::2], out[1::2] = take(first), take(second)
    base = np.arange(buckets, dtype=np.float64) * size
    pos = np.empty(buckets * 2)
    pos[0::2] = base + first.mean(axis=1)
    pos[1::2] = base + second.mean(axis=1)
    return np.minimum(pos, n - 1), out


def _need_time_series(interval_ms: float) -> None:
    if interval_ms <= 0:
        raise EditError("this sample is a single reading: it has no time axis to crop or split")


def crop_range(n_rows: int, interval_ms: float, start_ms: float, end_ms: float) -> tuple[int, int]:
    """Rows [a, b) covering start_ms..end_ms (end exclusive, rounded to the nearest row)."""
    _need_time_series(interval_ms)
    length = n_rows * interval_ms
    if not (math.isfinite(start_ms) and math.isfinite(end_ms)) or start_ms < 0 or end_ms <= start_ms:
        raise EditError(f"crop needs 0 <= start_ms < end_ms (got {start_ms:g}..{end_ms:g})")
    if start_ms >= length:
        raise EditError(f"start_ms {start_ms:g} is past the end of the sample ({length:g} ms)")
    a = int(round(start_ms / interval_ms))
    b = min(n_rows, int(round(end_ms / interval_ms)))
    if b <= a:
        raise EditError(f"{start_ms:g}..{end_ms:g} ms is shorter than one reading ({interval_ms:g} ms)")
    return a, b


def window_rows(interval_ms: float, window_ms: float) -> int:
    _need_time_series(interval_ms)
    if not math.isfinite(window_ms) or window_ms <= 0:
        raise EditError("window_ms must be a positive number")
    rows = int(round(window_ms / interval_ms))
    if rows < 1:
        raise EditError(f"window_ms {window_ms:g} is shorter than one reading ({interval_ms:g} ms)")
    return rows


def fixed_windows(n_rows: int, interval_ms: float, window_ms: float) -> list[tuple[int, int]]:
    """Consecutive windows of `window_ms`; a shorter remainder at the end is dropped."""
    size = window_rows(interval_ms, window_ms)
    if size > n_rows:
        raise EditError(f"the sample ({n_rows * interval_ms:g} ms) is shorter than one window ({window_ms:g} ms)")
    return [(a, a + size) for a in range(0, n_rows - size + 1, size)]
