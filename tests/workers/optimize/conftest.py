"""Trained models for the optimization tests (trained once per session: training is the slow part)."""

from __future__ import annotations

import numpy as np
import pytest

LABELS = ["idle", "snake", "updown", "wave"]


def gaussian_split(n_per_class=100, dims=33, classes=4, seed=0):
    rng = np.random.default_rng(seed)
    centers = rng.normal(0, 3, (classes, dims))
    y = np.repeat(np.arange(classes), n_per_class)
    x = (centers[y] + rng.normal(size=(len(y), dims))).astype(np.float32)
    val = np.zeros(len(y), dtype=bool)
    val[::5] = True
    return x[~val], y[~val], x[val], y[val]


@pytest.fixture(scope="session")
def classifier():
    """(TrainResult of the default classifier, (x_train, y_train, x_val, y_val))."""
    from workers.learn.train import train_classifier

    data = gaussian_split()
    return train_classifier(*data, LABELS, {}), data


@pytest.fixture(scope="session")
def conv_classifier():
    """A conv1d classifier on raw 3-axis windows of 125 samples, with its data."""
    from workers.learn.train import train_classifier

    rng = np.random.default_rng(1)
    t = np.arange(125) / 62.5
    y = np.repeat(np.arange(3), 40)
    phase = rng.uniform(0, 2 * np.pi, (len(y), 1, 1))
    w = np.sin(2 * np.pi * np.array([1.0, 3.0, 6.0])[y][:, None, None] * t[None, :, None] + phase)
    x = (w * np.array([1.0, 0.5, 2.0]) + rng.normal(0, 0.2, (len(y), 125, 3))).reshape(len(y), 375)
    x = x.astype(np.float32)
    val = np.zeros(len(y), dtype=bool)
    val[::5] = True
    arch = [
        {"type": "conv1d", "filters": 8, "kernel_size": 5, "pool": 4},
        {"type": "conv1d", "filters": 8, "kernel_size": 3, "pool": 2},
        {"type": "flatten"},
        {"type": "dense", "units": 8},
    ]
    data = (x[~val], y[~val], x[val], y[val])
    result = train_classifier(
        *data, ["slow", "mid", "fast"], {"architecture": arch, "epochs": 15, "learning_rate": 0.01}, axes=3
    )
    return result, data
