"""Training the keras-regression block."""

from __future__ import annotations

import numpy as np
import pytest

from workers.learn.errors import TrainingDataError
from workers.learn.regression import train_regression


def linear_data(n=300, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 8)).astype(np.float32)
    y = x @ rng.normal(size=8) + 3.0
    return x[:240], y[:240], x[240:], y[240:]


def test_regression_learns_a_linear_target_and_reports_mse_and_mae():
    xt, yt, xv, yv = linear_data()
    seen = []
    result = train_regression(
        xt, yt, xv, yv, {"epochs": 40, "learning_rate": 0.01}, on_epoch=lambda e, logs: seen.append(logs)
    )
    assert set(seen[0]) == {"loss", "mae", "val_loss", "val_mae"}
    assert seen[-1]["val_mae"] < 0.3 * np.abs(yv - yv.mean()).mean()
    assert result.labels is None and result.model.output_shape == (None, 1)


def test_class_names_as_regression_targets_are_refused():
    xt, _, xv, yv = linear_data()
    with pytest.raises(TrainingDataError, match="must be numbers"):
        train_regression(xt, ["warm"] * len(xt), xv, yv, {"epochs": 1})


def test_constant_targets_are_refused():
    xt, yt, xv, yv = linear_data()
    with pytest.raises(TrainingDataError, match="same value"):
        train_regression(xt, np.ones_like(yt), xv, yv, {"epochs": 1})
