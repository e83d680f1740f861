"""The test summary from stored per-window scores: one definition, the same as the studio's
(frontend/src/lib/testMetrics.ts), so moving its thresholds in the browser never needs a new job.

A window's decision: 'anomaly' when an anomaly threshold is set and its anomaly score is above it;
else the first label with the highest score if that score >= the confidence threshold; else
'uncertain'. Accuracy counts 'uncertain' and 'anomaly' as wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from workers.optimize.evaluate import per_class_metrics

UNCERTAIN = "uncertain"
ANOMALY = "anomaly"
SCORE_DIGITS = 6  # scores are stored rounded; decisions are taken on the stored numbers


def window_decision(
    scores: Sequence[float],
    labels: Sequence[str],
    threshold: float,
    anomaly: float | None = None,
    anomaly_threshold: float | None = None,
) -> str:
    if anomaly_threshold is not None and anomaly is not None and anomaly > anomaly_threshold:
        return ANOMALY
    top = max(range(len(scores)), key=lambda i: (scores[i], -i))  # the first of equal maxima
    return labels[top] if scores[top] >= threshold else UNCERTAIN


def classification_report(
    actual: Sequence[str], predicted: Sequence[str], labels: list[str], extra: Sequence[str] = ()
) -> dict[str, Any]:
    """Accuracy ('uncertain' and `extra` columns count as wrong), the share of uncertain windows,
    confusion matrix (rows actual, columns labels + uncertain + extra), per-class scores, weighted F1."""
    cols = labels + [UNCERTAIN, *extra]
    cm = np.zeros((len(labels), len(cols)), dtype=np.int64)
    for a, p in zip(actual, predicted, strict=False):
        cm[labels.index(a), cols.index(p)] += 1
    n = int(cm.sum())
    per_class, weighted = per_class_metrics(cm, labels)
    report = {
        "accuracy": float(np.trace(cm[:, : len(labels)]) / n) if n else 0.0,
        "uncertain": float(cm[:, len(labels)].sum() / n) if n else 0.0,
        "confusion_matrix": {"labels": labels, "columns": cols, "matrix": cm.tolist()},
        "per_class": per_class,
        "weighted_f1": float(weighted / n) if n else 0.0,
        "windows": n,
    }
    if ANOMALY in extra:
        report["anomalous"] = float(cm[:, cols.index(ANOMALY)].sum() / n) if n else 0.0
    return report


def summarize(
    per_window: dict[str, Any],
    variant: str,
    labels: list[str],
    threshold: float,
    anomaly_threshold: float | None = None,
) -> dict[str, Any]:
    """The window summary of one variant from the stored per-window columns (see run_test_set);
    windows whose true label the model does not know are left out."""
    anomaly = per_window.get("anomaly")
    use_anomaly = anomaly_threshold is not None and anomaly is not None
    actual, predicted = [], []
    for i, (label, scores) in enumerate(zip(per_window["label"], per_window["scores"][variant], strict=True)):
        if label not in labels:
            continue
        actual.append(label)
        predicted.append(
            window_decision(scores, labels, threshold, anomaly[i] if use_anomaly else None, anomaly_threshold)
        )
    return classification_report(actual, predicted, labels, (ANOMALY,) if use_anomaly else ())
