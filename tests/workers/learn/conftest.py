"""Synthetic data for the learning tests: well-separated Gaussian classes."""

from __future__ import annotations

import numpy as np
import pytest


def _gaussian_classes(n_per_class: int = 100, dims: int = 33, classes: int = 4, seed: int = 0):
    rng = np.random.default_rng(seed)
    centers = rng.normal(0, 3, (classes, dims))
    y = np.repeat(np.arange(classes), n_per_class)
    x = (centers[y] + rng.normal(size=(len(y), dims))).astype(np.float32)
    return x, y


@pytest.fixture
def gaussian_classes():
    """Factory: (x [n, dims] float32, y class indices) for `classes` blobs far apart."""
    return _gaussian_classes
