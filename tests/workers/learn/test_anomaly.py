"""K-means anomaly detection: scores, feature selection and the JSON model."""

from __future__ import annotations

import json

import numpy as np
import pytest

from workers.learn.anomaly import KMeansModel, fit_kmeans
from workers.learn.errors import TrainingDataError


def blobs(seed=0, n=100):
    rng = np.random.default_rng(seed)
    centers = np.array([[0.0, 0.0, 5.0], [10.0, 0.0, -5.0], [0.0, 10.0, 0.0]])
    return np.concatenate([c + rng.normal(0, 0.5, (n, 3)) for c in centers])


def test_training_windows_score_inside_and_far_outliers_outside():
    x = blobs()
    model = fit_kmeans(x, k=3, seed=1)
    assert (model.score(x) <= 0).all()
    assert (model.score(np.array([[0.2, 0.1, 5.1], [10, 0.1, -5]])) < 0).all()
    assert (model.score(np.array([[30.0, 30.0, 30.0], [-20.0, 5.0, 0.0]])) > 0).all()


def test_lower_radius_percentile_tightens_the_boundary():
    x = blobs()
    loose, tight = fit_kmeans(x, k=3, seed=1), fit_kmeans(x, k=3, seed=1, radius_percentile=90)
    assert (tight.radii < loose.radii).all()
    assert 0.05 < (tight.score(x) > 0).mean() < 0.15


def test_only_the_selected_features_count():
    x = blobs()
    noisy = np.concatenate([x, np.random.default_rng(1).normal(0, 100, (len(x), 1))], axis=1)
    model = fit_kmeans(noisy, k=3, seed=1, feature_indices=[0, 1, 2])
    probe = np.array([[0.0, 0.0, 5.0, 1e6]])
    assert model.score(probe)[0] < 0
    assert model.centers.shape == (3, 3) and model.mean.shape == (3,)


def test_json_round_trip_gives_identical_scores():
    x = blobs()
    model = fit_kmeans(x, k=5, seed=2, feature_indices=[0, 2])
    again = KMeansModel.from_json(json.loads(json.dumps(model.to_json())))
    probes = np.random.default_rng(3).normal(0, 8, (200, 3))
    assert np.array_equal(model.score(probes), again.score(probes))


def test_constant_feature_does_not_divide_by_zero():
    x = np.column_stack([blobs()[:, 0], np.ones(300)])
    model = fit_kmeans(x, k=2, seed=1)
    assert np.isfinite(model.score(x)).all() and model.std[1] == 1.0


def test_same_seed_same_model():
    x = blobs()
    assert fit_kmeans(x, 4, 7).to_json() == fit_kmeans(x, 4, 7).to_json()


@pytest.mark.parametrize(
    "x, k, kwargs, message",
    [
        (np.zeros((0, 3)), 2, {}, "No training data"),
        (np.zeros((5, 3)), 32, {}, "Only 5 training windows for 32 clusters"),
        (np.zeros((50, 3)), 2, {"feature_indices": [3]}, "Feature 3 does not exist"),
        (np.full((50, 3), np.nan), 2, {}, "NaN"),
    ],
)
def test_impossible_anomaly_jobs_say_why(x, k, kwargs, message):
    with pytest.raises(TrainingDataError, match=message):
        fit_kmeans(x, k, 1, **kwargs)
