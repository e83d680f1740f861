"""Search spaces of the tuner: which impulse configurations a run tries, by data type.

Pure Python (no numpy). A space is a grid of processing variants x network variants; a run
takes `budget.candidates` of them in a seeded shuffled order, keeping only configurations that
`validate_config` accepts for the project's data (e.g. an FFT longer than the window is skipped).

motion (any time series): spectral analysis (filter none / low-pass of order 2 or 6, FFT 16 / 32
/ 64, overlapping FFT frames or not, the impulse's window and half of it) x dense nets of 1-2 layers,
plus flatten (per-axis statistics) x two small dense nets, plus raw windows x a small conv1d net.

The order a run takes them in spreads the budget over the families (processing blocks x window):
one of each in turn, so 16 candidates try flatten, raw and spectral at both windows rather than
mostly spectral variants (which are most of the grid).
audio (one axis at 8 kHz or more): MFE and MFCC variants x the keyword-spotting conv1d net
(reshape to (frames, coefficients) -> conv1d -> conv1d -> flatten, as proposed_params() of
backend/blocks/learning.py proposes it, with its time shift and SpecAugment masks) in two sizes,
plus small dense nets.
"""

from __future__ import annotations

import copy
import itertools
import random
from typing import Any

from backend.blocks.learning import proposed_params
from backend.core.errors import InvalidInput
from backend.impulse.validation import DataFacts, ImpulseConfigError, validate_config

PRESETS = ("motion", "audio")
DEFAULT_FFT = (16, 32, 64)
DEFAULT_FILTERS = (
    {"type": "none"},
    {"type": "low", "cutoff": 8.0, "order": 2},
    {"type": "low", "cutoff": 8.0, "order": 6},
)
DEFAULT_DENSE = ((10,), (20,), (40,), (20, 10), (40, 20))
FLATTEN_DENSE = ((10,), (20, 10))
CONV1D = (
    {"type": "conv1d", "filters": 8, "kernel_size": 3, "pool": 4},
    {"type": "conv1d", "filters": 8, "kernel_size": 3, "pool": 4},
    {"type": "flatten"},
)
AUDIO_DSP = (
    {"type": "mfe", "params": {"frame_length": 0.02, "frame_stride": 0.02, "num_filters": 32}},
    {"type": "mfe", "params": {"frame_length": 0.032, "frame_stride": 0.032, "num_filters": 20}},
    {"type": "mfcc", "params": {"frame_length": 0.02, "frame_stride": 0.02, "num_cepstral": 13}},
    {"type": "mfcc", "params": {"frame_length": 0.032, "frame_stride": 0.032, "num_cepstral": 10}},
)
AUDIO_DENSE = ((16,), (32, 16))
# conv1d filters per layer of the keyword-spotting net: the preset's size and half of it
AUDIO_CONV1D = ((8, 16), (4, 8))


class SearchSpaceError(InvalidInput):
    """A search space or constraint the tuner cannot use; the message names the field."""

    def __init__(self, field_name: str, message: str):
        super().__init__(f"{field_name}: {message}")


def detect_preset(input_block: dict[str, Any]) -> str:
    """audio for one axis sampled at 8 kHz or more, motion otherwise."""
    return "audio" if len(input_block["axes"]) == 1 and input_block["frequency_hz"] >= 8000 else "motion"


def _dense(units: tuple[int, ...] | list[int]) -> list[dict[str, Any]]:
    return [{"type": "dense", "units": int(u)} for u in units]


def _learning(architecture: list[dict[str, Any]], epochs: int) -> list[dict[str, Any]]:
    return [
        {
            "id": "classifier",
            "type": "keras-classifier",
            "inputs": ["dsp"],
            "params": {"architecture": architecture, "epochs": epochs},
        }
    ]


def _motion_windows(inp: dict[str, Any], space: dict[str, Any]) -> list[float]:
    """The window sizes asked, else the impulse's and half of it (a shorter window costs less DSP)."""
    if space.get("window_sizes_ms"):
        return list(space["window_sizes_ms"])
    return [inp["window_size_ms"], round(inp["window_size_ms"] / 2, 3)]


def _spectral(flt: dict[str, Any], fft: int, overlap: bool) -> tuple[str, dict[str, Any]]:
    params: dict[str, Any] = {"filter_type": flt["type"], "fft_length": fft, "overlap_frames": overlap}
    name = "no filter"
    if flt["type"] != "none":
        cutoff, order = float(flt.get("cutoff", 3.0)), int(flt.get("order", 6))
        params.update(filter_cutoff=cutoff, filter_order=order)
        name = f"{flt['type']}-pass {cutoff:g} Hz order {order}"
    return f"{name}, FFT {fft}{'' if overlap else ' no overlap'}", params


