"""Run tflite models with the reference kernels and measure them.

LiteRT's BUILTIN_REF kernels are our int8 reference (the default XNNPACK path differs by 1 LSB
on conv models). This module does not import TensorFlow.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from ai_edge_litert.interpreter import Interpreter, OpResolverType

BATCH = 512


def _interpreter(model_bytes: bytes) -> Interpreter:
    return Interpreter(model_content=model_bytes, experimental_op_resolver_type=OpResolverType.BUILTIN_REF)


def _tensor_info(d: dict) -> dict[str, Any]:
    scale, zero_point = d["quantization"]
    return {
        "shape": [int(v) for v in d["shape"]],
        "dtype": np.dtype(d["dtype"]).name,
        "scale": float(scale),
        "zero_point": int(zero_point),
    }


def io_details(model_bytes: bytes) -> dict[str, dict[str, Any]]:
    """{"input"|"output": {shape, dtype ('int8'|'float32'), scale, zero_point}} (scale 0 = float)."""
    it = _interpreter(model_bytes)
    return {"input": _tensor_info(it.get_input_details()[0]), "output": _tensor_info(it.get_output_details()[0])}


def quantize(x: np.ndarray, scale: float, zero_point: int) -> np.ndarray:
    """float -> int8 like TFLite's Quantize op: round half away from zero, then saturate."""
    q = np.asarray(x, dtype=np.float32) / np.float32(scale)
    q = np.sign(q) * np.floor(np.abs(q) + 0.5) + zero_point
    return np.clip(q, -128, 127).astype(np.int8)


def dequantize(q: np.ndarray, scale: float, zero_point: int) -> np.ndarray:
    return ((q.astype(np.int32) - zero_point) * np.float32(scale)).astype(np.float32)


def run_tflite(model_bytes: bytes, x: np.ndarray) -> np.ndarray:
    """Outputs [windows, outputs] as float32 for inputs x [windows, n] (float features).

    int8 models get their input quantized and output dequantized with the model's own scale
    and zero point, as the device library does.
    """
    x = np.asarray(x, dtype=np.float32)
    it = _interpreter(model_bytes)
    inp, out = it.get_input_details()[0], it.get_output_details()[0]
    in_scale, in_zp = inp["quantization"]
    int8_in = inp["dtype"] == np.int8
    if int8_in:
        x = quantize(x, in_scale, in_zp)
    results, allocated = [], None
    for start in range(0, len(x), BATCH):
        chunk = x[start : start + BATCH]
        if allocated != len(chunk):
            it.resize_tensor_input(inp["index"], [len(chunk), *inp["shape"][1:]])
            it.allocate_tensors()
            allocated = len(chunk)
        it.set_tensor(inp["index"], chunk)
        it.invoke()
        results.append(it.get_tensor(out["index"]).copy())
    n_out = int(np.prod(out["shape"][1:]))
    if not results:
        return np.zeros((0, n_out), dtype=np.float32)
    y = np.concatenate(results).reshape(len(x), n_out)
    if out["dtype"] == np.int8:
        scale, zp = out["quantization"]
        return dequantize(y, scale, zp)
    return y.astype(np.float32)


def per_class_metrics(cm: np.ndarray, labels: Sequence[str]) -> tuple[dict[str, dict[str, Any]], float]:
    """Precision, recall, F1 and support of each label from a confusion matrix whose first
    len(labels) columns are those labels (rows = actual); also the support-weighted F1 sum."""
    per_class, weighted = {}, 0.0
    for c, label in enumerate(labels):
        tp, predicted, support = cm[c, c], cm[:, c].sum(), cm[c, :].sum()
        precision = tp / predicted if predicted else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[label] = {
            "precision": float(precision),
            "recall": float(recall),
            "f1": float(f1),
            "support": int(support),
        }
        weighted += f1 * support
    return per_class, weighted


def classification_metrics(
    y_true: np.ndarray | Sequence[int], probs: np.ndarray, labels: Sequence[str]
) -> dict[str, Any]:
    """Accuracy, cross-entropy loss, confusion matrix (rows = actual, columns = predicted),
    per-class precision/recall/F1/support and support-weighted F1. y_true: class indices."""
    y = np.asarray(y_true, dtype=np.int64)
    probs = np.asarray(probs, dtype=np.float64)
    k = len(labels)
    pred = probs.argmax(axis=1) if len(y) else np.zeros(0, dtype=np.int64)
    cm = np.zeros((k, k), dtype=np.int64)
    np.add.at(cm, (y, pred), 1)
    eps = 1e-7
    p_true = np.clip(probs[np.arange(len(y)), y], eps, 1.0) if len(y) else np.zeros(0)
    per_class, weighted = per_class_metrics(cm, labels)
    n = len(y)
    return {
        "accuracy": float((pred == y).mean()) if n else 0.0,
        "loss": float(-np.log(p_true).mean()) if n else 0.0,
        "confusion_matrix": cm.tolist(),
        "per_class": per_class,
        "weighted_f1": float(weighted / n) if n else 0.0,
    }


def regression_metrics(y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, float]:
    """Mean squared error, mean absolute error and RMSE."""
    y = np.asarray(y_true, dtype=np.float64).reshape(-1)
    p = np.asarray(y_pred, dtype=np.float64).reshape(-1)
    err = p - y
    mse = float((err**2).mean()) if len(y) else 0.0
    return {"mse": mse, "mae": float(np.abs(err).mean()) if len(y) else 0.0, "rmse": float(np.sqrt(mse))}


def agreement(probs_a: np.ndarray, probs_b: np.ndarray) -> float:
    """Fraction of windows where both models pick the same class."""
    a, b = np.asarray(probs_a), np.asarray(probs_b)
    if len(a) == 0:
        return 1.0
    return float((a.argmax(axis=1) == b.argmax(axis=1)).mean())
