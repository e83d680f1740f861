"""C configuration of an impulse's DSP: const structs for the static tf_dsp.c library.

Everything numeric that depends on the parameters (Butterworth sections, FFT bins per feature,
frame geometry, twiddle table, the non-zero band of each mel filter, the DCT matrix) is computed
here, with the same Python functions the workers use, so the C code only runs loops. Output is
byte-stable for the same input.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from backend.blocks.audio import frame_geometry, mel_filter_weights, mel_points
from backend.blocks.processing import FLATTEN_STATS
from workers.codegen.c_literals import c_float
from workers.codegen.templating import load_template
from workers.dsp import spectral_analysis
from workers.dsp.mfe import FULL_SCALE as MFE_FULL_SCALE
from workers.dsp.mfe import PRE_COF as MFE_PRE_COF
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
    frame_stride: int = 0  # audio blocks: samples between frame starts
    history_floats: int = 0  # MFCC with a normalization window: frames kept between calls


@dataclass(frozen=True)
class DspPlan:
    """Sizes of an impulse's DSP, known before rendering."""

    features_count: int
    scratch_floats: int
    block_features: tuple[int, ...]
    frame_stride: int = 0  # lcm of the frame-based blocks' strides in samples, 0 without any
    history_floats: int = 0  # persistent floats (un-normalised MFCC frames)


_AUDIO = ("mfcc", "mfe", "spectrogram")


def _audio_sizes(block_id: str, params: dict[str, Any], frequency_hz: float, window_len: int) -> tuple[int, int, int]:
    """(scratch floats, frame stride, history floats) of an audio block; mirrors tf_dsp.c."""
    _, stride, frames = frame_geometry(window_len, frequency_hz, params["frame_length"], params["frame_stride"])
    n_fft = params["fft_length"]
    scratch = n_fft if block_id == "spectrogram" else n_fft + n_fft // 2 + 1 + params["num_filters"]
    history = 0
    if block_id == "mfcc" and params["win_size"] > 0:
        history = frames * params["num_cepstral"]
        scratch = max(scratch, frames + 2, params["num_cepstral"])  # normalize_window: a column at least
    return scratch, stride, history


