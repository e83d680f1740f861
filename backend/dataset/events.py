"""Split by events: find the bursts of energy in a sample and give each one clip of a fixed length.

Pure numpy on rows x axes float32 arrays; no SQL, no HTTP. Bad parameters raise `EditError`.

1. Each axis's median is removed (DC offset, gravity); the sum over axes of the squared values,
   averaged over frames of `frame_ms` (10-20 ms suits audio: a syllable spans several frames,
   while a frame is long enough to smooth a single period of a voice), is the short-time energy,
   in dB relative to `full_scale` squared (dBFS for audio in the int16 range).
2. The noise floor is the `noise_percentile`th percentile of the frames' energy: most of a
   recording of words is background, so a low percentile sits on it whatever its level.
3. Hysteresis: an event starts where a frame rises `threshold_db` above the floor and lasts
   until frames fall below `threshold_db - hysteresis_db`, so a word's fading tail or a dip
   between its syllables does not cut it in two.
4. Events closer than `min_gap_ms` merge; events shorter than `min_event_ms` are dropped (clicks).
5. Each event is centred in a clip of `clip_ms`, shifted to lie inside the sample. Clips never
   overlap: where centred clips would, they are moved apart while each still holds its whole
   event; events too close for that share one clip.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from backend.dataset.editing import EditError, window_rows

_FLOOR_DB_BELOW_PEAK = 100.0  # digital silence would be -inf dB; clamp it this far below the peak


@dataclass(frozen=True)
class EventParams:
    clip_ms: float = 1000.0
    frame_ms: float = 20.0
    threshold_db: float = 12.0
    hysteresis_db: float = 6.0
    noise_percentile: float = 10.0
    min_gap_ms: float = 300.0
    min_event_ms: float = 30.0


@dataclass
class Cut:
    """A clip [start, end) in rows around the event [event_start, event_end)."""

    start: int
    end: int
    event_start: int
    event_end: int
    energy_db: float = 0.0  # mean energy of the event's frames
    peak_db: float = 0.0


@dataclass(frozen=True)
class EventSplit:
    cuts: list[Cut]
    noise_floor_db: float
    threshold_db: float  # absolute: the floor plus the requested margin
    frame_rows: int


def _check(params: EventParams) -> None:
    if not 0 <= params.hysteresis_db < params.threshold_db:
        raise EditError("hysteresis_db must be at least 0 and smaller than threshold_db")
    if not 0 < params.noise_percentile < 100:
        raise EditError("noise_percentile must be between 0 and 100")
    for name in ("frame_ms", "threshold_db", "min_gap_ms", "min_event_ms"):
        value = getattr(params, name)
        if not math.isfinite(value) or value < 0:
            raise EditError(f"{name} must be a finite number, at least 0")


def frame_energy_db(values: np.ndarray, frame_rows: int, full_scale: float) -> np.ndarray:
    """Mean square per frame of `frame_rows` (the last frame may be shorter), in dB."""
    n = values.shape[0]
    centred = values.astype(np.float64) - np.median(values, axis=0)
    power = np.einsum("ij,ij->i", centred, centred)  # sum of squares over axes, without a copy
    starts = np.arange(0, n, frame_rows)
    sums = np.add.reduceat(power, starts)
    counts = np.diff(np.append(starts, n))
    energy = sums / counts / (full_scale * full_scale)
    peak = float(energy.max()) if energy.size else 0.0
    tiny = max(peak * 10 ** (-_FLOOR_DB_BELOW_PEAK / 10), 1e-30)
    return 10.0 * np.log10(np.maximum(energy, tiny))


def _active_runs(db: np.ndarray, on: float, off: float) -> list[list[int]]:
    runs: list[list[int]] = []
    active = False
    for i, level in enumerate(db.tolist()):  # a minute of audio is 3000 frames: a loop is fine
        if not active and level > on:
            active, start = True, i
        elif active and level < off:
            active = False
            runs.append([start, i])
    if active:
        runs.append([start, len(db)])
    return runs


def _merge_close(runs: list[list[int]], gap_frames: int) -> list[list[int]]:
    merged: list[list[int]] = []
    for run in runs:
        if merged and run[0] - merged[-1][1] < gap_frames:
            merged[-1][1] = run[1]
        else:
            merged.append(list(run))
    return merged


def _centred(a: int, b: int, size: int, lo: int, n: int) -> int:
    return max(lo, min(n - size, int(round((a + b - size) / 2))))


def _start_range(a: int, b: int, size: int, n: int) -> tuple[int, int]:
    """Where a clip may start: holding the whole event, or, for an event longer than the clip,
    lying wholly inside it."""
    if b - a <= size:
        return max(0, b - size), min(a, n - size)
    return a, min(b - size, n - size)


def place_clips(events: list[tuple[int, int]], size: int, n: int) -> list[Cut]:
    """Clips of `size` rows around each event, inside [0, n), never overlapping (see module doc).

    Forward: the earliest start each clip can have after the clips before it; an event with no
    room left merges with the one before. Backward: each clip as close to centred as the next
    clip and its own range allow."""
    placed: list[list[int]] = []  # [event start, event end, earliest clip start]
    for a, b in events:
        while True:
            lo, hi = _start_range(a, b, size, n)
            earliest = max(lo, placed[-1][2] + size if placed else 0)
            if earliest <= hi or not placed:
                placed.append([a, b, min(earliest, hi)])
                break
            a = placed.pop()[0]  # no room for a clip of its own: one clip for both
    cuts: list[Cut] = []
    next_start = n
    for a, b, earliest in reversed(placed):
        hi = _start_range(a, b, size, n)[1]
        start = min(max(_centred(a, b, size, 0, n), earliest), hi, next_start - size)
        cuts.append(Cut(start, start + size, a, b))
        next_start = start
    return cuts[::-1]


def detect_events(values: np.ndarray, interval_ms: float, params: EventParams, full_scale: float = 1.0) -> EventSplit:
    """The clips `split by events` would cut (see the module doc); rows, not ms."""
    _check(params)
    size = window_rows(interval_ms, params.clip_ms)
    n = values.shape[0]
    if size > n:
        raise EditError(f"the sample ({n * interval_ms:g} ms) is shorter than one clip ({params.clip_ms:g} ms)")
    frame = max(1, int(round(params.frame_ms / interval_ms)))
    db = frame_energy_db(values, frame, full_scale)
    floor = float(np.percentile(db, params.noise_percentile))
    on = floor + params.threshold_db
    runs = _active_runs(db, on, on - params.hysteresis_db)
    runs = _merge_close(runs, int(math.ceil(params.min_gap_ms / (frame * interval_ms))))
    min_frames = params.min_event_ms / (frame * interval_ms)
    runs = [r for r in runs if r[1] - r[0] >= min_frames]
    events = [(a * frame, min(n, b * frame)) for a, b in runs]
    cuts = place_clips(events, size, n)
    for cut in cuts:
        levels = db[cut.event_start // frame : max(cut.event_start // frame + 1, -(-cut.event_end // frame))]
        cut.energy_db = float(10 * np.log10(np.mean(10 ** (levels / 10))))
        cut.peak_db = float(levels.max())
    return EventSplit(cuts=cuts, noise_floor_db=floor, threshold_db=on, frame_rows=frame)
