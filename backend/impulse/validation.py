"""Checking an impulse configuration against the block specs (pure Python, no numpy).

`validate_config(raw, data)` returns the normalised configuration (defaults filled, versions
pinned) or raises ImpulseConfigError whose message starts with the field at fault, e.g.
`processing[0].params.filter_cutoff: must be below Nyquist (31.25 Hz ...)`. The format is
documented in docs/impulse-json.md.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from backend.blocks.audio import AUDIO_SPECS, audio_coefficients, audio_feature_count
from backend.blocks.learning import LEARNING_BLOCKS, proposed_params
from backend.blocks.params import BlockParamError
from backend.blocks.processing import (
    FLATTEN_STATS,
    UnknownProcessingBlockError,
    get_processing_spec,
    spectral_bin_range,
    window_length,
)
from backend.core.errors import InvalidInput

BLOCK_ID = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
NEURAL_BLOCKS = ("keras-classifier", "keras-regression")
AUDIO_BLOCK_IDS = frozenset(s.id for s in AUDIO_SPECS)
MAX_WINDOW_MS = 3_600_000
MAX_FREQUENCY_HZ = 200_000


class ImpulseConfigError(InvalidInput):
    """A configuration the pipeline cannot run; the message names the field."""

    def __init__(self, field_name: str, message: str):
        super().__init__(f"{field_name}: {message}")
        self.field = field_name


@dataclass
class DataFacts:
    """What the project's data says, for checks that depend on it (None: no data yet)."""

    axes: set[str] = field(default_factory=set)
    longest_ms: float | None = None


