"""The C DSP library computes the same features as the Python blocks (real gcc, no mocks).

Each impulse below is rendered with render_dsp_config, compiled with a small stdin/stdout host
program and fed a few hundred random and edge-case windows; every feature must match the Python
output within 1e-4 relative or 1e-5 absolute.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from backend.blocks.processing import window_length
from workers.codegen.dsp_c import plan_dsp, render_dsp_config, static_sources
from workers.dsp.registry import get_processing_block

GCC = shutil.which("gcc")
pytestmark = pytest.mark.skipif(GCC is None, reason="gcc is not installed")
HOST_FLAGS = ["-std=c99", "-Wall", "-Wextra", "-Werror", "-Wdouble-promotion", "-O2"]

HOST_MAIN = r"""
#include <stdio.h>
#include "tf_dsp.h"

static float input[65536];
static float features[65536];

int main(void)
{
    const size_t n_in = (size_t)tf_dsp_impulse.window_len * tf_dsp_impulse.axes_count;
    while (fread(input, sizeof(float), n_in, stdin) == n_in) {
        if (tf_dsp_run(input, features) != TF_DSP_OK) {
            return 2;
        }
        fwrite(features, sizeof(float), tf_dsp_impulse.features_count, stdout);
    }
    return 0;
}
"""

SPECTRAL_STANDARD = {"filter_type": "low", "filter_cutoff": 8.0, "filter_order": 6, "fft_length": 64}

# name -> (frequency_hz, window_size_ms, axes_count, blocks)
IMPULSES = {
    "motion_standard": (
        62.5,
        2000,
        3,
        [
            {"id": "spectral-analysis", "version": 1, "params": SPECTRAL_STANDARD, "axes": [0, 1, 2]},
            {"id": "flatten", "version": 1, "params": {}, "axes": [0, 1, 2]},
            {"id": "raw", "version": 1, "params": {"scale_axes": 0.5}, "axes": [2]},
        ],
    ),
    "motion_variants": (
        62.5,
        2000,
        3,
        [
            {
                "id": "spectral-analysis",
                "params": {
                    "filter_type": "high",
                    "filter_cutoff": 5.0,
                    "filter_order": 4,
                    "fft_length": 32,
                    "take_log": False,
                    "overlap_frames": False,
                },
                "axes": [1, 2],
            },
            {"id": "spectral-analysis", "params": {"filter_type": "none", "fft_length": 64}, "axes": [0]},
            {"id": "flatten", "params": {"scale_axes": 9.80665, "minimum": False, "stdev": False}, "axes": [2, 0]},
            {
                "id": "spectral-analysis",
                "params": {
                    "spectral_power": "edges",
                    "fft_length": 64,
                    "filter_cutoff": 10.0,
                    "spectral_power_edges": [0.5, 1.0, 2.0, 5.0, 10.0],
                },
                "axes": [1],
            },
            {
                "id": "spectral-analysis",
                "params": {"filter_type": "none", "fft_length": 16, "take_log": False, "overlap_frames": True},
                "axes": [2],
            },
        ],
    ),
    "gyro_100hz": (
        100.0,
        1500,
        2,
        [
            {
                "id": "spectral-analysis",
                "params": {"filter_cutoff": 20.0, "filter_order": 3, "fft_length": 128, "scale_axes": 2.0},
                "axes": [0, 1],
            },
            {"id": "spectral-analysis", "params": {"filter_cutoff": 4.0}, "axes": [1]},
            {
                "id": "spectral-analysis",
                "params": {
                    "filter_type": "high",
                    "filter_cutoff": 1.0,
                    "filter_order": 8,
                    "fft_length": 8,
                    "overlap_frames": False,
                },
                "axes": [0],
            },
            {"id": "flatten", "params": {"average": False, "rms": False, "skewness": False}, "axes": [1]},
        ],
    ),
    "vibration_1khz_long": (
        1000.0,
        1200,
        1,
        [
            {
                "id": "spectral-analysis",
                "params": {
                    "filter_type": "high",
                    "filter_cutoff": 50.0,
                    "filter_order": 8,
                    "fft_length": 256,
                    "take_log": True,
                },
                "axes": [0],
            },
            {
                "id": "spectral-analysis",
                "params": {
                    "filter_type": "low",
                    "filter_cutoff": 200.0,
                    "filter_order": 2,
                    "fft_length": 1024,
                    "take_log": False,
                    "scale_axes": 0.001,
                },
                "axes": [0],
            },
            {"id": "flatten", "params": {}, "axes": [0]},
            {"id": "raw", "params": {"scale_axes": 3.0}, "axes": [0]},
        ],
    ),
}


def edge_and_random_windows(n: int, axes: int, frequency_hz: float, random_count: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(n) / frequency_hz
    edge = [
        np.zeros((n, axes)),
        np.full((n, axes), 9.81),
        np.full((n, axes), -12345.678),
        np.broadcast_to(rng.normal(0, 100, (1, axes)), (n, axes)),  # a different constant per axis
        rng.normal(0, 1, (n, axes)) * 1e4,  # large values
        rng.normal(0, 1, (n, axes)) * 1e-3,  # small values
        rng.normal(5000, 1, (n, axes)),  # small variation, big offset
        np.sin(2 * np.pi * (frequency_hz / 16) * t)[:, None] * np.ones(axes),  # sine on an FFT bin
        np.where(np.arange(n) == n // 3, 50.0, 0.0)[:, None] * np.ones(axes),  # one spike
        np.linspace(-20, 20, n)[:, None] * np.ones(axes),  # ramp
        np.sign(np.sin(2 * np.pi * 3 * t))[:, None] * np.ones(axes),  # square wave
    ]
    freqs = rng.uniform(0.2, frequency_hz / 2, (random_count, 1, axes))
    amps = 10 ** rng.uniform(-2, 3, (random_count, 1, axes))
    offsets = rng.uniform(-50, 50, (random_count, 1, axes))
    # Noise 0-40 dB below the sine. Bins much weaker than a frame's peak are at float32's resolution
    # (a radix-2 FFT's rounding is ~1e-7 of the peak): 50 dB below it the C value of a bin is only
    # within ~1e-4 relative, a log10 difference above the 1e-5 tolerance. See tf_dsp.h.
    noise = rng.normal(0, 1, (random_count, n, axes)) * amps * 10 ** rng.uniform(-2, 0, (random_count, 1, axes))
    random = amps * np.sin(2 * np.pi * freqs * t[None, :, None] + rng.uniform(0, 6.3, (random_count, 1, axes)))
    return np.concatenate([np.stack(edge), random + offsets + noise]).astype(np.float32)


def python_features(windows: np.ndarray, frequency_hz: float, blocks: list[dict]) -> np.ndarray:
    context = {"frequency_hz": frequency_hz, "window_size_ms": windows.shape[1] * 1000 / frequency_hz}
    parts = []
    for b in blocks:
        block = get_processing_block(b["id"], b.get("version"))
        params = block.spec.validate(b["params"], context)
        parts.append(block.features(windows[:, :, b["axes"]], params, frequency_hz))
    return np.concatenate(parts, axis=1)


@pytest.fixture(scope="module")
def dsp_object(tmp_path_factory) -> Path:
    build = tmp_path_factory.mktemp("dsp_c")
    source = next(p for p in static_sources() if p.suffix == ".c")
    obj = build / "tf_dsp.o"
    subprocess.run([GCC, *HOST_FLAGS, "-c", str(source), "-o", str(obj)], check=True, capture_output=True)
    (build / "host_main.c").write_text(HOST_MAIN)
    return obj


def build_impulse(dsp_object: Path, tmp_path: Path, frequency_hz, window_len, axes_count, blocks) -> Path:
    include = static_sources()[0].parent
    config = tmp_path / "tf_dsp_config.c"
    config.write_text(render_dsp_config(blocks, frequency_hz, window_len, axes_count))
    exe = tmp_path / "dsp_host"
    subprocess.run(
        [
            GCC,
            *HOST_FLAGS,
            f"-I{include}",
            str(config),
            str(dsp_object.parent / "host_main.c"),
            str(dsp_object),
            "-lm",
            "-o",
            str(exe),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return exe


def run_c(exe: Path, windows: np.ndarray, features_count: int) -> np.ndarray:
    out = subprocess.run(
        [str(exe)], input=windows.astype("<f4").tobytes(), capture_output=True, check=True, timeout=60
    ).stdout
    return np.frombuffer(out, dtype="<f4").reshape(windows.shape[0], features_count)


@pytest.mark.parametrize("name", sorted(IMPULSES))
def test_c_features_match_python_features(name, dsp_object, tmp_path):
    frequency_hz, window_ms, axes_count, blocks = IMPULSES[name]
    n = window_length(window_ms, frequency_hz)
    windows = edge_and_random_windows(n, axes_count, frequency_hz, random_count=150 if n < 500 else 40, seed=len(name))
    exe = build_impulse(dsp_object, tmp_path, frequency_hz, n, axes_count, blocks)
    expected = python_features(windows, frequency_hz, blocks)
    assert plan_dsp(blocks, frequency_hz, n, axes_count).features_count == expected.shape[1]

    got = run_c(exe, windows, expected.shape[1])

    bad = np.abs(got - expected) > np.maximum(1e-5, 1e-4 * np.abs(expected))
    where = [(int(w), int(f), float(expected[w, f]), float(got[w, f])) for w, f in np.argwhere(bad)[:8]]
    assert not bad.any(), f"{int(bad.sum())} features differ (window, feature, python, c): {where}"


def test_standard_motion_config_needs_under_1_5_kb_of_scratch():
    _, _, _, blocks = IMPULSES["motion_standard"]
    plan = plan_dsp(blocks[:1], 62.5, 125, 3)
    assert plan.features_count == 33
    assert plan.scratch_floats * 4 <= 1536
