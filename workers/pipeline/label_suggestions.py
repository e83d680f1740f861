"""Label suggestions for unlabeled samples: each unlabeled window asks its nearest labeled windows
(kNN in standardised feature space) for their labels; a sample's votes are the mean over its
windows. Unlabeled samples are clustered (k-means on their mean feature vectors, k chosen by
silhouette), and each cluster is split by the label its samples' neighbours propose, so a group the
user accepts at once never mixes two proposals."""

from __future__ import annotations

from typing import Any

import numpy as np

NEIGHBOURS = 7


def _votes(z: np.ndarray, label_index: np.ndarray, n_labels: int, k: int) -> np.ndarray:
    """[unlabeled windows, n_labels]: the share of each label among the k nearest labeled windows."""
    from sklearn.neighbors import NearestNeighbors

    labeled = label_index >= 0
    k = min(k, int(labeled.sum()))
    nn = NearestNeighbors(n_neighbors=k).fit(z[labeled])
    _, idx = nn.kneighbors(z[~labeled])
    neighbour_labels = label_index[labeled][idx]  # [u, k]
    votes = np.zeros((len(idx), n_labels))
    for j in range(k):
        np.add.at(votes, (np.arange(len(idx)), neighbour_labels[:, j]), 1.0)
    return votes / k


def _clusters(points: np.ndarray, max_k: int, seed: int) -> np.ndarray:
    """Cluster ids of `points` (one per unlabeled sample), k-means with the best silhouette."""
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    m = len(points)
    if m <= 2:
        return np.arange(m)
    best, best_score = np.zeros(m, dtype=int), -2.0
    for k in range(2, min(m - 1, max_k) + 1):
        ids = KMeans(n_clusters=k, n_init=4, random_state=seed).fit_predict(points)
        if len(set(ids.tolist())) < 2:
            continue
        # On a bounded subset: the full score is quadratic in the number of samples.
        score = silhouette_score(points, ids, sample_size=min(m, 1000), random_state=seed)
        if score > best_score:
            best, best_score = ids, score
    return best


def suggest_labels(
    z: np.ndarray,
    label_index: np.ndarray,
    labels: list[str],
    sample_ids: np.ndarray,
    k: int = NEIGHBOURS,
    seed: int = 0,
) -> dict[str, Any]:
    """Groups of unlabeled samples with a proposed label and a confidence (0..1, the mean share
    of neighbour votes for that label). `z` are standardised features, one row per window."""
    unlabeled = label_index < 0
    unlabeled_ids = np.unique(sample_ids[unlabeled])
    out: dict[str, Any] = {"unlabeled_samples": int(len(unlabeled_ids)), "neighbours": 0, "groups": []}
    if len(unlabeled_ids) == 0 or not labels or not (label_index >= 0).any():
        return out
    votes = _votes(z, label_index, len(labels), k)
    out["neighbours"] = int(min(k, int((label_index >= 0).sum())))
    window_sample = sample_ids[unlabeled]
    order = np.searchsorted(unlabeled_ids, window_sample)
    counts = np.bincount(order, minlength=len(unlabeled_ids)).astype(np.float64)
    sample_votes = np.zeros((len(unlabeled_ids), len(labels)))
    np.add.at(sample_votes, order, votes)
    sample_votes /= counts[:, None]
    means = np.zeros((len(unlabeled_ids), z.shape[1]))
    np.add.at(means, order, z[unlabeled])
    means /= counts[:, None]
    cluster = _clusters(means, max_k=2 * len(labels) + 2, seed=seed)
    proposal = sample_votes.argmax(axis=1)
    groups: dict[tuple[int, int], list[int]] = {}
    for i in range(len(unlabeled_ids)):
        groups.setdefault((int(cluster[i]), int(proposal[i])), []).append(i)
    for n, ((c, lab), members) in enumerate(sorted(groups.items())):
        conf = sample_votes[members, lab]
        out["groups"].append(
            {
                "group": n,
                "cluster": c,
                "label": labels[lab],
                "confidence": round(float(conf.mean()), 4),
                "sample_ids": [int(unlabeled_ids[i]) for i in members],
                "sample_confidences": [round(float(x), 4) for x in conf],
                "windows": int(counts[members].sum()),
            }
        )
    out["groups"].sort(key=lambda g: (-g["confidence"], g["group"]))
    return out