def _obj(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ImpulseConfigError(where, "must be an object")
    return value


def _no_unknown(value: dict[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(value) - allowed)
    if unknown:
        prefix = f"{where}." if where else ""
        raise ImpulseConfigError(
            f"{prefix}{unknown[0]}", f"is not a setting here (allowed: {', '.join(sorted(allowed))})"
        )


def _number(value: Any, where: str, lo: float, hi: float, *, above: bool = True) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ImpulseConfigError(where, f"must be a number, got {value!r}")
    if value <= lo if above else value < lo:
        raise ImpulseConfigError(where, f"must be {'above' if above else 'at least'} {lo:g}, got {value:g}")
    if value > hi:
        raise ImpulseConfigError(where, f"must be at most {hi:g}, got {value:g}")
    return float(value)


def _axes(value: Any, where: str, allowed: list[str] | None = None) -> list[str]:
    if not isinstance(value, list) or not value:
        raise ImpulseConfigError(where, "select at least one axis")
    out: list[str] = []
    for i, axis in enumerate(value):
        if not isinstance(axis, str) or not axis.strip():
            raise ImpulseConfigError(f"{where}[{i}]", "must be an axis name")
        if axis in out:
            raise ImpulseConfigError(f"{where}[{i}]", f"axis {axis!r} is listed twice")
        if allowed is not None and axis not in allowed:
            raise ImpulseConfigError(
                f"{where}[{i}]", f"unknown axis {axis!r}: the input block has {', '.join(allowed)}"
            )
        out.append(axis)
    return out


def _input(raw: Any, data: DataFacts | None) -> dict[str, Any]:
    inp = _obj(raw, "input")
    _no_unknown(inp, {"type", "axes", "window_size_ms", "window_increase_ms", "frequency_hz", "zero_pad"}, "input")
    if inp.get("type", "time-series") != "time-series":
        raise ImpulseConfigError("input.type", "must be time-series (the only input block so far)")
    for key in ("axes", "window_size_ms", "window_increase_ms", "frequency_hz"):
        if key not in inp:
            raise ImpulseConfigError(f"input.{key}", "is required")
    axes = _axes(inp["axes"], "input.axes")
    size = _number(inp["window_size_ms"], "input.window_size_ms", 0, MAX_WINDOW_MS)
    freq = _number(inp["frequency_hz"], "input.frequency_hz", 0, MAX_FREQUENCY_HZ)
    step = _number(inp["window_increase_ms"], "input.window_increase_ms", 0, MAX_WINDOW_MS)
    zero_pad = inp.get("zero_pad", True)
    if not isinstance(zero_pad, bool):
        raise ImpulseConfigError("input.zero_pad", "must be true or false")
    if size * freq / 1000.0 < 2:
        raise ImpulseConfigError("input.window_size_ms", f"{size:g} ms holds fewer than 2 samples at {freq:g} Hz")
    if step * freq / 1000.0 < 1 - 1e-9:
        raise ImpulseConfigError("input.window_increase_ms", f"{step:g} ms is shorter than one sample at {freq:g} Hz")
    if data is not None:
        if data.axes:
            for i, axis in enumerate(axes):
                if axis not in data.axes:
                    raise ImpulseConfigError(
                        f"input.axes[{i}]",
                        f"unknown axis {axis!r}: no sample has it (the data has {', '.join(sorted(data.axes))})",
                    )
        if data.longest_ms is not None and size > data.longest_ms + 1e-6:
            raise ImpulseConfigError(
                "input.window_size_ms",
                f"{size:g} ms is longer than every sample (the longest is {data.longest_ms:g} ms)",
            )
    return {
        "type": "time-series",
        "axes": axes,
        "window_size_ms": size,
        "window_increase_ms": step,
        "frequency_hz": freq,
        "zero_pad": zero_pad,
    }


def feature_count(
    block_type: str, params: dict[str, Any], n_axes: int, window_len: int, frequency_hz: float, version: int = 1
) -> int:
    """How many features a processing block outputs (the workers' implementations agree)."""
    if block_type in AUDIO_BLOCK_IDS:
        return n_axes * audio_feature_count(block_type, params, window_len, frequency_hz)
    if block_type == "raw":
        return window_len * n_axes
    if block_type == "flatten":
        return sum(bool(params[s]) for s in FLATTEN_STATS) * n_axes
    if block_type == "spectral-analysis":
        if params["spectral_power"] == "edges":
            bands = len(params["spectral_power_edges"]) - 1
        else:
            first, last = spectral_bin_range(
                params["filter_type"], params["filter_cutoff"], params["fft_length"], frequency_hz
            )
            bands = last - first
        return n_axes * (3 + bands + (2 if version >= 2 else 0))  # v2 adds spectral skewness, kurtosis
    raise UnknownProcessingBlockError(f"no feature count for {block_type}")


def _block_id(block: dict[str, Any], where: str, seen: set[str]) -> str:
    block_id = block.get("id", block.get("type"))
    if not isinstance(block_id, str) or not BLOCK_ID.match(block_id):
        raise ImpulseConfigError(f"{where}.id", "must be 1-40 letters, digits, '-' or '_'")
    if block_id in seen:
        raise ImpulseConfigError(f"{where}.id", f"another block already has the id {block_id!r}")
    seen.add(block_id)
    return block_id


def _processing(raw: Any, inp: dict[str, Any], seen: set[str]) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not raw:
        raise ImpulseConfigError("processing", "add at least one processing block")
    out = []
    n = window_length(inp["window_size_ms"], inp["frequency_hz"])
    for i, block in enumerate(raw):
        where = f"processing[{i}]"
        block = _obj(block, where)
        # "features" is the count we add; a normalised config sent back is accepted as is.
        _no_unknown(block, {"id", "type", "version", "params", "axes", "features"}, where)
        try:
            spec = get_processing_spec(block.get("type"), block.get("version"))
        except UnknownProcessingBlockError as e:
            raise ImpulseConfigError(f"{where}.type", str(e)) from None
        block_id = _block_id(block, where, seen)
        axes = _axes(block.get("axes", inp["axes"]), f"{where}.axes", inp["axes"])
        if spec.id in AUDIO_BLOCK_IDS and len(axes) != 1:
            raise ImpulseConfigError(
                f"{where}.axes", f"{spec.id} processes one axis; choose one of {', '.join(axes)} (one block per axis)"
            )
        context = {"frequency_hz": inp["frequency_hz"], "window_size_ms": inp["window_size_ms"], "axes": axes}
        params = _params(spec, block.get("params"), context, where)
        out.append(
            {
                "id": block_id,
                "type": spec.id,
                "version": spec.version,
                "params": params,
                "axes": axes,
                "features": feature_count(spec.id, params, len(axes), n, inp["frequency_hz"], spec.version),
            }
        )
    return out


def _params(spec, raw: Any, context: dict[str, Any], where: str) -> dict[str, Any]:
    if raw is not None and not isinstance(raw, dict):
        raise ImpulseConfigError(f"{where}.params", "must be an object")
    try:
        return spec.validate(raw, context, prefix=f"{where}.params.")
    except BlockParamError as e:
        raise ImpulseConfigError(e.field, e.message) from None


def learning_context(feeding: list[dict[str, Any]]) -> dict[str, Any]:
    """What a learning block receives from the (normalised) processing blocks feeding it: the
    feature count, the kind of input, and the columns of a framed input (see learning.py)."""
    context: dict[str, Any] = {
        "features": sum(p["features"] for p in feeding),
        "input": "raw" if all(p["type"] == "raw" for p in feeding) else "features",
    }
    if context["input"] == "raw":
        context["axes"] = len(feeding[0]["axes"]) if len(feeding) == 1 else None
    elif len(feeding) == 1 and feeding[0]["type"] in AUDIO_BLOCK_IDS:
        # frames x coefficients, flattened frame after frame: conv layers see the frames
        context.update(input="frames", columns=audio_coefficients(feeding[0]["type"], feeding[0]["params"]))
    return context


def _learning(raw: Any, processing: list[dict[str, Any]], seen: set[str]) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not raw:
        raise ImpulseConfigError("learning", "add at least one learning block")
    by_id = {p["id"]: p for p in processing}
    out, neural = [], None
    for i, block in enumerate(raw):
        where = f"learning[{i}]"
        block = _obj(block, where)
        _no_unknown(block, {"id", "type", "version", "params", "inputs"}, where)
        spec = LEARNING_BLOCKS.get(block.get("type"))
        if spec is None:
            raise ImpulseConfigError(
                f"{where}.type",
                f"unknown learning block {block.get('type')!r} (known: {', '.join(sorted(LEARNING_BLOCKS))})",
            )
        if block.get("version", spec.version) != spec.version:
            raise ImpulseConfigError(f"{where}.version", f"{spec.id} has version {spec.version} only")
        if spec.id in NEURAL_BLOCKS:
            if neural is not None:
                raise ImpulseConfigError(f"{where}.type", f"an impulse has one neural network; {neural} is already one")
            neural = where
        block_id = _block_id(block, where, seen)
        inputs = block.get("inputs", [p["id"] for p in processing])
        if not isinstance(inputs, list) or not inputs:
            raise ImpulseConfigError(f"{where}.inputs", "list the processing blocks that feed it")
        for j, name in enumerate(inputs):
            if name not in by_id:
                raise ImpulseConfigError(
                    f"{where}.inputs[{j}]", f"no processing block has the id {name!r} (ids: {', '.join(by_id)})"
                )
            if inputs.index(name) != j:
                raise ImpulseConfigError(f"{where}.inputs[{j}]", f"{name!r} is listed twice")
        feeding = [p for p in processing if p["id"] in inputs]  # impulse order, as the features are stored
        context = learning_context(feeding)
        raw_params = block.get("params")
        if spec.id in NEURAL_BLOCKS and (
            raw_params is None or (isinstance(raw_params, dict) and "architecture" not in raw_params)
        ):
            # no network given: what suits the processing block (conv nets and augmentation for audio)
            raw_params = {**proposed_params([p["type"] for p in feeding]), **(raw_params or {})}
        params = _params(spec, raw_params, context, where)
        out.append(
            {
                "id": block_id,
                "type": spec.id,
                "version": spec.version,
                "params": params,
                "inputs": [p["id"] for p in feeding],
            }
        )
    return out


def validate_config(raw: Any, data: DataFacts | None = None) -> dict[str, Any]:
    """The normalised impulse configuration, or ImpulseConfigError naming the field at fault."""
    cfg = _obj(raw, "impulse")
    _no_unknown(cfg, {"input", "processing", "learning"}, "")
    if "input" not in cfg:
        raise ImpulseConfigError("input", "is required")
    inp = _input(cfg["input"], data)
    seen: set[str] = set()
    processing = _processing(cfg.get("processing"), inp, seen)
    learning = _learning(cfg.get("learning"), processing, seen)
    return {"input": inp, "processing": processing, "learning": learning}
