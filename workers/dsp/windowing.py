"""Cutting samples into the windows an impulse processes.

A sample is a float array [n, axes] recorded at its own rate. The impulse resamples it to its
frequency, then slides a window of `window_len` samples by `stride` samples over it.
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction

import numpy as np
from scipy import signal

from backend.blocks.processing import window_length

__all__ = ["resample", "window_starts", "iter_windows", "window_length"]

# Rate ratios are approximated by a fraction with at most this denominator (62.5 -> 100 Hz is 8/5).
_MAX_RATIO_DENOMINATOR = 1000


def resample(sample: np.ndarray, from_hz: float, to_hz: float) -> np.ndarray:
    """Resample a sample [n, axes] from `from_hz` to `to_hz` (polyphase, anti-aliased); float32.

    The output has round(n * to_hz / from_hz) rows. Equal rates return a float32 copy.
    """
    x = np.asarray(sample, dtype=np.float32)
    if x.ndim != 2:
        raise ValueError(f"sample must be [n, axes], got shape {x.shape}")
    if from_hz <= 0 or to_hz <= 0:
        raise ValueError("sampling frequencies must be positive")
    if from_hz == to_hz or x.shape[0] == 0:
        return x.copy()
    ratio = Fraction(to_hz / from_hz).limit_denominator(_MAX_RATIO_DENOMINATOR)
    y = signal.resample_poly(x.astype(np.float64), ratio.numerator, ratio.denominator, axis=0)
    n_out = int(round(x.shape[0] * to_hz / from_hz))
    if y.shape[0] < n_out:  # the fraction approximation may drop a row; repeat the last one
        y = np.concatenate([y, np.repeat(y[-1:], n_out - y.shape[0], axis=0)])
    return y[:n_out].astype(np.float32)


def window_starts(n_samples: int, window_len: int, stride: int, pad_last: bool = False) -> np.ndarray:
    """Start indices of the windows over a sample of `n_samples` rows.

    Windows start at 0, stride, 2*stride ... and must fit inside the sample. With `pad_last`, one
    more window starts at the next stride position when samples past the last full window (or a
    sample shorter than one window) would otherwise be lost; its missing rows are zeros.
    """
    if window_len < 1 or stride < 1:
        raise ValueError("window_len and stride must be at least 1")
    count = 0 if n_samples < window_len else (n_samples - window_len) // stride + 1
    starts = np.arange(count, dtype=np.int64) * stride
    if pad_last:
        covered = starts[-1] + window_len if count else 0
        nxt = count * stride
        if covered < n_samples and nxt < n_samples:
            starts = np.append(starts, nxt)
    return starts


def iter_windows(
    sample: np.ndarray, window_len: int, stride: int, pad_last: bool = False, chunk: int = 1024
) -> Iterator[np.ndarray]:
    """Yield the windows of a sample [n, axes] as float32 arrays [k, window_len, axes], k <= chunk.

    Only one chunk is materialised at a time, so memory stays bounded for long samples.
    """
    x = np.asarray(sample, dtype=np.float32)
    if x.ndim != 2:
        raise ValueError(f"sample must be [n, axes], got shape {x.shape}")
    starts = window_starts(x.shape[0], window_len, stride, pad_last)
    if starts.size == 0:
        return
    last_end = int(starts[-1]) + window_len
    if last_end > x.shape[0]:
        x = np.concatenate([x, np.zeros((last_end - x.shape[0], x.shape[1]), np.float32)])
    offsets = np.arange(window_len)
    for i in range(0, starts.size, chunk):
        rows = starts[i : i + chunk, None] + offsets[None, :]
        yield x[rows]
