"""K-means anomaly detection (the kmeans-anomaly learning block).

The selected features are standardised with the training mean/std, clustered with K-means, and
each cluster gets a radius: a percentile (default 100 = the farthest member) of its members'
distances to the center. A window's score is min over clusters of (distance - radius): negative
inside a cluster, positive outside. We default to the farthest member so every training window
scores <= 0, the behaviour users expect; a lower percentile tightens boundaries against outliers
in the training data. The model is plain numbers so the C scorer can reproduce it.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from workers.learn.errors import TrainingDataError

FORMAT_VERSION = 1


@dataclass(frozen=True)
class KMeansModel:
    centers: np.ndarray  # [k, f] float32, in standardised units
    radii: np.ndarray  # [k] float32
    feature_indices: list[int]  # positions of the used features in the full feature vector
    mean: np.ndarray  # [f] float32
    std: np.ndarray  # [f] float32, never 0 (constant features use 1)

    def standardise(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=np.float64)
        if x.ndim == 1:
            x = x[None, :]
        return (x[:, self.feature_indices] - self.mean.astype(np.float64)) / self.std.astype(np.float64)

    def distances(self, x: np.ndarray) -> np.ndarray:
        """[windows, k] Euclidean distances to the centers, in standardised units."""
        z = self.standardise(x)
        diff = z[:, None, :] - self.centers.astype(np.float64)[None, :, :]
        return np.sqrt((diff * diff).sum(axis=2))

    def score(self, x: np.ndarray) -> np.ndarray:
        """Anomaly score per window (full feature vectors): distance to the nearest cluster boundary."""
        return (self.distances(x) - self.radii.astype(np.float64)[None, :]).min(axis=1)

    def to_json(self) -> dict[str, Any]:
        return {
            "type": "kmeans-anomaly",
            "format_version": FORMAT_VERSION,
            "feature_indices": list(self.feature_indices),
            "mean": [float(v) for v in self.mean],
            "std": [float(v) for v in self.std],
            "centers": [[float(v) for v in row] for row in self.centers],
            "radii": [float(v) for v in self.radii],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> KMeansModel:
        if data.get("type") != "kmeans-anomaly" or data.get("format_version") != FORMAT_VERSION:
            raise ValueError("not a kmeans-anomaly model of a known format version")
        return cls(
            centers=np.asarray(data["centers"], dtype=np.float32).reshape(len(data["radii"]), -1),
            radii=np.asarray(data["radii"], dtype=np.float32),
            feature_indices=[int(i) for i in data["feature_indices"]],
            mean=np.asarray(data["mean"], dtype=np.float32),
            std=np.asarray(data["std"], dtype=np.float32),
        )


def fit_kmeans(
    x: np.ndarray,
    k: int = 32,
    seed: int = 1,
    *,
    feature_indices: Sequence[int] | None = None,
    radius_percentile: float = 100.0,
) -> KMeansModel:
    """Cluster the (normal) training windows x [windows, features] into k clusters."""
    from sklearn.cluster import KMeans  # keeps `import workers.learn.anomaly` light

    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2 or len(x) == 0:
        raise TrainingDataError("No training data for anomaly detection: add samples and generate features first.")
    if not np.isfinite(x).all():
        raise TrainingDataError("Features contain NaN or infinite values: check the processing block's output.")
    indices = list(range(x.shape[1])) if not feature_indices else [int(i) for i in feature_indices]
    bad = [i for i in indices if not 0 <= i < x.shape[1]]
    if bad:
        raise TrainingDataError(f"Feature {bad[0]} does not exist: the input has {x.shape[1]} features.")
    if k < 1:
        raise TrainingDataError("Anomaly detection needs at least 1 cluster.")
    if len(x) < k:
        raise TrainingDataError(
            f"Only {len(x)} training windows for {k} clusters: add data or lower the cluster count."
        )
    sel = x[:, indices]
    # Round the stored normalisation to float32 first so Python and the C scorer agree exactly.
    mean = sel.mean(axis=0).astype(np.float32)
    std = sel.std(axis=0).astype(np.float32)
    std[std == 0] = 1.0
    z = (sel - mean.astype(np.float64)) / std.astype(np.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "fewer distinct clusters than k" on duplicate points
        km = KMeans(n_clusters=k, n_init=4, random_state=seed).fit(z)
    centers = km.cluster_centers_.astype(np.float32)
    dist = np.sqrt(((z[:, None, :] - centers.astype(np.float64)[None]) ** 2).sum(axis=2))
    radii = np.zeros(k, dtype=np.float32)
    for c in range(k):
        members = dist[km.labels_ == c, c]
        if len(members):
            radii[c] = np.float32(np.percentile(members, radius_percentile))
    # Round up by one float32 step so the farthest member still scores <= 0 after float32 rounding.
    radii = np.nextafter(radii, np.float32(np.inf)).astype(np.float32) if radius_percentile >= 100 else radii
    return KMeansModel(centers=centers, radii=radii, feature_indices=indices, mean=mean, std=std)
