"""A trained keyword-style audio impulse, built with the pure engine (no database, no jobs).

Synthetic 1 s windows at 16 kHz of three sound classes (a low hum, a high whistle sweeping up,
broadband noise bursts), int16-range as ingested; MFCC with the keyword defaults (50 frames x 13
coefficients) -> conv1d(8, 3, pool 2) over the frames -> flatten -> dense 8 -> 3 classes, int8 .tflite.
Used by the library verification tests; small so that it trains in a few seconds.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import numpy as np

LABELS = ["hum", "noise", "whistle"]
FREQUENCY_HZ = 16000.0
WINDOW_MS = 1000
WINDOW_LEN = 16000
MFCC: dict[str, Any] = {}  # the keyword defaults
ARCHITECTURE = [
    {"type": "conv1d", "filters": 8, "kernel_size": 3, "pool": 2},
    {"type": "flatten"},
    {"type": "dense", "units": 8},
]
IMPULSE: dict[str, Any] = {
    "input": {
        "axes": ["audio"],
        "window_size_ms": WINDOW_MS,
        "window_increase_ms": 250,
        "frequency_hz": FREQUENCY_HZ,
        "zero_pad": True,
    },
    "processing_blocks": [{"id": 1, "type": "mfcc", "version": 1, "params": MFCC, "axes": ["audio"]}],
    "learning_blocks": [{"id": 2, "type": "keras-classifier", "params": {"architecture": ARCHITECTURE}}],
}


@dataclass
class TrainedAudioImpulse:
    impulse: dict[str, Any]
    labels: list[str]
    test_windows: np.ndarray  # [n, 16000, 1] float32, raw
    test_features: np.ndarray  # [n, 650] float32, the Python pipeline's
    test_labels: np.ndarray
    tflite_int8: bytes
    normalization: dict[str, Any]

    def model_input(self, features: np.ndarray) -> np.ndarray:
        from workers.learn.normalization import normalize

        return normalize(features, self.normalization)


def sound_windows(n_per_class: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    t = np.arange(WINDOW_LEN) / FREQUENCY_HZ
    windows, labels = [], []
    for c in range(len(LABELS)):
        for _ in range(n_per_class):
            level = rng.uniform(2000, 9000)
            if c == 0:
                f = rng.uniform(100, 250)
                x = level * (np.sin(2 * np.pi * f * t) + 0.4 * np.sin(2 * np.pi * 2 * f * t + rng.uniform(0, 6)))
            elif c == 1:
                centre = rng.uniform(0.3, 0.7)
                x = level * rng.normal(0, 0.5, WINDOW_LEN) * (np.abs(t - centre) < rng.uniform(0.1, 0.3))
            else:
                f0 = rng.uniform(1500, 2500)
                x = level * np.sin(2 * np.pi * (f0 + rng.uniform(500, 1500) * t / 2) * t)
            x = x + rng.normal(0, rng.uniform(50, 300), WINDOW_LEN)
            windows.append(np.clip(np.round(x), -32768, 32767))
            labels.append(c)
    return np.asarray(windows, dtype=np.float32)[:, :, None], np.asarray(labels)


def features(windows: np.ndarray) -> np.ndarray:
    from workers.dsp.registry import get_processing_block

    block = get_processing_block("mfcc", 1)
    params = block.spec.validate(MFCC, {"frequency_hz": FREQUENCY_HZ, "window_size_ms": WINDOW_MS})
    return block.features(windows, params, FREQUENCY_HZ)


@functools.cache  # one training per argument set for the whole run; callers only read it
def train_audio_impulse(n_train_per_class: int = 24, n_test_per_class: int = 10) -> TrainedAudioImpulse:
    from workers.learn.split import split_indices
    from workers.learn.train import train_classifier
    from workers.optimize.convert import to_tflite_int8

    x_raw, y = sound_windows(n_train_per_class, seed=1)
    x = features(x_raw)
    train, val = split_indices(y, 0.2, seed=1)
    params = {"architecture": ARCHITECTURE, "epochs": 15, "learning_rate": 0.01}
    result = train_classifier(x[train], y[train], x[val], y[val], LABELS, params, axes=13)
    test_raw, test_y = sound_windows(n_test_per_class, seed=2)
    return TrainedAudioImpulse(
        impulse=IMPULSE,
        labels=list(LABELS),
        test_windows=test_raw,
        test_features=features(test_raw),
        test_labels=test_y,
        tflite_int8=to_tflite_int8(result.model, result.model_input(x[train])),
        normalization=result.normalization.to_json(),
    )
