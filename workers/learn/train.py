"""Train the keras-classifier learning block."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import keras
import numpy as np

from backend.blocks.learning import KERAS_CLASSIFIER
from workers.learn.errors import TrainingCancelled, TrainingDataError
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

__all__ = ["train_classifier", "TrainResult", "TrainingCancelled", "TrainingDataError", "label_indices"]


def label_indices(y: np.ndarray | Sequence, labels: Sequence[str], what: str) -> np.ndarray:
    """Class indices from label strings (or already indices into labels)."""
    y = np.asarray(y)
    if y.dtype.kind in "iu":
        bad = y[(y < 0) | (y >= len(labels))]
        if len(bad):
            raise TrainingDataError(f"{what}: class index {int(bad[0])} is not one of the {len(labels)} labels.")
        return y.astype(np.int64)
    index = {label: i for i, label in enumerate(labels)}
    unknown = sorted({str(v) for v in y if v not in index})
    if unknown:
        raise TrainingDataError(
            f"{what}: label {unknown[0]!r} is not one of the labels ({', '.join(map(repr, labels))})."
        )
    return np.array([index[v] for v in y], dtype=np.int64)


def _check_classification_data(
    x_train: np.ndarray, y_train: np.ndarray, x_val: np.ndarray, y_val: np.ndarray, labels: list[str]
) -> None:
    if len(x_train) == 0:
        raise TrainingDataError("No training data: add samples and generate features first.")
    if len(labels) < 2:
        raise TrainingDataError(
            f"Classification needs at least 2 classes, the impulse has "
            f"{len(labels)} ({', '.join(map(repr, labels)) or 'none'}). "
            "Add samples with another label, or use anomaly detection."
        )
    if len(set(labels)) != len(labels):
        raise TrainingDataError("Labels must be unique.")
    if len(x_train) != len(y_train) or len(x_val) != len(y_val):
        raise TrainingDataError("Each window needs exactly one label.")
    if len(x_train) < len(labels):
        raise TrainingDataError(
            f"Only {len(x_train)} training windows for {len(labels)} classes: "
            "add data so every class has several windows."
        )
    present = set(np.unique(y_train).tolist())
    if len(present) < 2:
        only = labels[next(iter(present))]
        raise TrainingDataError(
            f"All training windows have the label {only!r}: classification needs windows of at least 2 classes."
        )
    missing = [labels[i] for i in range(len(labels)) if i not in present]
    in_val = [name for name in missing if labels.index(name) in set(y_val.tolist())]
    if in_val:
        raise TrainingDataError(
            f"Label {in_val[0]!r} is in the validation set but has no training "
            "windows: add more samples of it so the split can keep some for training."
        )
    if missing:
        raise TrainingDataError(f"Label {missing[0]!r} has no training windows: add samples or remove the label.")
    if len(x_val) == 0:
        raise TrainingDataError("The validation set is empty: add data or raise the validation set size.")
    if x_val.shape[1] != x_train.shape[1]:
        raise TrainingDataError(
            f"Validation windows have {x_val.shape[1]} features, training windows "
            f"{x_train.shape[1]}: generate features again for all samples."
        )


def set_initial_weights(model: keras.Model, weights: list[np.ndarray]) -> None:
    """Load weights saved from the same architecture; a mismatch is a ValueError naming the first
    differing shape (e.g. the features changed size since)."""
    current = model.get_weights()
    if len(current) != len(weights):
        raise ValueError(f"the saved weights have {len(weights)} arrays, the network {len(current)}")
    for i, (have, got) in enumerate(zip(current, weights, strict=True)):
        if have.shape != got.shape:
            raise ValueError(f"saved weight {i} has shape {got.shape}, the network expects {have.shape}")
    model.set_weights(weights)


def weights_to_bytes(model: keras.Model) -> bytes:
    """model.get_weights() as an .npz (arrays w0, w1, ... in order)."""
    import io

    buf = io.BytesIO()
    np.savez(buf, **{f"w{i}": w for i, w in enumerate(model.get_weights())})
    return buf.getvalue()


def weights_from_bytes(data: bytes) -> list[np.ndarray]:
    import io

    with np.load(io.BytesIO(data), allow_pickle=False) as z:
        return [z[f"w{i}"] for i in range(len(z.files))]


def balanced_class_weights(y: np.ndarray, n_classes: int) -> dict[int, float]:
    """n / (classes * count): every class weighs the same in the loss in total."""
    counts = np.bincount(y, minlength=n_classes)
    return {c: float(len(y) / (n_classes * counts[c])) if counts[c] else 1.0 for c in range(n_classes)}


def train_classifier(
    x_train: np.ndarray,
    y_train: np.ndarray | Sequence,
    x_val: np.ndarray,
    y_val: np.ndarray | Sequence,
    labels: Sequence[str],
    params: dict[str, Any] | None = None,
    *,
    axes: int | None = None,
    columns: int | None = None,
    on_epoch: OnEpoch | None = None,
    should_stop: ShouldStop | None = None,
    initial_weights: list[np.ndarray] | None = None,
) -> TrainResult:
    """Train a softmax classifier on features [windows, n] with labels (strings or class indices).

    params: keras-classifier parameters (validated here; missing ones take their defaults).
    axes: the number of axes of raw windows; columns: the values per frame of an audio block's
    output (frames x coefficients). One of them frames the input for conv layers and augmentation.
    on_epoch(epoch, logs) after each epoch (1-based; logs: loss, accuracy, val_loss, val_accuracy).
    should_stop() is polled before each epoch and every few batches; True raises TrainingCancelled.
    initial_weights: the weights of an earlier training of the same architecture on the same features
    (model.get_weights() order) to continue from instead of a fresh initialisation.
    """
    labels = list(labels)
    x_train = check_features(x_train, "Training features")
    x_val = check_features(x_val, "Validation features")
    yt = label_indices(y_train, labels, "Training labels")
    yv = label_indices(y_val, labels, "Validation labels")
    _check_classification_data(x_train, yt, x_val, yv, labels)
    context, grid, own_columns = framed_input(x_train.shape[1], axes, columns)
    params = KERAS_CLASSIFIER.validate(params, context)

    norm = FeatureNormalization.fit_per_column(x_train, grid) if grid else FeatureNormalization.fit(x_train)
    x_train, x_val = norm.apply(x_train), norm.apply(x_val)
    seed_everything(params["seed"])
    model = build_model(params["architecture"], x_train.shape[1], len(labels), axes=own_columns, head="softmax")
    if initial_weights is not None:
        set_initial_weights(model, initial_weights)
    model.compile(
        optimizer=keras.optimizers.Adam(params["learning_rate"]),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
        jit_compile=False,
    )
    weights = balanced_class_weights(yt, len(labels)) if params["class_weights"] else None
    history, best_epoch, stopped = run_epochs(
        model,
        x_train,
        yt,
        x_val,
        yv,
        params,
        grid=grid,
        class_weight=weights,
        on_epoch=on_epoch,
        should_stop=should_stop,
    )
    return TrainResult(
        model=model,
        history=history,
        best_epoch=best_epoch,
        stopped_early=stopped,
        labels=labels,
        params=params,
        normalization=norm,
    )
