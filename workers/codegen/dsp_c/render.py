"""C configuration of an impulse's DSP: const structs for the static tf_dsp.c library.

Everything numeric that depends on the parameters (Butterworth sections, FFT bins per feature,
frame count, twiddle table) is computed here, with the same Python functions the workers use,
so the C code only runs loops. Output is byte-stable for the same input.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from backend.blocks.processing import FLATTEN_STATS
from workers.codegen.c_literals import c_float
from workers.codegen.templating import load_template
from workers.dsp import spectral_analysis
from workers.dsp.registry import get_processing_block

_HERE = Path(__file__).resolve().parent
_STATIC_SOURCES = ("tf_dsp.h", "tf_dsp.c")


class DspCodegenError(ValueError):
    """The impulse's DSP cannot be generated as C (unsupported block version, bad axes...)."""


def static_sources() -> list[Path]:
    """The C files to copy next to the generated config (tf_dsp.h, tf_dsp.c)."""
    return [_HERE / name for name in _STATIC_SOURCES]


def _c_array(ctype: str, name: str, values: list[str], per_line: int = 5) -> str:
    rows = [", ".join(values[i : i + per_line]) for i in range(0, len(values), per_line)]
    body = ",\n".join(f"    {row}" for row in rows)
    return f"static const {ctype} {name}[{len(values)}] = {{\n{body}\n}};\n"


@dataclass
class _BlockPlan:
    index: int
    block_id: str
    version: int
    params: dict[str, Any]
    axes: list[int]
    features_count: int
    scratch_floats: int


@dataclass(frozen=True)
class DspPlan:
    """Sizes of an impulse's DSP, known before rendering."""

    features_count: int
    scratch_floats: int
    block_features: tuple[int, ...]


def _plan_blocks(
    blocks: list[dict[str, Any]], frequency_hz: float, window_len: int, axes_count: int
) -> list[_BlockPlan]:
    if not blocks:
        raise DspCodegenError("an impulse needs at least one processing block")
    if not 1 <= axes_count <= 255 or not 1 <= window_len <= 65535 or len(blocks) > 255:
        raise DspCodegenError("window, axes or block count out of range for the C library")
    context = {"frequency_hz": frequency_hz, "window_size_ms": window_len * 1000.0 / frequency_hz}
    plans = []
    for i, block in enumerate(blocks):
        impl = get_processing_block(block["id"], block.get("version"))
        if (impl.id, impl.version) not in _RENDERERS:
            raise DspCodegenError(f"block {impl.id} v{impl.version} has no C implementation")
        params = impl.spec.validate(block.get("params"), context, prefix=f"blocks[{i}].params.")
        axes = list(block["axes"])
        if not axes or any(not 0 <= a < axes_count for a in axes):
            raise DspCodegenError(f"blocks[{i}].axes must be indices below {axes_count}, got {axes}")
        names = impl.feature_names(params, [f"a{a}" for a in axes], frequency_hz=frequency_hz, window_len=window_len)
        scratch = window_len + params["fft_length"] if impl.id == "spectral-analysis" else 0
        plans.append(_BlockPlan(i, impl.id, impl.version, params, axes, len(names), scratch))
    return plans


def plan_dsp(blocks: list[dict[str, Any]], frequency_hz: float, window_len: int, axes_count: int) -> DspPlan:
    """Feature count and scratch size of the generated DSP (validates the blocks)."""
    plans = _plan_blocks(blocks, frequency_hz, window_len, axes_count)
    return DspPlan(
        sum(p.features_count for p in plans),
        max(p.scratch_floats for p in plans),
        tuple(p.features_count for p in plans),
    )


# ---------------------------------------------------------------------------------------------
# One renderer per (block id, version): returns (definitions, C type name of its config).


def _render_raw(plan: _BlockPlan, frequency_hz: float, window_len: int, table_n: int) -> str:
    return (
        f"static const tf_dsp_raw_config_t tf_dsp_block{plan.index}_config = {{\n"
        f"    .scale = {c_float(plan.params['scale_axes'])},\n}};\n"
    )


def _render_flatten(plan: _BlockPlan, frequency_hz: float, window_len: int, table_n: int) -> str:
    flags = " | ".join(f"TF_DSP_FLATTEN_{name.upper()}" for name in FLATTEN_STATS if plan.params[name])
    return (
        f"static const tf_dsp_flatten_config_t tf_dsp_block{plan.index}_config = {{\n"
        f"    .scale = {c_float(plan.params['scale_axes'])},\n"
        f"    .stats = {flags},\n}};\n"
    )


