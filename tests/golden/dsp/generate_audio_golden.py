"""Golden data of the audio blocks (MFCC, MFE, spectrogram), same format as generate_dsp_golden.py.

Each case is stored as <name>.npz next to this script: `input` float32 [k, n, 1] (int16-range
audio as ingested), `expected` float32 [k, f] and `meta` (JSON: block id, version, params as
given, context, feature names).

Regenerate (only after an intended change of a block's output, which also needs a new block
version if the block shipped):
    python tests/golden/dsp/generate_audio_golden.py
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

KEYWORD = {"frequency_hz": 16000.0, "window_size_ms": 1000, "axes": ["audio"]}
PHONE_8K = {"frequency_hz": 8000.0, "window_size_ms": 750, "axes": ["audio"]}
CUSTOM_MFCC = {
    "frame_length": 0.025,
    "frame_stride": 0.01,
    "num_filters": 26,
    "num_cepstral": 12,
    "win_size": 51,
    "low_frequency": 100.0,
    "high_frequency": 3800.0,
    "pre_cof": 0.95,
    "pre_shift": 2,
}

# name -> (block id, version, params, input context, signal kind)
CASES: dict[str, tuple[str, int, dict, dict, str]] = {
    "mfcc_keyword": ("mfcc", 1, {}, KEYWORD, "audio"),
    "mfcc_8k_custom": ("mfcc", 1, CUSTOM_MFCC, PHONE_8K, "audio"),
    "mfcc_silence": ("mfcc", 1, {}, KEYWORD, "silence"),
    "mfe_defaults": ("mfe", 1, {}, KEYWORD, "audio"),
    "mfe_8k_no_normalization_window": (
        "mfe",
        1,
        {"num_filters": 32, "frame_stride": 0.02, "win_size": 0, "noise_floor_db": -72.0},
        PHONE_8K,
        "audio",
    ),
    "spectrogram_defaults": ("spectrogram", 1, {}, KEYWORD, "audio"),
    "spectrogram_8k_long_frames": (
        "spectrogram",
        1,
        {"frame_length": 0.05, "frame_stride": 0.025, "fft_length": 256},
        PHONE_8K,
        "audio",
    ),
}


def make_input(kind: str, context: dict, windows: int = 2) -> np.ndarray:
    """Deterministic int16-range audio: a tone, a chirp and noise bursts (or silence)."""
    fs = context["frequency_hz"]
    n = window_length(context["window_size_ms"], fs)
    if kind == "silence":
        return np.zeros((windows, n, 1), np.float32)
    rng = np.random.default_rng(20261201)
    t = np.arange(n) / fs
    tone = rng.uniform(150, fs / 5, (windows, 1)) * t
    chirp = (rng.uniform(100, 400, (windows, 1)) + rng.uniform(500, fs / 3, (windows, 1)) * t / 2) * t
    burst = (np.abs(t - rng.uniform(0.2, 0.6, (windows, 1))) < 0.1) * rng.normal(0, 2500, (windows, n))
    x = 6000 * np.sin(2 * np.pi * tone) + 4000 * np.sin(2 * np.pi * chirp) + burst + rng.normal(0, 150, (windows, n))
    return np.clip(np.round(x), -32768, 32767).astype(np.float32)[:, :, None]


def compute(name: str) -> dict[str, np.ndarray]:
    block_id, version, raw_params, context, kind = CASES[name]
    block = get_processing_block(block_id, version)
    params = block.spec.validate(raw_params, context)
    windows = make_input(kind, context)
    expected = block.features(windows, params, context["frequency_hz"])
    names = block.feature_names(
        params, context["axes"], frequency_hz=context["frequency_hz"], window_len=windows.shape[1]
    )
    meta = {"block": block_id, "version": version, "params": raw_params, "context": context, "feature_names": names}
    return {"input": windows, "expected": expected, "meta": np.array(json.dumps(meta, sort_keys=True))}


def path_of(name: str) -> Path:
    return HERE / f"{name}.npz"


def regenerate() -> list[Path]:
    for name in CASES:
        np.savez_compressed(path_of(name), **compute(name))
    return [path_of(name) for name in CASES]


if __name__ == "__main__":
    for p in regenerate():
        print(f"wrote {p.relative_to(HERE.parents[2])}")