def _motion_grid(inp: dict[str, Any], space: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    out = []
    windows = _motion_windows(inp, space)
    grid = itertools.product(
        windows,
        space.get("filters") or DEFAULT_FILTERS,
        space.get("fft_lengths") or DEFAULT_FFT,
        space.get("overlap_frames") or (True, False),
        space.get("dense_units") or DEFAULT_DENSE,
    )
    for window, flt, fft, overlap, units in grid:
        name, params = _spectral(flt, fft, overlap)
        cfg = {
            "input": {**inp, "window_size_ms": window},
            "processing": [{"id": "dsp", "type": "spectral-analysis", "params": params}],
            "learning": _learning(_dense(units), 1),
        }
        out.append((f"spectral {name}, {window:g} ms; dense {'-'.join(map(str, units))}", cfg))
    if space.get("flatten", True):  # per-axis statistics: the cheapest DSP, enough for many gestures
        for window, units in itertools.product(windows, FLATTEN_DENSE):
            cfg = {
                "input": {**inp, "window_size_ms": window},
                "processing": [{"id": "dsp", "type": "flatten", "params": {}}],
                "learning": _learning(_dense(units), 1),
            }
            out.append((f"flatten {window:g} ms; dense {'-'.join(map(str, units))}", cfg))
    if space.get("conv1d", True):
        for window in windows:
            cfg = {
                "input": {**inp, "window_size_ms": window},
                "processing": [{"id": "dsp", "type": "raw", "params": {}}],
                "learning": _learning(copy.deepcopy(list(CONV1D)), 1),
            }
            out.append((f"raw {window:g} ms; conv1d 8-8", cfg))
    return out


def _kws_conv1d(dsp_type: str, filters: tuple[int, int]) -> dict[str, Any]:
    """The learning params proposed for `dsp_type` (reshape -> conv1d x 2 -> flatten, augmentation)
    with the conv layers' filters set to `filters`."""
    params = proposed_params([dsp_type])
    convs = [layer for layer in params["architecture"] if layer["type"] == "conv1d"]
    for layer, n in zip(convs, filters, strict=True):
        layer["filters"] = int(n)
    return params


def _audio_grid(inp: dict[str, Any], space: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for dsp in AUDIO_DSP:
        desc = ", ".join(f"{k} {v:g}" for k, v in dsp["params"].items())
        processing = [{"id": "dsp", "type": dsp["type"], "params": dict(dsp["params"])}]
        if space.get("conv1d", True):
            for filters in AUDIO_CONV1D:
                learning = _learning([], 1)
                learning[0]["params"] = {**_kws_conv1d(dsp["type"], filters), "epochs": 1}
                cfg = {"input": inp, "processing": copy.deepcopy(processing), "learning": learning}
                out.append((f"{dsp['type']} {desc}; conv1d {'-'.join(map(str, filters))}", cfg))
        for units in space.get("dense_units") or AUDIO_DENSE:
            cfg = {"input": inp, "processing": copy.deepcopy(processing), "learning": _learning(_dense(units), 1)}
            out.append((f"{dsp['type']} {desc}; dense {'-'.join(map(str, units))}", cfg))
    return out


def _family(cfg: dict[str, Any]) -> tuple:
    """What a configuration's cost mostly depends on: its processing blocks and its window."""
    return tuple(b["type"] for b in cfg["processing"]), cfg["input"]["window_size_ms"]


def _spread(grid: list[tuple[str, dict[str, Any]]], rng: random.Random) -> list[tuple[str, dict[str, Any]]]:
    """The grid in a seeded order that takes one configuration of each family in turn (families in
    random order, random within a family), so that a small budget tries every kind of processing and
    window (cheap and dear) instead of the families with the most variants (spectral's grid)."""
    families: dict[tuple, list[tuple[str, dict[str, Any]]]] = {}
    for item in grid:
        families.setdefault(_family(item[1]), []).append(item)
    groups = list(families.values())
    for group in groups:
        rng.shuffle(group)
    rng.shuffle(groups)
    return [group[i] for i in range(max(map(len, groups), default=0)) for group in groups if i < len(group)]


def candidates(
    preset: str, inp: dict[str, Any], space: dict[str, Any], facts: DataFacts, count: int, seed: int
) -> list[tuple[str, dict[str, Any]]]:
    """Up to `count` (label, validated impulse configuration) pairs of the space, seeded order."""
    grid = _motion_grid(inp, space) if preset == "motion" else _audio_grid(inp, space)
    out: list[tuple[str, dict[str, Any]]] = []
    first_error: str | None = None
    for label, cfg in _spread(grid, random.Random(seed)):
        try:
            out.append((label, validate_config(cfg, facts)))
        except ImpulseConfigError as e:
            first_error = first_error or f"{label}: {e}"
            continue
        if len(out) == count:
            break
    if not out:
        raise SearchSpaceError("space", f"no configuration of this space can run on the project's data ({first_error})")
    return out
