"""A trained standard motion impulse, built with the pure engine (no database, no jobs).

Synthetic 3-axis accelerometer data of four gestures at 62.5 Hz; spectral analysis (low-pass
8 Hz order 6, FFT 64: 33 features) -> normalised -> dense 20 -> dense 10 -> 4 classes (every
training setting at its default), int8 and float32 .tflite, K-means anomaly. Used by the library verification tests and bench/bench_deployment.py.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import numpy as np

LABELS = ["idle", "snake", "updown", "wave"]
FREQUENCY_HZ = 62.5
WINDOW_MS = 2000
WINDOW_LEN = 125
SPECTRAL = {"filter_type": "low", "filter_cutoff": 8.0, "filter_order": 6, "fft_length": 64}
IMPULSE: dict[str, Any] = {
    "input": {
        "axes": ["accX", "accY", "accZ"],
        "window_size_ms": WINDOW_MS,
        "window_increase_ms": 500,
        "frequency_hz": FREQUENCY_HZ,
        "zero_pad": True,
    },
    "processing_blocks": [
        {"id": 1, "type": "spectral-analysis", "version": 1, "params": SPECTRAL, "axes": ["accX", "accY", "accZ"]}
    ],
    "learning_blocks": [
        {"id": 2, "type": "keras-classifier", "params": {}},
        {"id": 3, "type": "kmeans-anomaly", "params": {"clusters": 32}},
    ],
}


@dataclass
class TrainedMotionImpulse:
    impulse: dict[str, Any]
    labels: list[str]
    test_windows: np.ndarray  # [n, 125, 3] float32, raw
    test_features: np.ndarray  # [n, 33] float32, the Python pipeline's
    test_labels: np.ndarray  # [n] class indices
    tflite: dict[str, bytes]  # "int8" / "float32" -> model
    anomaly: dict[str, Any]  # KMeansModel.to_json()
    train_features: np.ndarray  # [n, 33] float32
    normalization: dict[str, Any]  # {mean, std}: the network takes normalised features

    def model_input(self, features: np.ndarray) -> np.ndarray:
        """Features as the .tflite models take them (normalised)."""
        from workers.learn.normalization import normalize

        return normalize(features, self.normalization)


def gesture_windows(n_per_class: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Random-phase, random-amplitude gestures in m/s2 with gravity on z, plus sensor noise."""
    rng = np.random.default_rng(seed)
    t = np.arange(WINDOW_LEN) / FREQUENCY_HZ
    windows, labels = [], []
    for c in range(len(LABELS)):
        for _ in range(n_per_class):
            f = rng.uniform(0.8, 1.2)
            ph = rng.uniform(0, 2 * np.pi, 3)
            a = rng.uniform(0.7, 1.3)
            w = np.zeros((WINDOW_LEN, 3))
            if c == 1:  # snake: side to side
                w[:, 0] = 4 * a * np.sin(2 * np.pi * 1.5 * f * t + ph[0])
                w[:, 1] = 2 * a * np.sin(2 * np.pi * 3.0 * f * t + ph[1])
            elif c == 2:  # updown
                w[:, 2] = 6 * a * np.sin(2 * np.pi * 2.0 * f * t + ph[2])
            elif c == 3:  # wave: fast on x and y
                w[:, 0] = 3 * a * np.sin(2 * np.pi * 5.0 * f * t + ph[0])
                w[:, 1] = 3 * a * np.cos(2 * np.pi * 5.0 * f * t + ph[1])
            w[:, 2] += 9.81
            w += rng.normal(0, 0.3 if c else 0.05, w.shape)
            windows.append(w)
            labels.append(c)
    return np.asarray(windows, dtype=np.float32), np.asarray(labels)


def features(windows: np.ndarray) -> np.ndarray:
    from workers.dsp.registry import get_processing_block

    block = get_processing_block("spectral-analysis", 1)
    params = block.spec.validate(SPECTRAL, {"frequency_hz": FREQUENCY_HZ, "window_size_ms": WINDOW_MS})
    return block.features(windows, params, FREQUENCY_HZ)


@functools.cache  # one training per argument set for the whole run; callers only read it
def train_motion_impulse(
    n_train_per_class: int = 60, n_test_per_class: int = 75, clusters: int = 32
) -> TrainedMotionImpulse:
    """Train the standard motion impulse (a few seconds on one core)."""
    from workers.learn.anomaly import fit_kmeans
    from workers.learn.split import split_indices
    from workers.learn.train import train_classifier
    from workers.optimize.convert import to_tflite_float32, to_tflite_int8

    x_raw, y = gesture_windows(n_train_per_class, seed=1)
    x = features(x_raw)
    train, val = split_indices(y, 0.2, seed=1)
    result = train_classifier(x[train], y[train], x[val], y[val], LABELS, {})
    test_raw, test_y = gesture_windows(n_test_per_class, seed=2)
    impulse = {**IMPULSE, "learning_blocks": [dict(b) for b in IMPULSE["learning_blocks"]]}
    impulse["learning_blocks"][1]["params"] = {"clusters": clusters}
    return TrainedMotionImpulse(
        impulse=impulse,
        labels=list(LABELS),
        test_windows=test_raw,
        test_features=features(test_raw),
        test_labels=test_y,
        tflite={
            "float32": to_tflite_float32(result.model),
            "int8": to_tflite_int8(result.model, result.model_input(x[train])),
        },
        anomaly=fit_kmeans(x[train], k=clusters).to_json(),
        train_features=x[train],
        normalization=result.normalization.to_json(),
    )
