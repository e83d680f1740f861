"""Metrics and int8 (de)quantization, checked by hand and against scikit-learn."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import confusion_matrix, f1_score, log_loss, precision_recall_fscore_support

from workers.optimize.evaluate import agreement, classification_metrics, dequantize, quantize, regression_metrics


def one_hot_probs(pred, k, p=0.7):
    probs = np.full((len(pred), k), (1 - p) / (k - 1))
    probs[np.arange(len(pred)), pred] = p
    return probs


def test_small_case_computed_by_hand():
    # actual:    a a a b b c
    # predicted: a a b b c c
    y = [0, 0, 0, 1, 1, 2]
    m = classification_metrics(y, one_hot_probs(np.array([0, 0, 1, 1, 2, 2]), 3), ["a", "b", "c"])
    assert m["confusion_matrix"] == [[2, 1, 0], [0, 1, 1], [0, 0, 1]]
    assert m["accuracy"] == pytest.approx(4 / 6)
    a, b, c = (m["per_class"][k] for k in "abc")
    assert (a["precision"], a["recall"], a["support"]) == (1.0, pytest.approx(2 / 3), 3)
    assert a["f1"] == pytest.approx(0.8)
    assert (b["precision"], b["recall"], b["f1"]) == (0.5, 0.5, 0.5)
    assert (c["precision"], c["recall"], c["f1"]) == (0.5, 1.0, pytest.approx(2 / 3))
    assert m["weighted_f1"] == pytest.approx((3 * 0.8 + 2 * 0.5 + 1 * 2 / 3) / 6)
    assert m["loss"] == pytest.approx(-(4 * np.log(0.7) + 2 * np.log(0.15)) / 6)


def test_a_class_never_predicted_has_zero_precision_not_nan():
    m = classification_metrics([0, 1], one_hot_probs(np.array([0, 0]), 2), ["a", "b"])
    assert m["per_class"]["b"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}


def test_metrics_agree_with_scikit_learn():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 5, 400)
    probs = rng.dirichlet(np.ones(5), 400)
    probs[np.arange(400), y] += rng.uniform(0, 1, 400)
    probs /= probs.sum(axis=1, keepdims=True)
    labels = list("vwxyz")
    m = classification_metrics(y, probs, labels)
    pred = probs.argmax(axis=1)
    assert m["confusion_matrix"] == confusion_matrix(y, pred, labels=range(5)).tolist()
    p, r, f, s = precision_recall_fscore_support(y, pred, labels=range(5), zero_division=0)
    for i, label in enumerate(labels):
        got = m["per_class"][label]
        assert (got["precision"], got["recall"], got["f1"], got["support"]) == pytest.approx((p[i], r[i], f[i], s[i]))
    assert m["weighted_f1"] == pytest.approx(f1_score(y, pred, average="weighted"))
    assert m["loss"] == pytest.approx(log_loss(y, probs, labels=range(5)))


def test_agreement_is_the_fraction_of_equal_argmax():
    a = one_hot_probs(np.array([0, 1, 2, 2]), 3)
    b = one_hot_probs(np.array([0, 1, 1, 2]), 3)
    assert agreement(a, b) == 0.75


def test_regression_metrics():
    m = regression_metrics([1.0, 2.0, 3.0], [1.5, 2.0, 1.0])
    assert m == pytest.approx({"mse": (0.25 + 4) / 3, "mae": 2.5 / 3, "rmse": np.sqrt(4.25 / 3)})


def test_quantize_rounds_half_away_from_zero_and_saturates():
    q = quantize(np.array([0.5, 1.5, -0.5, -1.5, 0.49, 1000.0, -1000.0]), scale=1.0, zero_point=0)
    assert q.tolist() == [1, 2, -1, -2, 0, 127, -128]
    assert quantize(np.array([0.25]), scale=0.5, zero_point=-3).tolist() == [-2]
    assert dequantize(np.array([-2], dtype=np.int8), 0.5, -3).tolist() == [0.5]
