"""Augmentation of framed training windows: time shift and SpecAugment masks (pure numpy, seeded).

A framed window is a flat row of `rows x columns` values stored row after row (audio: frames of
coefficients; raw: samples of axes). The trainer works on normalised features, so 0 is the
training set's average at that position: shifted-in frames and masked cells become "average",
which is what silence or a missing band looks like to the network. Only training batches pass
through here; validation and test windows never do.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def shift_frames(x: np.ndarray, shifts: np.ndarray) -> np.ndarray:
    """Each window [rows, columns] moved by shifts[i] rows (positive: later), zeros shifted in."""
    out = np.zeros_like(x)
    rows = x.shape[1]
    for i, s in enumerate(shifts):
        s = int(s)
        if abs(s) >= rows:  # shifted out entirely
            continue
        if s >= 0:
            out[i, s:] = x[i, : rows - s]
        else:
            out[i, : rows + s] = x[i, -s:]
    return out


def mask_runs(x: np.ndarray, axis: int, starts: np.ndarray, widths: np.ndarray) -> np.ndarray:
    """Zero runs of rows (axis 1) or columns (axis 2): starts/widths [windows, masks]."""
    out = x.copy()
    size = x.shape[axis]
    positions = np.arange(size)
    for i in range(len(x)):
        hit = np.zeros(size, dtype=bool)
        for start, width in zip(starts[i], widths[i], strict=True):
            hit |= (positions >= start) & (positions < start + width)
        if axis == 1:
            out[i, hit, :] = 0
        else:
            out[i, :, hit] = 0
    return out


def _random_masks(rng: np.random.Generator, n: int, count: int, max_width: int, size: int):
    widths = rng.integers(1, min(max_width, size) + 1, size=(n, count))
    starts = rng.integers(0, size - widths + 1)
    return starts, widths


def augment_frames(
    x: np.ndarray, grid: tuple[int, int], params: dict[str, Any], rng: np.random.Generator
) -> np.ndarray:
    """Training windows [n, rows * columns] with the learning block's time shift and masks applied.

    Draws from rng only for the augmentations that are on, so turning one on does not change
    what another draws; the same rng state gives the same result.
    """
    rows, cols = grid
    shift, time_masks, freq_masks = (
        params.get("time_shift", 0),
        params.get("time_masks", 0),
        params.get("freq_masks", 0),
    )
    if not (shift or time_masks or freq_masks):
        return x
    w = x.reshape(len(x), rows, cols)
    if shift:
        w = shift_frames(w, rng.integers(-shift, shift + 1, size=len(w)))
    if time_masks:
        w = mask_runs(w, 1, *_random_masks(rng, len(w), time_masks, params["time_mask_width"], rows))
    if freq_masks:
        w = mask_runs(w, 2, *_random_masks(rng, len(w), freq_masks, params["freq_mask_width"], cols))
    return w.reshape(len(x), rows * cols)
