"""Model testing: the whole trained impulse over the test set, per window and per sample."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from workers.pipeline.features import LoadValues, SampleInfo
from workers.pipeline.inference import TrainedImpulseModel, majority
from workers.pipeline.testing_summary import SCORE_DIGITS, classification_report, summarize
from workers.pipeline.variants import int8_gap_warnings


def _classification_report(actual: list[str], predicted: list[str], labels: list[str]) -> dict[str, Any]:
    """Accuracy ('uncertain' counts as wrong), confusion matrix (rows actual, columns labels + uncertain), F1."""
    return classification_report(actual, predicted, labels)


def run_test_set(
    samples: list[SampleInfo],
    load_values: LoadValues,
    model: TrainedImpulseModel,
    threshold: float = 0.6,
    *,
    chunk: int = 1024,
    load_batch: int = 32,
    progress: Callable[[float], None] | None = None,
    compare: TrainedImpulseModel | None = None,
) -> dict[str, Any]:
    """Run every test sample through the impulse; per-window and per-sample results and metrics.

    compare: the other variant of the same classifier; its window accuracy goes beside this one's
    (`variant_accuracy`), with a warning when int8 falls clearly below float32.

    `per_window` keeps each window compactly as columns (sample id, start, true label, anomaly
    score, scores per label of every variant run), enough to recompute `summary` at any threshold.
    """
    rt = model.runtime
    compared: list[list[float]] = []  # the other variant's window scores
    windows_out: list[dict[str, Any]] = []
    samples_out: list[dict[str, Any]] = []
    for b in range(0, len(samples), load_batch):
        batch = samples[b : b + load_batch]
        values = load_values([s.id for s in batch])
        for s in batch:
            signal = rt.signal(values.pop(s.id), s.sensors, s.interval_ms)
            starts = rt.window_starts(signal.shape[0])
            feats = (
                np.concatenate([rt.features(w) for w in rt.iter_windows(signal, chunk)])
                if starts.size
                else np.zeros((0, rt.n_features), np.float32)
            )
            results = model.window_results(feats, threshold)
            if compare is not None:
                compared += [list(r["classification"].values()) for r in compare.window_results(feats, threshold)]
            for start, r in zip(starts, results, strict=False):
                windows_out.append(
                    {"sample_id": s.id, "start_ms": float(start * 1000.0 / rt.frequency_hz), "label": s.label, **r}
                )
            entry: dict[str, Any] = {"sample_id": s.id, "label": s.label, "windows": len(results)}
            if model.kind == "keras-classifier":
                entry["prediction"] = majority([r["prediction"] for r in results])
            elif model.kind == "keras-regression" and results:
                entry["value"] = float(np.mean([r["value"] for r in results]))
            if results and model.anomaly is not None:
                entry["anomaly_max"] = max(r["anomaly"] for r in results)
            samples_out.append(entry)
        if progress:
            progress(min(1.0, (b + len(batch)) / max(len(samples), 1)))
    result: dict[str, Any] = {
        "threshold": threshold,
        "labels": model.labels,
        "variant": model.variant,
        "samples": samples_out,
        "windows": windows_out,
        "warnings": [],
    }
    per_window = _per_window(windows_out, model, compare, compared)
    if per_window:
        result["per_window"] = per_window
    if model.kind == "keras-classifier":
        summary = {v: summarize(per_window, v, model.labels, threshold) for v in per_window["scores"]}
        result["summary"] = summary
        result["metrics"] = summary[model.variant]
        known_s = [s for s in samples_out if s["label"] in model.labels]
        result["sample_metrics"] = classification_report(
            [s["label"] for s in known_s], [s["prediction"] for s in known_s], model.labels
        )
        result["unknown_label_windows"] = len(windows_out) - result["metrics"]["windows"]
        if compare is not None:
            result["variant_accuracy"] = {v: m["accuracy"] for v, m in summary.items()}
            result["warnings"] = int8_gap_warnings(result["variant_accuracy"], "test")
    elif model.kind == "keras-regression":
        pairs = [(float(w["label"]), w["value"]) for w in windows_out if _is_number(w["label"])]
        err = np.array([p - t for t, p in pairs]) if pairs else np.zeros(0)
        result["metrics"] = {
            "mse": float((err**2).mean()) if len(err) else 0.0,
            "mae": float(np.abs(err).mean()) if len(err) else 0.0,
            "windows": len(err),
        }
    return result


def _per_window(
    windows: list[dict[str, Any]],
    model: TrainedImpulseModel,
    compare: TrainedImpulseModel | None,
    compared: list[list[float]],
) -> dict[str, Any]:
    """The windows as columns; {} when there is nothing per label or anomaly to keep."""
    out: dict[str, Any] = {}
    if model.kind == "keras-classifier":
        scores = {model.variant: [list(w["classification"].values()) for w in windows]}
        if compare is not None:
            scores[compare.variant] = compared
        out["scores"] = scores
    if model.anomaly is not None:
        out["anomaly"] = [round(w["anomaly"], SCORE_DIGITS) for w in windows]
    if not out:
        return out
    return {
        "sample_id": [w["sample_id"] for w in windows],
        "start_ms": [w["start_ms"] for w in windows],
        "label": [w["label"] for w in windows],
        **out,
    }


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False
