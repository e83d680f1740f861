"""optimize_and_evaluate: both variants converted and measured on the validation set."""

from __future__ import annotations

import numpy as np

from workers.optimize.pipeline import optimize_and_evaluate


def test_int8_keeps_the_float_accuracy(classifier):
    result, (xt, _yt, xv, yv) = classifier
    out = optimize_and_evaluate(result.model, xt, xv, yv, result.labels, normalization=result.normalization)
    f, q = out["float32"], out["int8"]
    assert f["metrics"]["accuracy"] >= 0.95
    assert abs(q["metrics"]["accuracy"] - f["metrics"]["accuracy"]) <= 0.03
    assert out["int8_float_agreement"] >= 0.95
    assert len(q["tflite"]) < len(f["tflite"])
    assert q["io"]["input"]["dtype"] == "int8" and f["io"]["input"]["dtype"] == "float32"
    assert set(q["metrics"]["per_class"]) == set(result.labels)


def test_regression_models_get_regression_metrics():
    from workers.learn.regression import train_regression

    rng = np.random.default_rng(2)
    x = rng.normal(size=(200, 6)).astype(np.float32)
    y = x @ np.arange(1.0, 7.0)
    trained = train_regression(x[:160], y[:160], x[160:], y[160:], {"epochs": 30, "learning_rate": 0.01})
    out = optimize_and_evaluate(trained.model, x[:160], x[160:], y[160:], None, normalization=trained.normalization)
    assert set(out["int8"]["metrics"]) == {"mse", "mae", "rmse"}
    assert out["int8"]["metrics"]["mae"] < 2 * out["float32"]["metrics"]["mae"] + 0.5
    assert out["int8_float_mae"] < 0.5
