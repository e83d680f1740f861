"""Train the keras-regression learning block: one linear output, mean squared error loss."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import keras
import numpy as np

from backend.blocks.learning import KERAS_REGRESSION
from workers.learn.errors import TrainingDataError
from workers.learn.loop import (
    OnEpoch,
    ShouldStop,
    TrainResult,
    check_features,
    framed_input,
    run_epochs,
    seed_everything,
)
from workers.learn.models import build_model
from workers.learn.normalization import FeatureNormalization


def _targets(y: np.ndarray | Sequence, n: int, what: str) -> np.ndarray:
    try:
        y = np.asarray(y, dtype=np.float32).reshape(-1)
    except ValueError:
        raise TrainingDataError(
            f"{what} must be numbers: regression learns a numeric label (e.g. '23.5'), not a class name."
        ) from None
    if len(y) != n:
        raise TrainingDataError(f"{what}: got {len(y)} values for {n} windows.")
    if not np.isfinite(y).all():
        raise TrainingDataError(f"{what} contain NaN or infinite values.")
    return y


def train_regression(
    x_train: np.ndarray,
    y_train: np.ndarray | Sequence,
    x_val: np.ndarray,
    y_val: np.ndarray | Sequence,
    params: dict[str, Any] | None = None,
    *,
    axes: int | None = None,
    columns: int | None = None,
    on_epoch: OnEpoch | None = None,
    should_stop: ShouldStop | None = None,
) -> TrainResult:
    """Train a regressor on features [windows, n] with numeric targets.

    Same contract as train_classifier; logs hold loss (MSE), mae, val_loss (MSE), val_mae.
    """
    x_train = check_features(x_train, "Training features")
    x_val = check_features(x_val, "Validation features")
    if len(x_train) == 0:
        raise TrainingDataError("No training data: add samples and generate features first.")
    if len(x_val) == 0:
        raise TrainingDataError("The validation set is empty: add data or raise the validation set size.")
    if x_val.shape[1] != x_train.shape[1]:
        raise TrainingDataError(
            f"Validation windows have {x_val.shape[1]} features, training windows "
            f"{x_train.shape[1]}: generate features again for all samples."
        )
    yt = _targets(y_train, len(x_train), "Training targets")
    yv = _targets(y_val, len(x_val), "Validation targets")
    if len(x_train) < 2 or float(yt.std()) == 0.0:
        raise TrainingDataError("All training targets have the same value: regression needs varied targets.")
    context, grid, own_columns = framed_input(x_train.shape[1], axes, columns)
    params = KERAS_REGRESSION.validate(params, context)

    norm = FeatureNormalization.fit_per_column(x_train, grid) if grid else FeatureNormalization.fit(x_train)
    x_train, x_val = norm.apply(x_train), norm.apply(x_val)
    seed_everything(params["seed"])
    model = build_model(params["architecture"], x_train.shape[1], 1, axes=own_columns, head="linear")
    model.compile(
        optimizer=keras.optimizers.Adam(params["learning_rate"]), loss="mse", metrics=["mae"], jit_compile=False
    )
    history, best_epoch, stopped = run_epochs(
        model, x_train, yt, x_val, yv, params, grid=grid, on_epoch=on_epoch, should_stop=should_stop
    )
    return TrainResult(
        model=model,
        history=history,
        best_epoch=best_epoch,
        stopped_early=stopped,
        labels=None,
        params=params,
        normalization=norm,
    )
