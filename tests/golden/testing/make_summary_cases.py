"""Writes summary_cases.json: per-window test results and the summary the server computes from them
at several thresholds. The studio's metrics module (frontend/src/lib/testMetrics.ts) must give the
same numbers (its vitest reads this file); tests/workers/pipeline/test_testing_summary.py checks
the file is still what this script writes.

    PYTHONPATH=. python tests/golden/testing/make_summary_cases.py
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
LABELS = ["idle", "wave", "circle"]
THRESHOLDS = [0.0, 0.5, 0.6, 0.85]
ANOMALY_THRESHOLDS = [None, 0.0, 0.4]


def per_window() -> dict:
    rng = np.random.default_rng(12)
    n = 40
    truth = [LABELS[i % 3] for i in range(n)]
    truth[7] = "unknown"  # a label the model was not trained on: left out of the summary
    scores = []
    for i, label in enumerate(truth):
        p = rng.dirichlet([1.0, 1.0, 1.0])
        if label in LABELS and i % 4:
            p = 0.35 * p + 0.65 * np.eye(3)[LABELS.index(label)]
        scores.append([round(float(x), 6) for x in p])
    scores[3] = [0.5, 0.5, 0.0]  # a tie: the first label wins
    scores[4] = [0.2, 0.6, 0.2]  # exactly at the 0.6 threshold: decided
    return {
        "sample_id": [100 + i // 4 for i in range(n)],
        "start_ms": [500.0 * (i % 4) for i in range(n)],
        "label": truth,
        "anomaly": [round(float(x), 6) for x in rng.normal(-0.3, 0.5, n)],
        "scores": {"int8": scores, "float32": [list(reversed(s)) for s in scores]},
    }


def main() -> None:
    from workers.pipeline.testing_summary import summarize

    windows = per_window()
    cases = [
        {
            "variant": v,
            "threshold": t,
            "anomaly_threshold": a,
            "summary": summarize(windows, v, LABELS, t, a),
        }
        for v in ("int8", "float32")
        for t in THRESHOLDS
        for a in ANOMALY_THRESHOLDS
    ]
    doc = {"labels": LABELS, "per_window": windows, "cases": cases}
    (HERE / "summary_cases.json").write_text(json.dumps(doc, indent=1) + "\n")


if __name__ == "__main__":
    main()
