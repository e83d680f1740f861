"""Feature explorer: the feature vectors reduced to 2-D and 3-D for plotting, each point linked
back to its sample and window. PCA on standardised features (UMAP costs seconds of import and
fitting for little gain on the small feature sets of motion data)."""

from __future__ import annotations

from typing import Any

import numpy as np

from workers.pipeline.features import CATEGORY_CODES, FeatureSet

MAX_POINTS = 10_000


def explore(fs: FeatureSet, max_points: int = MAX_POINTS, seed: int = 0) -> dict[str, Any]:
    """PCA 2-D and 3-D coordinates of up to `max_points` windows (a fixed random subset beyond)."""
    from sklearn.decomposition import PCA

    n = len(fs.features)
    rows = np.arange(n) if n <= max_points else np.sort(np.random.default_rng(seed).choice(n, max_points, False))
    x = fs.features.astype(np.float64)
    std = x.std(axis=0)
    z = (x - x.mean(axis=0)) / np.where(std > 0, std, 1.0)
    out: dict[str, Any] = {
        "method": "pca",
        "windows": int(n),
        "shown": int(len(rows)),
        "labels": fs.labels,
        "categories": list(CATEGORY_CODES),
        "sample_ids": fs.sample_ids[rows].tolist(),
        "window_start_ms": np.round(fs.window_start_ms()[rows], 3).tolist(),
        "label_index": fs.label_index[rows].tolist(),
        "category_index": fs.categories[rows].tolist(),
    }
    for dims in (2, 3):
        k = min(dims, z.shape[1], max(n, 1))
        if n >= 2 and k >= 1:
            pca = PCA(n_components=k, random_state=seed).fit(z)
            coords = pca.transform(z[rows])
            variance = pca.explained_variance_ratio_.tolist()
        else:
            coords, variance = np.zeros((len(rows), k)), [0.0] * k
        if k < dims:  # fewer features than dimensions: pad with zeros so every point has dims coords
            coords = np.hstack([coords, np.zeros((len(rows), dims - k))])
        out[f"points{dims}d"] = np.round(coords, 5).tolist()
        out[f"explained_variance{dims}d"] = variance
    return out