def _scratch(impl_id: str, version: int, params: dict[str, Any], window_len: int) -> int:
    if impl_id != "spectral-analysis":
        return 0
    n_fft = params["fft_length"]
    return window_len + n_fft + (2 * (n_fft // 2 + 1) if version >= 2 else 0)


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
        if impl.id in _AUDIO:
            if len(axes) != 1:
                raise DspCodegenError(f"blocks[{i}]: {impl.id} processes one axis, got {len(axes)}")
            scratch, stride, history = _audio_sizes(impl.id, params, frequency_hz, window_len)
            plans.append(_BlockPlan(i, impl.id, impl.version, params, axes, len(names), scratch, stride, history))
        else:
            scratch = _scratch(impl.id, impl.version, params, window_len)
            plans.append(_BlockPlan(i, impl.id, impl.version, params, axes, len(names), scratch))
    return plans


def plan_dsp(blocks: list[dict[str, Any]], frequency_hz: float, window_len: int, axes_count: int) -> DspPlan:
    """Feature count and scratch size of the generated DSP (validates the blocks)."""
    plans = _plan_blocks(blocks, frequency_hz, window_len, axes_count)
    strides = [p.frame_stride for p in plans if p.frame_stride]
    return DspPlan(
        sum(p.features_count for p in plans),
        max(p.scratch_floats for p in plans),
        tuple(p.features_count for p in plans),
        math.lcm(*strides) if strides else 0,
        sum(p.history_floats for p in plans),
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
        f"    .table_n = {table_n}u,\n" + ("    .max_hold = 1u,\n" if plan.version >= 2 else "") + "};\n"
    )
    return "".join(out)


def _filterbank(params: dict[str, Any], frequency_hz: float) -> tuple[list[tuple[int, int]], list[float]]:
    """Per mel filter (first bin, bin count) of its non-zero band, and those weights in order."""
    _, bins = mel_points(
        params["num_filters"], params["fft_length"], frequency_hz, params["low_frequency"], params["high_frequency"]
    )
    last_bin = params["fft_length"] // 2
    bands, weights = [], []
    for i in range(params["num_filters"]):
        w = {b: v for b, v in mel_filter_weights(bins[i], bins[i + 1], bins[i + 2]).items() if b <= last_bin}
        first = min(w) if w else 0
        count = max(w) - first + 1 if w else 0
        bands.append((first, count))
        weights += [w.get(first + j, 0.0) for j in range(count)]
    return bands, weights


def _dct_rows(filters: int, cepstral: int) -> list[float]:
    """Rows 1 .. cepstral - 1 of the orthonormal DCT-II over `filters` values (row 0 is replaced)."""
    scale = math.sqrt(2.0 / filters)
    return [
        scale * math.cos(math.pi * k * (2 * m + 1) / (2 * filters)) for k in range(1, cepstral) for m in range(filters)
    ]


def _render_audio(plan: _BlockPlan, frequency_hz: float, window_len: int, table_n: int) -> str:
    p, i, block = plan.params, plan.index, plan.block_id
    size, stride, frames = frame_geometry(window_len, frequency_hz, p["frame_length"], p["frame_stride"])
    out, fields = [], []
    if block == "mfe":
        scale, cof, shift = 1.0 / MFE_FULL_SCALE, MFE_PRE_COF, 1
    elif block == "mfcc":
        scale, cof, shift = 1.0, p["pre_cof"], p["pre_shift"]
    else:
        scale, cof, shift = 1.0, 0.0, 0
    coefficients = {"mfcc": p.get("num_cepstral"), "mfe": p.get("num_filters")}.get(block, p["fft_length"] // 2 + 1)
    if block != "spectrogram":
        bands, weights = _filterbank(p, frequency_hz)
        out.append("/* mel filters: first FFT bin and bin count of each non-zero band, then their weights */\n")
        out.append(
            _c_array("uint16_t", f"tf_dsp_block{i}_filter_bins", [f"{v}u" for b in bands for v in b], per_line=8)
        )
        out.append(_c_array("float", f"tf_dsp_block{i}_filter_weights", [c_float(w) for w in weights]))
        fields += [
            f"    .filters = {p['num_filters']}u,\n",
            f"    .filter_bins = tf_dsp_block{i}_filter_bins,\n",
            f"    .filter_weights = tf_dsp_block{i}_filter_weights,\n",
        ]
    half = p["fft_length"] // 2
    bits = half.bit_length() - 1
    reversed_order = [int(format(k, f"0{bits}b")[::-1], 2) if bits else 0 for k in range(half)]
    out.append(f"/* FFT input order: complex point k of {half} goes to bit-reversed k */\n")
    out.append(_c_array("uint16_t", f"tf_dsp_block{i}_bit_reverse", [f"{v}u" for v in reversed_order], per_line=12))
    if block == "mfcc":
        if p["num_cepstral"] > 1:
            out.append(
                f"/* DCT-II (orthonormal) rows 1 .. {p['num_cepstral'] - 1} over {p['num_filters']} filters */\n"
            )
            out.append(
                _c_array(
                    "float",
                    f"tf_dsp_block{i}_dct",
                    [c_float(v) for v in _dct_rows(p["num_filters"], p["num_cepstral"])],
                )
            )
            fields.append(f"    .dct = tf_dsp_block{i}_dct,\n")
        if p["win_size"] > 0:
            out.append("/* frames before normalization, kept between calls (tf_dsp_run_shifted) */\n")
            out.append(f"static float tf_dsp_block{i}_history[{frames * p['num_cepstral']}];\n")
            fields += [f"    .norm_window = {p['win_size']}u,\n", f"    .history = tf_dsp_block{i}_history,\n"]
    if block != "mfcc":
        fields.append(f"    .noise_floor_db = {c_float(p['noise_floor_db'])},\n")
    out.append(
        f"static const tf_dsp_audio_config_t tf_dsp_block{i}_config = {{\n"
        f"    .frame_length = {size}u,\n"
        f"    .frame_stride = {stride}u,\n"
        f"    .frames = {frames}u,\n"
        f"    .fft_length = {p['fft_length']}u,\n"
        f"    .bit_reverse = tf_dsp_block{i}_bit_reverse,\n"
        f"    .input_scale = {c_float(scale)},\n"
        f"    .pre_cof = {c_float(cof)},\n"
        f"    .pre_shift = {shift % window_len}u,\n"
        f"    .coefficients = {coefficients}u,\n" + "".join(fields) + f"    .quarter_sin = tf_dsp_quarter_sin,\n"
        f"    .table_n = {table_n}u,\n}};\n"
    )
    return "".join(out)


_RENDERERS: dict[tuple[str, int], Callable[[_BlockPlan, float, int, int], str]] = {
    ("raw", 1): _render_raw,
    ("flatten", 1): _render_flatten,
    ("spectral-analysis", 1): _render_spectral,
    ("spectral-analysis", 2): _render_spectral,
    ("mfcc", 1): _render_audio,
    ("mfe", 1): _render_audio,
    ("spectrogram", 1): _render_audio,
}

_C_TYPES = {
    "raw": "TF_DSP_RAW",
    "flatten": "TF_DSP_FLATTEN",
    "spectral-analysis": "TF_DSP_SPECTRAL",
    "mfcc": "TF_DSP_MFCC",
    "mfe": "TF_DSP_MFE",
    "spectrogram": "TF_DSP_SPECTROGRAM",
}
_RUNNERS = {
    "raw": "tf_dsp_block_raw",
    "flatten": "tf_dsp_block_flatten",
    "spectral-analysis": "tf_dsp_block_spectral",
    "mfcc": "tf_dsp_block_audio",
    "mfe": "tf_dsp_block_audio",
    "spectrogram": "tf_dsp_block_audio",
}
_FFT_BLOCKS = ("spectral-analysis",) + _AUDIO


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
    spectral = [p for p in plans if p.block_id in _FFT_BLOCKS]
    table_n = max((p.params["fft_length"] for p in spectral), default=0)
    parts = [_quarter_sin_table(table_n)] if spectral else []
    rows = []
    for plan in plans:
        parts.append(_c_array("uint8_t", f"tf_dsp_block{plan.index}_axes", [f"{a}u" for a in plan.axes], per_line=16))
        parts.append(_RENDERERS[(plan.block_id, plan.version)](plan, frequency_hz, window_len, table_n))
        rows.append(
            f"    {{ {_C_TYPES[plan.block_id]}, {len(plan.axes)}u, tf_dsp_block{plan.index}_axes, "
            f"&tf_dsp_block{plan.index}_config, {plan.features_count}u, {_RUNNERS[plan.block_id]} }},"
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
        frame_stride=plan.frame_stride,
    )
