"""Feature explorer: the feature vectors reduced to 2-D and 3-D for plotting, each point linked
back to its sample and window, plus label suggestions for the unlabeled samples.

PCA on standardised features always (2-D and 3-D); t-SNE from scikit-learn for the 2-D map when
asked and there are enough windows (UMAP would add numba's seconds of import and a large install
for little gain on the small feature sets of sensor data)."""

from __future__ import annotations

from typing import Any

import numpy as np

from workers.pipeline.features import CATEGORY_CODES, FeatureSet
from workers.pipeline.label_suggestions import suggest_labels

MAX_POINTS = 10_000
MAX_TSNE_POINTS = 2_000  # t-SNE grows faster than linearly: a bounded subset keeps the job short
MIN_TSNE_WINDOWS = 50  # below this, t-SNE's neighbourhoods mean little: PCA is shown instead
METHODS = ("auto", "pca", "tsne")


def standardise(x: np.ndarray) -> np.ndarray:
    x = x.astype(np.float64)
    std = x.std(axis=0)
    return (x - x.mean(axis=0)) / np.where(std > 0, std, 1.0)


def resolve_method(method: str, n: int) -> str:
    """The 2-D method actually used: 'auto' picks t-SNE from MIN_TSNE_WINDOWS windows on."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}: use one of {', '.join(METHODS)}")
    if method == "auto":
        return "tsne" if n >= MIN_TSNE_WINDOWS else "pca"
    if method == "tsne" and n < MIN_TSNE_WINDOWS:
        return "pca"
    return method


def pca_coords(z: np.ndarray, rows: np.ndarray, dims: int, seed: int) -> tuple[np.ndarray, list[float]]:
    from sklearn.decomposition import PCA

    n = len(z)
    k = min(dims, z.shape[1], max(n, 1))
    if n >= 2 and k >= 1:
        pca = PCA(n_components=k, random_state=seed).fit(z)
        coords, variance = pca.transform(z[rows]), pca.explained_variance_ratio_.tolist()
    else:
        coords, variance = np.zeros((len(rows), k)), [0.0] * k
    if k < dims:  # fewer features than dimensions: pad with zeros so every point has dims coords
        coords = np.hstack([coords, np.zeros((len(rows), dims - k))])
    return coords, variance


def tsne_coords(z: np.ndarray, seed: int) -> np.ndarray:
    from sklearn.decomposition import PCA
    from sklearn.manifold import TSNE

    n = len(z)
    # PCA to at most 30 dimensions first (the usual t-SNE recipe: faster, less noise).
    if z.shape[1] > 30:
        z = PCA(n_components=30, random_state=seed).fit_transform(z)
    perplexity = float(min(30.0, max(2.0, (n - 1) / 3.0)))
    tsne = TSNE(n_components=2, perplexity=perplexity, init="pca", max_iter=500, random_state=seed)
    return tsne.fit_transform(z)


def explore(
    fs: FeatureSet, method: str = "pca", max_points: int = MAX_POINTS, seed: int = 0, progress=None
) -> dict[str, Any]:
    """Coordinates of up to `max_points` windows (a fixed random subset beyond): `points2d` and
    `points3d` by PCA, `embedding2d` by t-SNE when that method is used (else None), and label
    suggestions for the unlabeled samples computed on all windows."""
    from threadpoolctl import threadpool_limits

    # One thread: OpenMP's spinning threads slow t-SNE and k-means tenfold on a busy shared machine.
    with threadpool_limits(limits=1):
        return _explore(fs, method, max_points, seed, progress)


def _explore(fs: FeatureSet, method: str, max_points: int, seed: int, progress) -> dict[str, Any]:
    n = len(fs.features)
    used = resolve_method(method, n)
    limit = min(max_points, MAX_TSNE_POINTS) if used == "tsne" else max_points
    rows = np.arange(n) if n <= limit else np.sort(np.random.default_rng(seed).choice(n, limit, False))
    z = standardise(fs.features)
    out: dict[str, Any] = {
        "method": used,
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
        coords, variance = pca_coords(z, rows, dims, seed)
        out[f"points{dims}d"] = np.round(coords, 5).tolist()
        out[f"explained_variance{dims}d"] = variance
    if progress:
        progress(0.3, f"PCA done; {'t-SNE of ' + str(len(rows)) + ' windows' if used == 'tsne' else 'no t-SNE'}")
    out["embedding2d"] = np.round(tsne_coords(z[rows], seed), 5).tolist() if used == "tsne" else None
    if progress:
        progress(0.8, "suggesting labels for unlabeled samples")
    out["suggestions"] = suggest_labels(z, fs.label_index, fs.labels, fs.sample_ids, seed=seed)
    return out
