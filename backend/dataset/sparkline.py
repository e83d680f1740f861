"""A sample's thumbnail for lists: the min/max envelope of its first axis in a few buckets.

Pure numpy, no SQL: computed when a sample is stored (and for older samples the first time a
list shows them), kept on the sample row so a list page never reads sample values.
"""

from __future__ import annotations

import numpy as np

POINTS = 48


def _round(values: np.ndarray) -> list[float]:
    # Four significant digits: a 40-pixel drawing needs no more, and the list stays small.
    return [float(f"{v:.4g}") for v in values.tolist()]


def envelope(blob: bytes, n_axes: int, points: int = POINTS) -> dict[str, list[float]]:
    """{"min": [...], "max": [...]} of axis 0, in at most `points` equal buckets of rows (fewer
    when the sample has fewer rows; both empty for a sample without rows)."""
    data = np.frombuffer(blob, dtype="<f4")
    if n_axes <= 0 or data.size < n_axes:
        return {"min": [], "max": []}
    first = np.nan_to_num(data[: data.size - data.size % n_axes].reshape(-1, n_axes)[:, 0].astype(np.float64))
    buckets = min(points, first.size)
    starts = np.linspace(0, first.size, buckets + 1).astype(np.int64)[:-1]
    return {"min": _round(np.minimum.reduceat(first, starts)), "max": _round(np.maximum.reduceat(first, starts))}
