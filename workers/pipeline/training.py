"""Training an impulse's learning blocks on a feature snapshot; optimization to tflite.

Returns the job result (the contract deployment reads, see docs/impulse-json.md) and the files
to store as artifacts of the training job.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from workers.learn.errors import TrainingDataError
from workers.pipeline.features import CATEGORY_CODES, FeatureSet
from workers.pipeline.impulse import ImpulseRuntime
from workers.pipeline.variants import int8_gap_warnings

NEURAL = ("keras-classifier", "keras-regression")


@dataclass
class TrainedImpulse:
    result: dict[str, Any]
    files: list[tuple[str, str, bytes, str]] = field(default_factory=list)  # kind, name, data, content type


def _groups(fs: FeatureSet, rows: np.ndarray, key: str) -> list[str | None] | None:
    if not key:
        return None
    return [fs.sample_meta.get(int(sid), {}).get(key) for sid in fs.sample_ids[rows]]


def _numeric_targets(fs: FeatureSet, rows: np.ndarray) -> np.ndarray:
    values = []
    for name in fs.labels:
        try:
            values.append(float(name))
        except ValueError:
            raise TrainingDataError(
                f"Regression needs numeric labels (e.g. '23.5'); {name!r} is not a number."
            ) from None
    return np.asarray(values, dtype=np.float32)[fs.label_index[rows]]


def train_neural(
    fs: FeatureSet,
    runtime: ImpulseRuntime,
    block: dict[str, Any],
    *,
    on_epoch: Callable[[int, dict[str, float]], None] | None,
    should_stop: Callable[[], bool] | None,
    log: Callable[[str], None],
    initial_weights: list[np.ndarray] | None = None,
    keep_weights: bool = False,
) -> tuple[dict, list]:
    """Train the classifier or regression block; returns (result fields, files).

    initial_weights: continue a classifier from an earlier training's weights (the tuner's later
    rounds); keep_weights adds those weights as a `keras.weights` file (.npz) for such a continuation."""
    from workers.learn.regression import train_regression
    from workers.learn.split import split_indices
    from workers.learn.train import train_classifier
    from workers.optimize.pipeline import optimize_and_evaluate

    params = block["params"]
    rows = np.flatnonzero((fs.categories == CATEGORY_CODES["training"]) & (fs.label_index >= 0))
    if len(rows) == 0:
        raise TrainingDataError("No labeled training windows: add training samples with labels, then train.")
    cols = runtime.input_indices(block)
    x = fs.features[rows][:, cols]
    classifier = block["type"] == "keras-classifier"
    if classifier:
        labels = sorted({fs.labels[i] for i in np.unique(fs.label_index[rows])})
        y = np.searchsorted(labels, np.asarray(fs.labels)[fs.label_index[rows]])
        if len(labels) < 2:
            raise TrainingDataError(
                f"All training windows have the label {labels[0]!r}: classification "
                "needs at least 2 classes (add samples of another label, or use anomaly detection)."
            )
    else:
        labels, y = [], _numeric_targets(fs, rows)
    train_idx, val_idx = split_indices(
        y,
        params["validation_split"],
        seed=params["seed"],
        groups=_groups(fs, rows, params["validation_group_key"]),
        stratify=classifier,
    )
    log(f"training on {len(train_idx)} windows, validating on {len(val_idx)}; {x.shape[1]} features per window")
    axes, columns = runtime.raw_axes(block), runtime.frame_columns(block)
    args = (x[train_idx], y[train_idx], x[val_idx], y[val_idx])
    if classifier:
        trained = train_classifier(
            *args,
            labels,
            params,
            axes=axes,
            columns=columns,
            on_epoch=on_epoch,
            should_stop=should_stop,
            initial_weights=initial_weights,
        )
    else:
        trained = train_regression(
            *args, params, axes=axes, columns=columns, on_epoch=on_epoch, should_stop=should_stop
        )
    log(
        f"kept the weights of epoch {trained.best_epoch} of {len(trained.history)}"
        + (" (stopped early: the validation loss stopped improving)" if trained.stopped_early else "")
    )
    log("converting to float32 and int8 tflite, evaluating with the reference interpreter")
    opt = optimize_and_evaluate(
        trained.model,
        x[train_idx],
        x[val_idx],
        y[val_idx],
        labels if classifier else None,
        normalization=trained.normalization,
    )
    metrics: dict[str, Any] = {
        v: {**opt[v]["metrics"], "io": opt[v]["io"], "size": len(opt[v]["tflite"])} for v in ("float32", "int8")
    }
    for k in ("int8_float_agreement", "int8_float_mae"):
        if k in opt:
            metrics[k] = opt[k]
    fields = {
        "labels": labels,
        "metrics": metrics,
        "history": trained.history,
        "learning": {
            "id": block["id"],
            "type": block["type"],
            "feature_indices": cols.tolist(),
            "raw_axes": axes,
            "train_windows": int(len(train_idx)),
            "validation_windows": int(len(val_idx)),
            "best_epoch": trained.best_epoch,
            "stopped_early": trained.stopped_early,
            "normalization": trained.normalization.to_json() if trained.normalization else None,
        },
        "warnings": int8_gap_warnings({v: metrics[v].get("accuracy") for v in ("float32", "int8")}, "validation"),
    }
    files = [
        ("model.tflite.float32", "model_float32.tflite", opt["float32"]["tflite"], "application/octet-stream"),
        ("model.tflite.int8", "model_int8.tflite", opt["int8"]["tflite"], "application/octet-stream"),
    ]
    if keep_weights:
        from workers.learn.train import weights_to_bytes

        files.append(("keras.weights", "weights.npz", weights_to_bytes(trained.model), "application/octet-stream"))
    return fields, files


def train_anomaly(
    fs: FeatureSet, runtime: ImpulseRuntime, block: dict[str, Any], log: Callable[[str], None]
) -> tuple[dict, list]:
    """Fit K-means on the training windows; feature positions are stored in full-vector terms."""
    from workers.learn.anomaly import fit_kmeans

    params = block["params"]
    rows = np.flatnonzero(fs.categories == CATEGORY_CODES["training"])
    cols = runtime.input_indices(block)
    picked = cols[params["feature_indices"]] if params["feature_indices"] else cols
    log(f"fitting {params['clusters']} clusters on {len(rows)} windows x {len(picked)} features")
    model = fit_kmeans(
        fs.features[rows],
        params["clusters"],
        params["seed"],
        feature_indices=picked.tolist(),
        radius_percentile=params["radius_percentile"],
    )
    scores = model.score(fs.features[rows]) if len(rows) else np.zeros(0)
    data = model.to_json()
    info = {
        "id": block["id"],
        "clusters": params["clusters"],
        "feature_indices": picked.tolist(),
        "feature_names": [fs.feature_names[i] for i in picked],
        "train_score_max": float(scores.max()) if len(scores) else 0.0,
    }
    return info, [("anomaly.kmeans.json", "anomaly_kmeans.json", json.dumps(data).encode(), "application/json")]


def train_impulse(
    fs: FeatureSet,
    runtime: ImpulseRuntime,
    *,
    on_epoch=None,
    should_stop=None,
    log: Callable[[str], None] = print,
    initial_weights: list[np.ndarray] | None = None,
    keep_weights: bool = False,
) -> TrainedImpulse:
    """Train every learning block of the impulse on the snapshot `fs` (initial_weights/keep_weights:
    see train_neural)."""
    if len(fs.features) == 0:
        raise TrainingDataError(
            "No windows to train on: add enabled training samples that are at least one "
            "window long and have the impulse's axes."
        )
    if fs.feature_names != runtime.feature_names:
        raise TrainingDataError("The features were made by another impulse configuration: generate them again.")
    result: dict[str, Any] = {
        "labels": [],
        "feature_names": runtime.feature_names,
        "input": runtime.input_info(),
        "metrics": None,
        "history": [],
        "learning": None,
        "anomaly": None,
        "warnings": [],
    }
    files: list = []
    neural = runtime.learning_block(NEURAL)
    if neural is not None:
        fields, f = train_neural(
            fs,
            runtime,
            neural,
            on_epoch=on_epoch,
            should_stop=should_stop,
            log=log,
            initial_weights=initial_weights,
            keep_weights=keep_weights,
        )
        result.update(fields)
        files += f
    anomaly = runtime.learning_block(("kmeans-anomaly",))
    if anomaly is not None:
        result["anomaly"], f = train_anomaly(fs, runtime, anomaly, log)
        files += f
    return TrainedImpulse(result=result, files=files)
