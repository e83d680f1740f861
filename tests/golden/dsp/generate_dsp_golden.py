"""Golden data of the processing blocks: parameters + input windows + expected features.

Each case is stored as <name>.npz next to this script: `input` float32 [k, n, axes], `expected`
float32 [k, f] and `meta` (JSON: block id, version, params as given, frequency_hz, axes,
feature names). The tests compare the current implementation against these files.
motion_standard_tf_dsp_config.c is the C configuration generated for the standard motion impulse
(the code generator's output must stay byte-stable).

Regenerate (only after an intended change of a block's output, which also needs a new block
version if the block shipped):
    python tests/golden/dsp/generate_dsp_golden.py
or run the golden tests with TINYFORGE_REGEN_GOLDEN=1.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
if __name__ == "__main__":  # run as a script from anywhere in the repo
    sys.path.insert(0, str(HERE.parents[2]))

from backend.blocks.processing import window_length  # noqa: E402
from workers.dsp.registry import get_processing_block  # noqa: E402

MOTION = {"frequency_hz": 62.5, "window_size_ms": 2000, "axes": ["accX", "accY", "accZ"]}
STANDARD_SPECTRAL = {"filter_type": "low", "filter_cutoff": 8.0, "filter_order": 6, "fft_length": 64}

# name -> (block id, version, params, input context, signal kind)
CASES: dict[str, tuple[str, int, dict, dict, str]] = {
    "raw_scaled": ("raw", 1, {"scale_axes": 0.5}, MOTION, "motion"),
    "flatten_all": ("flatten", 1, {}, MOTION, "motion"),
    "flatten_some_scaled": (
        "flatten",
        1,
        {"scale_axes": 9.80665, "minimum": False, "stdev": False, "kurtosis": False},
        MOTION,
        "motion",
    ),
    "flatten_constant": ("flatten", 1, {}, MOTION, "constant"),
    "spectral_standard_motion": ("spectral-analysis", 1, STANDARD_SPECTRAL, MOTION, "motion"),
    "spectral_defaults": ("spectral-analysis", 1, {}, MOTION, "motion"),
    "spectral_high_linear_no_overlap": (
        "spectral-analysis",
        1,
        {
            "filter_type": "high",
            "filter_cutoff": 5.0,
            "filter_order": 4,
            "fft_length": 32,
            "take_log": False,
            "overlap_frames": False,
        },
        MOTION,
        "motion",
    ),
    "spectral_none_constant": ("spectral-analysis", 1, {"filter_type": "none", "fft_length": 32}, MOTION, "constant"),
    "spectral_edges": (
        "spectral-analysis",
        1,
        {"spectral_power": "edges", "fft_length": 64, "spectral_power_edges": [0.5, 1.0, 2.0, 5.0, 10.0]},
        MOTION,
        "motion",
    ),
    "spectral_100hz_single_axis": (
        "spectral-analysis",
        1,
        {"filter_cutoff": 20.0, "filter_order": 3, "fft_length": 128, "scale_axes": 2.0},
        {"frequency_hz": 100.0, "window_size_ms": 1500, "axes": ["gyrX"]},
        "motion",
    ),
    "spectral_v2_standard_motion": ("spectral-analysis", 2, STANDARD_SPECTRAL, MOTION, "motion"),
    "spectral_v2_edges_no_overlap": (
        "spectral-analysis",
        2,
        {
            "spectral_power": "edges",
            "fft_length": 32,
            "overlap_frames": False,
            "spectral_power_edges": [0.5, 2.0, 5.0, 10.0],
        },
        MOTION,
        "motion",
    ),
    "spectral_v2_constant": ("spectral-analysis", 2, {"filter_type": "none", "fft_length": 32}, MOTION, "constant"),
}


def make_input(kind: str, context: dict, windows: int = 4) -> np.ndarray:
    """Deterministic windows: sines + noise + an offset (motion) or constant per axis."""
    n = window_length(context["window_size_ms"], context["frequency_hz"])
    axes = len(context["axes"])
    rng = np.random.default_rng(20240601)
    if kind == "constant":
        return np.broadcast_to(np.array([0.0, 9.81, -3.5][:axes] or [1.0], np.float32), (windows, n, axes)).copy()
    t = np.arange(n) / context["frequency_hz"]
    freqs = rng.uniform(0.5, context["frequency_hz"] / 4, size=(windows, 1, axes))
    x = 3.0 * np.sin(2 * np.pi * freqs * t[None, :, None]) + rng.normal(0, 0.5, (windows, n, axes))
    return (x + rng.uniform(-10, 10, size=(windows, 1, axes))).astype(np.float32)


def compute(name: str) -> dict[str, np.ndarray]:
    block_id, version, raw_params, context, kind = CASES[name]
    block = get_processing_block(block_id, version)
    params = block.spec.validate(raw_params, context)
    windows = make_input(kind, context)
    n = windows.shape[1]
    expected = block.features(windows, params, context["frequency_hz"])
    names = block.feature_names(params, context["axes"], frequency_hz=context["frequency_hz"], window_len=n)
    meta = {"block": block_id, "version": version, "params": raw_params, "context": context, "feature_names": names}
    return {"input": windows, "expected": expected, "meta": np.array(json.dumps(meta, sort_keys=True))}


# The generated C configuration of the standard motion impulse (spectral analysis on 3 axes).
STANDARD_IMPULSE = {
    "blocks": [{"id": "spectral-analysis", "version": 1, "params": STANDARD_SPECTRAL, "axes": [0, 1, 2]}],
    "frequency_hz": 62.5,
    "window_len": 125,
    "axes_count": 3,
}
STANDARD_IMPULSE_C = HERE / "motion_standard_tf_dsp_config.c"


def render_standard_impulse() -> str:
    from workers.codegen.dsp_c import render_dsp_config

    return render_dsp_config(**STANDARD_IMPULSE)


def path_of(name: str) -> Path:
    return HERE / f"{name}.npz"


def regenerate() -> list[Path]:
    written = []
    for name in CASES:
        np.savez_compressed(path_of(name), **compute(name))
        written.append(path_of(name))
    STANDARD_IMPULSE_C.write_text(render_standard_impulse())
    written.append(STANDARD_IMPULSE_C)
    return written


if __name__ == "__main__":
    for p in regenerate():
        print(f"wrote {p.relative_to(HERE.parents[2])}")
