"""K-means anomaly scoring, as C for the device and as a Python reference.

score(features) = min_c (||x - center_c|| - radius_c), where x is the selected
features, standardized with (value - mean) / std when a scaling is given.
"""

from __future__ import annotations

import re

import numpy as np

from ..c_literals import NonFiniteConstantError, c_array, c_index_array
from ..templating import load_template

_PREFIX = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


class AnomalyModelError(ValueError):
    """The cluster model or its feature scaling is inconsistent."""


def score_kmeans(
    features: np.ndarray,
    centers: np.ndarray,
    radii: np.ndarray,
    feature_indices: np.ndarray,
    scale_mean: np.ndarray | None = None,
    scale_std: np.ndarray | None = None,
) -> np.ndarray:
    """Reference scorer in float32, same operation order as the C code; ``features`` is [n, f] or [f]."""
    centers, radii, indices, mean, std = _validated(centers, radii, feature_indices, scale_mean, scale_std)
    batch = np.atleast_2d(np.asarray(features, dtype=np.float32))
    x = batch[:, indices]
    if mean is not None:
        x = (x - mean) / std
    scores = np.empty((len(batch), len(centers)), dtype=np.float32)
    for c, center in enumerate(centers):
        diff = x - center
        sums = np.zeros(len(batch), dtype=np.float32)
        for i in range(diff.shape[1]):  # accumulate in the C loop's order
            sums = sums + diff[:, i] * diff[:, i]
        scores[:, c] = np.sqrt(sums) - radii[c]
    best = scores.min(axis=1)
    return best if np.ndim(features) > 1 else best[0]


def render_kmeans_c(
    centers: np.ndarray,
    radii: np.ndarray,
    feature_indices: np.ndarray,
    scale_mean: np.ndarray | None = None,
    scale_std: np.ndarray | None = None,
    prefix: str = "tf_anomaly",
) -> dict[str, str]:
    """C99 files ``<prefix>.h`` and ``<prefix>.c`` with ``float <prefix>_score(const float *features)``."""
    if not _PREFIX.match(prefix):
        raise AnomalyModelError(f"prefix {prefix!r} is not a C identifier")
    centers, radii, indices, mean, std = _validated(centers, radii, feature_indices, scale_mean, scale_std)
    try:
        arrays = [
            c_array("static const", "float", f"{prefix}_centers", centers),
            c_array("static const", "float", f"{prefix}_radii", radii),
        ]
        if mean is not None:
            arrays += [
                c_array("static const", "float", f"{prefix}_mean", mean),
                c_array("static const", "float", f"{prefix}_std", std),
            ]
    except NonFiniteConstantError as exc:
        raise AnomalyModelError(f"the anomaly model has a {exc}") from exc
    arrays.append(c_index_array(f"{prefix}_feature_index", indices))
    load = f"        x[i] = features[{prefix}_feature_index[i]];\n"
    if mean is not None:
        load = f"        x[i] = (features[{prefix}_feature_index[i]] - {prefix}_mean[i]) / {prefix}_std[i];\n"
    fields = {
        "prefix": prefix,
        "PREFIX": prefix.upper(),
        "guard": f"{prefix.upper()}_H",
        "feature_count": len(indices),
        "min_input_size": int(indices.max()) + 1,
        "cluster_count": len(centers),
    }
    return {
        f"{prefix}.h": load_template(__package__, "kmeans.h.tmpl").substitute(fields),
        f"{prefix}.c": load_template(__package__, "kmeans.c.tmpl").substitute(
            fields, arrays="\n".join(arrays), load_feature=load
        ),
    }


def _validated(centers, radii, feature_indices, scale_mean, scale_std):
    centers = np.asarray(centers, dtype=np.float32)
    radii = np.asarray(radii, dtype=np.float32).reshape(-1)
    indices = np.asarray(feature_indices, dtype=np.int64).reshape(-1)
    if centers.ndim != 2 or len(centers) == 0 or centers.shape[1] == 0:
        raise AnomalyModelError(f"centers must be [clusters, features], got shape {centers.shape}")
    if len(radii) != len(centers):
        raise AnomalyModelError(f"{len(radii)} radii for {len(centers)} clusters")
    if len(indices) != centers.shape[1]:
        raise AnomalyModelError(f"{len(indices)} feature indices for centers of {centers.shape[1]} features")
    if np.any(indices < 0):
        raise AnomalyModelError("feature indices must be non-negative")
    if (scale_mean is None) != (scale_std is None):
        raise AnomalyModelError("give both scale_mean and scale_std, or neither")
    mean = std = None
    if scale_mean is not None:
        mean = np.asarray(scale_mean, dtype=np.float32).reshape(-1)
        std = np.asarray(scale_std, dtype=np.float32).reshape(-1)
        if len(mean) != len(indices) or len(std) != len(indices):
            raise AnomalyModelError("scale_mean and scale_std need one value per selected feature")
        if np.any(std == 0):
            raise AnomalyModelError("scale_std has a zero: that feature cannot be standardized")
    return centers, radii, indices, mean, std
