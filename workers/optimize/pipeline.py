"""The optimization stage in one call: convert to float32 and int8, evaluate both."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import keras
import numpy as np

from workers.learn.normalization import FeatureNormalization, normalize
from workers.optimize.convert import to_tflite_float32, to_tflite_int8
from workers.optimize.evaluate import agreement, classification_metrics, io_details, regression_metrics, run_tflite


def optimize_and_evaluate(
    model: keras.Model,
    x_rep: np.ndarray,
    x_val: np.ndarray,
    y_val: np.ndarray,
    labels: Sequence[str] | None,
    *,
    normalization: FeatureNormalization | None = None,
) -> dict[str, Any]:
    """Convert `model` and evaluate both variants on the validation set with the reference kernels.

    x_rep (calibration: the training features) and x_val are features; with `normalization` they
    are normalised first, as the model takes them.

    labels: the class names (y_val holds class indices), or None for a regression model (y_val
    holds targets). Returns {"float32": {"tflite", "metrics", "io"}, "int8": {...}} plus
    "int8_float_agreement" (classification: fraction of equal argmax) or "int8_float_mae"
    (regression: mean |int8 - float32| prediction).
    """
    x_rep, x_val = normalize(x_rep, normalization), normalize(x_val, normalization)
    out: dict[str, Any] = {}
    preds = {}
    for variant, tflite in (("float32", to_tflite_float32(model)), ("int8", to_tflite_int8(model, x_rep))):
        pred = run_tflite(tflite, x_val)
        preds[variant] = pred
        metrics = (
            regression_metrics(y_val, pred[:, 0]) if labels is None else classification_metrics(y_val, pred, labels)
        )
        out[variant] = {"tflite": tflite, "metrics": metrics, "io": io_details(tflite)}
    if labels is None:
        out["int8_float_mae"] = float(np.abs(preds["int8"] - preds["float32"]).mean()) if len(x_val) else 0.0
    else:
        out["int8_float_agreement"] = agreement(preds["int8"], preds["float32"])
    return out
