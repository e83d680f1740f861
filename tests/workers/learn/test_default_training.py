"""Every training setting at its default on small sets: a few dozen windows of 3-4 classes whose
features have very different ranges (as spectral power next to RMS does). The old defaults (30
epochs at 0.0005, raw features, int8 calibrated on 300 rows) left such a network near chance."""

from __future__ import annotations

import numpy as np
import pytest

from workers.learn.split import split_indices
from workers.learn.train import train_classifier
from workers.optimize.evaluate import run_tflite
from workers.optimize.pipeline import optimize_and_evaluate


def _small_set(n_per_class: int, classes: int, seed: int):
    """Gaussian classes in 12 features scaled from 1e-3 to 1e3, the offset far from 0."""
    centers = np.random.default_rng(classes).normal(0, 1.5, (classes, 12))  # the same classes for every seed
    rng = np.random.default_rng(seed)
    scale = np.logspace(-3, 3, 12)
    y = np.repeat(np.arange(classes), n_per_class)
    x = (centers[y] + rng.normal(0, 0.5, (len(y), 12))) * scale + 50 * scale
    return x.astype(np.float32), y


@pytest.mark.parametrize("n_per_class, classes", [(10, 3), (8, 4)])
def test_defaults_train_a_few_dozen_windows_and_int8_keeps_up(n_per_class, classes):
    labels = [f"c{i}" for i in range(classes)]
    x, y = _small_set(n_per_class, classes, seed=classes)
    x_test, y_test = _small_set(25, classes, seed=100 + classes)
    train, val = split_indices(y, 0.2, seed=1)
    trained = train_classifier(x[train], y[train], x[val], y[val], labels, {})
    opt = optimize_and_evaluate(trained.model, x[train], x[val], y[val], labels, normalization=trained.normalization)
    accuracy = {
        v: float((run_tflite(opt[v]["tflite"], trained.model_input(x_test)).argmax(axis=1) == y_test).mean())
        for v in ("float32", "int8")
    }
    assert accuracy["int8"] >= 0.95, accuracy
    assert accuracy["float32"] - accuracy["int8"] <= 0.02, accuracy


def test_normalisation_uses_training_statistics_and_leaves_constant_features_alone():
    from workers.learn.normalization import FeatureNormalization

    x = np.array([[1.0, 5.0, 1e6], [3.0, 5.0, 3e6]], dtype=np.float32)
    norm = FeatureNormalization.fit(x)
    assert norm.mean.tolist() == [2.0, 5.0, 2e6] and norm.std.tolist() == [1.0, 1.0, 1e6]
    assert norm.apply(x).tolist() == [[-1.0, 0.0, -1.0], [1.0, 0.0, 1.0]]
    assert FeatureNormalization.from_json(norm.to_json()).apply(x).tobytes() == norm.apply(x).tobytes()
