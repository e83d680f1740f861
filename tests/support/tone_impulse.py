"""A small trained sound impulse (one axis at an audio rate), built with the pure engine.

Synthetic recordings of three sounds (a low tone, a high tone, noise) classified by an impulse
whose DSP compiles to C: spectral analysis v1 on one axis (no filter, FFT 64: 35 features) ->
dense -> 3 classes, int8, K-means anomaly. The window is short (32 ms at 8 kHz = 256 samples) so
the library also fits the 8 KB of RAM of the AVR board the Arduino examples are compiled for.

`AudioCase` describes the impulse's input and its one processing block; the continuous-inference
tests take a list of them, so another block (MFCC, MFE) is one more case.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

LABELS = ["low", "high", "noise"]


@dataclass(frozen=True)
class AudioCase:
    name: str
    block: str  # processing block type
    params: dict[str, Any]
    frequency_hz: float = 8000.0
    window_ms: float = 32.0
    version: int = 1
    # C and Python features agree within 1e-4 relative or this fraction of the window's largest
    # feature (MFCC's sliding normalization spreads float32 rounding: see the DSP tests' floors).
    window_max_tolerance: float = 1e-5

    @property
    def impulse(self) -> dict[str, Any]:
        return {
            "input": {
                "axes": ["audio"],
                "window_size_ms": self.window_ms,
                "window_increase_ms": self.window_ms / 4,
                "frequency_hz": self.frequency_hz,
                "zero_pad": True,
            },
            "processing_blocks": [
                {"id": 1, "type": self.block, "version": self.version, "params": self.params, "axes": ["audio"]}
            ],
            "learning_blocks": [
                {"id": 2, "type": "keras-classifier", "params": {}},
                {"id": 3, "type": "kmeans-anomaly", "params": {"clusters": 8}},
            ],
        }

    @property
    def window_len(self) -> int:
        from backend.blocks.processing import window_length

        return window_length(self.window_ms, self.frequency_hz)

    def features(self, windows: np.ndarray) -> np.ndarray:
        """The Python block's features of windows [n, window_len] (one axis)."""
        from workers.dsp.registry import get_processing_block

        block = get_processing_block(self.block, self.version)
        params = block.spec.validate(self.params, {"frequency_hz": self.frequency_hz, "window_size_ms": self.window_ms})
        return np.asarray(block.features(windows[:, :, None], params, self.frequency_hz), dtype=np.float32)


SPECTRAL_8K = AudioCase(
    "spectral-8khz",
    "spectral-analysis",
    {"filter_type": "none", "fft_length": 64, "take_log": True, "overlap_frames": True},
)

# The keyword-spotting MFCC (every parameter at its default: 20 ms frames, sliding normalization)
# on 960 ms: a quarter window is 12 frames, so tf_dsp_run_shifted computes only the new ones.
# The sliding normalization spreads float32 rounding: 2e-4 of the window's largest coefficient.
MFCC_16K = AudioCase("mfcc-16khz", "mfcc", {}, frequency_hz=16000.0, window_ms=960.0, window_max_tolerance=2e-4)


@dataclass
class TrainedAudioImpulse:
    case: AudioCase
    labels: list[str]
    tflite_int8: bytes
    anomaly: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)


def sound(kind: int, n: int, frequency_hz: float, rng: np.random.Generator) -> np.ndarray:
    """n samples of sound `kind` (0 low tone, 1 high tone, 2 noise) in int16 units."""
    t = np.arange(n) / frequency_hz
    if kind == 2:
        return rng.normal(0, 3000, n)
    f0 = (frequency_hz / 16 if kind == 0 else frequency_hz / 4) * rng.uniform(0.9, 1.1)
    return 8000 * rng.uniform(0.5, 1.5) * np.sin(2 * np.pi * f0 * t + rng.uniform(0, 2 * np.pi)) + rng.normal(0, 200, n)


def recording(case: AudioCase, n: int, seed: int = 3) -> np.ndarray:
    """n samples of alternating sounds, one window long each, as float32 int16 values."""
    rng = np.random.default_rng(seed)
    part = case.window_len
    pieces = [sound(i % 3, part, case.frequency_hz, rng) for i in range(-(-n // part))]
    return np.clip(np.round(np.concatenate(pieces)[:n]), -32768, 32767).astype(np.float32)


_TRAINED: dict[str, TrainedAudioImpulse] = {}


def train_audio_impulse(case: AudioCase = SPECTRAL_8K) -> TrainedAudioImpulse:
    """The impulse of `case` trained on synthetic windows (a few seconds, once per test process)."""
    if case.name not in _TRAINED:
        _TRAINED[case.name] = _train(case, per_class=30)
    return _TRAINED[case.name]


def _train(case: AudioCase, per_class: int) -> TrainedAudioImpulse:
    from workers.learn.anomaly import fit_kmeans
    from workers.learn.split import split_indices
    from workers.learn.train import train_classifier
    from workers.optimize.convert import to_tflite_int8

    rng = np.random.default_rng(1)
    windows = np.asarray(
        [sound(c, case.window_len, case.frequency_hz, rng) for c in range(3) for _ in range(per_class)],
        dtype=np.float32,
    )
    y = np.repeat(np.arange(3), per_class)
    x = case.features(windows)
    train, val = split_indices(y, 0.2, seed=1)
    result = train_classifier(x[train], y[train], x[val], y[val], LABELS, {"epochs": 20})
    return TrainedAudioImpulse(
        case=case,
        labels=list(LABELS),
        tflite_int8=to_tflite_int8(result.model, result.model_input(x[train])),
        anomaly=fit_kmeans(x[train], k=8).to_json(),
        extra={"normalization": result.normalization.to_json()},
    )
