"""Keras -> tflite conversion: dtypes, fidelity and byte-stable output."""

from __future__ import annotations

import numpy as np

from workers.optimize.convert import REPRESENTATIVE_ROWS, representative_rows, to_tflite_float32, to_tflite_int8
from workers.optimize.evaluate import io_details, run_tflite


def test_int8_model_has_int8_input_and_output(classifier):
    result, (xt, *_rest) = classifier
    io = io_details(to_tflite_int8(result.model, xt))
    assert io["input"]["dtype"] == "int8" and io["output"]["dtype"] == "int8"
    assert io["input"]["shape"] == [1, 33] and io["output"]["shape"] == [1, 4]
    assert io["input"]["scale"] > 0 and io["output"]["scale"] > 0


def test_float32_tflite_matches_keras(classifier):
    result, (_xt, _yt, xv, _yv) = classifier
    tflite = to_tflite_float32(result.model)
    assert io_details(tflite)["input"]["dtype"] == "float32"
    np.testing.assert_allclose(run_tflite(tflite, xv), result.model.predict(xv, verbose=0), atol=1e-5)


def test_same_model_and_data_give_the_same_bytes(classifier):
    result, (xt, *_rest) = classifier
    assert to_tflite_int8(result.model, xt) == to_tflite_int8(result.model, xt)
    assert to_tflite_float32(result.model) == to_tflite_float32(result.model)


def test_two_trainings_with_the_same_seed_give_byte_identical_int8_models():
    from workers.learn.train import train_classifier

    rng = np.random.default_rng(4)
    x = rng.normal(size=(120, 12)).astype(np.float32)
    y = np.arange(120) % 3
    x[np.arange(120), y] += 4
    models = [
        train_classifier(x[:96], y[:96], x[96:], y[96:], ["a", "b", "c"], {"epochs": 3, "seed": 11}).model
        for _ in range(2)
    ]
    assert all(np.array_equal(a, b) for a, b in zip(models[0].get_weights(), models[1].get_weights(), strict=False))
    assert to_tflite_int8(models[0], x[:96]) == to_tflite_int8(models[1], x[:96])


def test_calibration_uses_every_training_row_up_to_the_cap():
    x = np.arange(1000 * 2, dtype=np.float32).reshape(1000, 2)
    assert np.array_equal(representative_rows(x), x)  # was a sample of 300 rows
    rows = representative_rows(x, max_rows=300)
    assert len(rows) == 300 and REPRESENTATIVE_ROWS >= 50_000
    assert np.array_equal(rows, representative_rows(x, max_rows=300))
    assert (np.diff(rows[:, 0]) > 0).all()  # original order, no repeats
    assert np.array_equal(representative_rows(x[:10]), x[:10])


def test_conv1d_model_on_raw_windows_converts_to_int8(conv_classifier):
    result, (xt, _yt, xv, _yv) = conv_classifier
    tflite = to_tflite_int8(result.model, xt)
    io = io_details(tflite)
    assert (io["input"]["dtype"], io["output"]["dtype"]) == ("int8", "int8")
    assert io["input"]["shape"] == [1, 375]
    batched = run_tflite(tflite, xv)
    one_by_one = np.concatenate([run_tflite(tflite, xv[i : i + 1]) for i in range(len(xv))])
    assert np.array_equal(batched, one_by_one)
    keras_pred = result.model.predict(xv, verbose=0).argmax(axis=1)
    assert (batched.argmax(axis=1) == keras_pred).mean() >= 0.95
