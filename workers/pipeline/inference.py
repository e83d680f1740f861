"""A trained impulse ready to run: windows -> DSP -> int8 or float32 model -> anomaly score (no TensorFlow)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np

from workers.learn.anomaly import KMeansModel
from workers.learn.normalization import FeatureNormalization, normalize
from workers.optimize.evaluate import run_tflite
from workers.pipeline.impulse import ImpulseRuntime
from workers.pipeline.testing_summary import SCORE_DIGITS, UNCERTAIN, window_decision


@dataclass
class TrainedImpulseModel:
    runtime: ImpulseRuntime
    labels: list[str]
    kind: str | None  # keras-classifier | keras-regression | None (anomaly only)
    model: bytes | None  # the .tflite of `variant`
    nn_indices: np.ndarray | None
    anomaly: KMeansModel | None
    variant: str = "int8"
    normalization: FeatureNormalization | None = None  # None: trained before features were normalised

    @classmethod
    def from_training(
        cls, result: dict[str, Any], model: bytes | None, anomaly_json: bytes | None, variant: str = "int8"
    ) -> TrainedImpulseModel:
        """From an impulse.train job's result and its artifacts (`model`: the variant's .tflite)."""
        learning = result.get("learning")
        return cls(
            runtime=ImpulseRuntime(result["impulse"]),
            labels=list(result.get("labels") or []),
            kind=learning["type"] if learning else None,
            model=model,
            nn_indices=np.asarray(learning["feature_indices"], np.int64) if learning else None,
            anomaly=KMeansModel.from_json(json.loads(anomaly_json)) if anomaly_json else None,
            variant=variant,
            normalization=FeatureNormalization.from_json((learning or {}).get("normalization")),
        )

    def run(self, features: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        """(model outputs [k, classes or 1] float32 or None, anomaly scores [k] or None)."""
        outputs = None
        if self.model is not None and self.nn_indices is not None:
            outputs = run_tflite(self.model, normalize(features[:, self.nn_indices], self.normalization))
        scores = self.anomaly.score(features) if self.anomaly is not None else None
        return outputs, scores

    def window_results(self, features: np.ndarray, threshold: float) -> list[dict[str, Any]]:
        """Per window: scores per label (or the predicted value), the decision, the anomaly score."""
        outputs, anomaly = self.run(features)
        out = []
        for i in range(len(features)):
            r: dict[str, Any] = {}
            if outputs is not None and self.kind == "keras-classifier":
                # Decided on the rounded scores that are stored, so a summary recomputed from them agrees.
                probs = [round(float(p), SCORE_DIGITS) for p in outputs[i]]
                r["classification"] = dict(zip(self.labels, probs, strict=False))
                r["prediction"] = window_decision(probs, self.labels, threshold)
                r["top_score"] = max(probs)
            elif outputs is not None:
                r["value"] = float(outputs[i, 0])
            if anomaly is not None:
                r["anomaly"] = float(anomaly[i])
            out.append(r)
        return out


def majority(predictions: list[str]) -> str:
    """A sample's label: the most frequent window prediction; 'uncertain' on a tie or when it wins."""
    if not predictions:
        return UNCERTAIN
    names, counts = np.unique(np.asarray(predictions, dtype=object).astype(str), return_counts=True)
    best = counts.max()
    winners = names[counts == best]
    return str(winners[0]) if len(winners) == 1 else UNCERTAIN
