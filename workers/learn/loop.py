"""The epoch loop shared by the classifier and the regression trainer.

We shuffle, batch and add noise ourselves (numpy, seeded) and step with train_on_batch: that keeps
the run deterministic, lets us report every epoch and stop within an epoch, and avoids fit()'s
per-call setup cost (a few hundred ms, more than an epoch of a small model).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import keras
import numpy as np
import tensorflow as tf

from workers.learn.augment import augment_frames
from workers.learn.errors import TrainingCancelled, TrainingDataError
from workers.learn.normalization import FeatureNormalization, normalize

OnEpoch = Callable[[int, dict[str, float]], None]
ShouldStop = Callable[[], bool]

# should_stop() is also polled inside an epoch, every this many batches.
POLL_EVERY_BATCHES = 20


@dataclass
class TrainResult:
    """A trained model and how it got there.

    history: one dict per epoch run, {"epoch": 1-based, "loss", "val_loss", and "accuracy",
    "val_accuracy" (classifier) or "mae", "val_mae" (regression)}.
    best_epoch: the epoch whose weights `model` holds (the last one unless early stopping).
    normalization: what turns features into the model's input (see workers/learn/normalization.py).
    """

    model: keras.Model
    history: list[dict[str, float]]
    best_epoch: int
    stopped_early: bool
    labels: list[str] | None = None
    params: dict[str, Any] = field(default_factory=dict)
    # The model takes features normalised with this (the training split's statistics).
    normalization: FeatureNormalization | None = None

    def model_input(self, x: np.ndarray) -> np.ndarray:
        """Features as the model takes them (normalised)."""
        return normalize(x, self.normalization)


def seed_everything(seed: int) -> None:
    """Same seed, same data -> same weights (Python, numpy and TF seeds; deterministic TF ops)."""
    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()


def check_features(x: np.ndarray, what: str) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    if x.ndim != 2:
        raise TrainingDataError(f"{what} must be a 2-D array [windows, features], got shape {x.shape}.")
    bad = np.flatnonzero(~np.isfinite(x).all(axis=1))
    if len(bad):
        raise TrainingDataError(
            f"{what} contain NaN or infinite values (window {bad[0]}): "
            "check the processing block's output for these samples."
        )
    return x


def framed_input(
    features: int, axes: int | None, columns: int | None
) -> tuple[dict[str, Any], tuple[int, int] | None, int | None]:
    """(validation context, (rows, columns) of a framed input or None, row length for the model).

    axes: a raw window's axis count; columns: the values per frame of an audio block's output.
    """
    if axes:
        context: dict[str, Any] = {"input": "raw", "features": features, "axes": axes}
    elif columns:
        context = {"input": "frames", "features": features, "columns": columns}
    else:
        return {"input": "features", "features": features}, None, None
    own = axes or columns
    grid = (features // own, own) if features % own == 0 else None
    return context, grid, own


def _train_one_epoch(
    model: keras.Model,
    x: np.ndarray,
    y: np.ndarray,
    batch_size: int,
    class_weight: dict[int, float] | None,
    should_stop: ShouldStop | None,
) -> dict[str, float]:
    """Step through one epoch; return the batch-size weighted mean of each metric (as fit does)."""
    sums: dict[str, float] = {}
    for b, start in enumerate(range(0, len(x), batch_size)):
        if should_stop and b and b % POLL_EVERY_BATCHES == 0 and should_stop():
            raise TrainingCancelled("training was cancelled")
        xb, yb = x[start : start + batch_size], y[start : start + batch_size]
        logs = model.train_on_batch(xb, yb, class_weight=class_weight, return_dict=True)
        for k, v in logs.items():
            sums[k] = sums.get(k, 0.0) + float(v) * len(xb)
    return {k: v / len(x) for k, v in sums.items()}


def _evaluate(model: keras.Model, x: np.ndarray, y: np.ndarray, chunk: int = 1024) -> dict[str, float]:
    sums: dict[str, float] = {}
    for start in range(0, len(x), chunk):
        xb, yb = x[start : start + chunk], y[start : start + chunk]
        for k, v in model.test_on_batch(xb, yb, return_dict=True).items():
            sums[k] = sums.get(k, 0.0) + float(v) * len(xb)
    return {k: v / len(x) for k, v in sums.items()}


def run_epochs(
    model: keras.Model,
    x_train: np.ndarray,
    y_train: np.ndarray,
    x_val: np.ndarray,
    y_val: np.ndarray,
    params: dict[str, Any],
    *,
    class_weight: dict[int, float] | None = None,
    grid: tuple[int, int] | None = None,
    on_epoch: OnEpoch | None = None,
    should_stop: ShouldStop | None = None,
) -> tuple[list[dict[str, float]], int, bool]:
    """Train a compiled model in place; return (history, best_epoch, stopped_early).

    Each epoch the shuffled training windows get the block's augmentations (time shift and
    masks on framed input of `grid` = (rows, columns), then noise); validation windows never do.
    With early stopping the model ends with the weights of its lowest validation loss.
    """
    rng = np.random.default_rng(params["seed"])
    noise = float(params.get("noise_stdev", 0.0))
    noise_scale = (noise * x_train.std(axis=0)).astype(np.float32)
    patience = params["early_stopping_patience"] if params.get("early_stopping") else None
    history: list[dict[str, float]] = []
    best_loss, best_epoch, best_weights = math.inf, 0, None
    for epoch in range(1, params["epochs"] + 1):
        if should_stop and should_stop():
            raise TrainingCancelled("training was cancelled")
        order = rng.permutation(len(x_train))
        xb = x_train[order]
        if grid is not None:
            xb = augment_frames(xb, grid, params, rng)
        if noise > 0:
            xb = xb + rng.standard_normal(xb.shape, dtype=np.float32) * noise_scale
        logs = _train_one_epoch(model, xb, y_train[order], params["batch_size"], class_weight, should_stop)
        logs.update({f"val_{k}": v for k, v in _evaluate(model, x_val, y_val).items()})
        history.append({"epoch": epoch, **logs})
        if on_epoch:
            on_epoch(epoch, dict(logs))
        val_loss = logs.get("val_loss", math.inf)
        if val_loss < best_loss:
            best_loss, best_epoch = val_loss, epoch
            if patience is not None:
                best_weights = [w.copy() for w in model.get_weights()]
        elif patience is not None and epoch - best_epoch >= patience:
            if best_weights is None:  # the loss never was finite: keep what we have
                return history, epoch, True
            model.set_weights(best_weights)
            return history, best_epoch, True
    if patience is not None and best_weights is not None and best_epoch != len(history):
        model.set_weights(best_weights)
        return history, best_epoch, False
    return history, len(history), False