def _render_spectral(plan: _BlockPlan, frequency_hz: float, window_len: int, table_n: int) -> str:
    p, i = plan.params, plan.index
    out = []
    sos = spectral_analysis.design_sos(p, frequency_hz)
    if sos is not None:
        coeffs = [c_float(v) for row in sos for v in (row[0], row[1], row[2], row[4], row[5])]
        out.append(
            f"/* Butterworth {p['filter_type']}-pass, order {p['filter_order']}, "
            f"{p['filter_cutoff']:g} Hz: b0 b1 b2 a1 a2 per section */\n"
        )
        out.append(_c_array("float", f"tf_dsp_block{i}_sos", coeffs))
    bands = spectral_analysis.power_bands(p, frequency_hz)
    out.append(_c_array("uint16_t", f"tf_dsp_block{i}_bins", [f"{v}u" for band in bands for v in band], per_line=8))
    n_fft = p["fft_length"]
    frames = spectral_analysis.frame_starts(window_len, n_fft, p["overlap_frames"])
    hop = n_fft // 2 if p["overlap_frames"] else n_fft
    out.append(
        f"static const tf_dsp_spectral_config_t tf_dsp_block{i}_config = {{\n"
        f"    .scale = {c_float(p['scale_axes'])},\n"
        f"    .sos = {f'tf_dsp_block{i}_sos' if sos is not None else 'NULL'},\n"
        f"    .sections = {0 if sos is None else len(sos)}u,\n"
        f"    .fft_length = {n_fft}u,\n"
        f"    .hop = {hop}u,\n"
        f"    .frames = {len(frames)}u,\n"
        f"    .take_log = {1 if p['take_log'] else 0}u,\n"
        f"    .bands = {len(bands)}u,\n"
        f"    .band_bins = tf_dsp_block{i}_bins,\n"
        f"    .quarter_sin = tf_dsp_quarter_sin,\n"
        f"    .table_n = {table_n}u,\n}};\n"
    )
    return "".join(out)


_RENDERERS: dict[tuple[str, int], Callable[[_BlockPlan, float, int, int], str]] = {
    ("raw", 1): _render_raw,
    ("flatten", 1): _render_flatten,
    ("spectral-analysis", 1): _render_spectral,
}

_C_TYPES = {"raw": "TF_DSP_RAW", "flatten": "TF_DSP_FLATTEN", "spectral-analysis": "TF_DSP_SPECTRAL"}


def _quarter_sin_table(table_n: int) -> str:
    values = [c_float(math.sin(2.0 * math.pi * k / table_n)) for k in range(table_n // 4 + 1)]
    return f"/* sin(2 pi k / {table_n}), k = 0 .. {table_n // 4}: twiddles of every FFT length */\n" + _c_array(
        "float", "tf_dsp_quarter_sin", values
    )


def render_dsp_config(blocks: list[dict[str, Any]], frequency_hz: float, window_len: int, axes_count: int) -> str:
    """tf_dsp_config.c for an impulse: const configs, `tf_dsp_impulse` and `tf_dsp_run()`.

    `blocks`: [{"id", "version" (None = latest), "params", "axes": [indices into the input axes]}],
    in feature order. Params are validated (defaults filled) with the block's spec.
    """
    plans = _plan_blocks(blocks, frequency_hz, window_len, axes_count)
    spectral = [p for p in plans if p.block_id == "spectral-analysis"]
    table_n = max((p.params["fft_length"] for p in spectral), default=0)
    parts = [_quarter_sin_table(table_n)] if spectral else []
    rows = []
    for plan in plans:
        parts.append(_c_array("uint8_t", f"tf_dsp_block{plan.index}_axes", [f"{a}u" for a in plan.axes], per_line=16))
        parts.append(_RENDERERS[(plan.block_id, plan.version)](plan, frequency_hz, window_len, table_n))
        rows.append(
            f"    {{ {_C_TYPES[plan.block_id]}, {len(plan.axes)}u, tf_dsp_block{plan.index}_axes, "
            f"&tf_dsp_block{plan.index}_config, {plan.features_count}u }},"
        )
    features = sum(p.features_count for p in plans)
    scratch = max(p.scratch_floats for p in plans)
    return load_template(__package__, "tf_dsp_config.c.tmpl").substitute(
        window_len=window_len,
        axes_count=axes_count,
        frequency_hz=f"{frequency_hz:g}",
        features_count=features,
        scratch_floats=scratch,
        scratch_size=max(scratch, 1),
        blocks_count=len(plans),
        block_summary=", ".join(f"{p.block_id} v{p.version} axes {p.axes}" for p in plans),
        definitions="\n".join(parts),
        block_rows="\n".join(rows),
    )


def render_dsp_header(blocks: list[dict[str, Any]], frequency_hz: float, window_len: int, axes_count: int) -> str:
    """tf_dsp_config.h: compile-time sizes (feature count, input floats, scratch) for buffers."""
    plan = plan_dsp(blocks, frequency_hz, window_len, axes_count)
    return load_template(__package__, "tf_dsp_config.h.tmpl").substitute(
        window_len=window_len,
        axes_count=axes_count,
        input_floats=window_len * axes_count,
        features_count=plan.features_count,
        scratch_floats=plan.scratch_floats,
        frequency_c=c_float(frequency_hz),
    )
