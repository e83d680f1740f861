"""The learning blocks' parameter contract (pure Python, no TensorFlow)."""

from __future__ import annotations

import json

import pytest

from backend.blocks.learning import KERAS_CLASSIFIER, KERAS_REGRESSION, KMEANS_ANOMALY, LEARNING_BLOCKS
from backend.blocks.params import BlockParamError

CONV = [
    {"type": "conv1d", "filters": 8, "kernel_size": 3, "pool": 2},
    {"type": "conv1d", "filters": 16, "kernel_size": 3},
    {"type": "flatten"},
    {"type": "dense", "units": 10},
]


def test_registry_holds_the_three_learning_blocks():
    assert set(LEARNING_BLOCKS) == {"keras-classifier", "keras-regression", "kmeans-anomaly"}
    assert all(spec.kind == "learning" and spec.version >= 1 for spec in LEARNING_BLOCKS.values())


@pytest.mark.parametrize("block_id", sorted(LEARNING_BLOCKS))
def test_defaults_validate_and_serialise_to_json(block_id):
    spec = LEARNING_BLOCKS[block_id]
    assert spec.validate({}) == spec.defaults()
    json.dumps(spec.to_json())


def test_classifier_defaults_train_small_sets_and_stop_early_on_large_ones():
    d = KERAS_CLASSIFIER.defaults()
    assert [(layer["type"], layer["units"]) for layer in d["architecture"]] == [("dense", 20), ("dense", 10)]
    # 30 epochs at 0.0005 left a few dozen windows barely trained (see tests/workers/learn/test_default_training.py)
    assert (d["epochs"], d["learning_rate"], d["batch_size"], d["validation_split"]) == (100, 0.005, 32, 0.2)
    assert d["early_stopping"] is True and d["early_stopping_patience"] == 20


def test_patience_as_long_as_the_training_is_allowed():
    # it then never stops early; users who lower the epochs need not touch the patience
    assert KERAS_CLASSIFIER.validate({"epochs": 5})["early_stopping_patience"] == 20
    assert KMEANS_ANOMALY.defaults()["clusters"] == 32


def test_defaults_are_fresh_copies_so_callers_cannot_change_the_spec():
    KERAS_CLASSIFIER.defaults()["architecture"][0]["units"] = 999
    assert KERAS_CLASSIFIER.defaults()["architecture"][0]["units"] == 20


def test_conv_stack_is_accepted_for_raw_windows_and_fills_layer_defaults():
    out = KERAS_CLASSIFIER.validate({"architecture": CONV}, {"input": "raw", "axes": ["x", "y", "z"], "features": 375})
    assert out["architecture"][1] == {"type": "conv1d", "filters": 16, "kernel_size": 3, "pool": 2, "dropout": 0.0}
    assert out["architecture"][3] == {"type": "dense", "units": 10, "dropout": 0.0}


@pytest.mark.parametrize(
    "architecture, field",
    [
        ([{"type": "lstm", "units": 4}], "architecture[0].type"),
        ([{"type": "dense", "units": 20}, {"type": "dense", "units": 0}], "architecture[1].units"),
        ([{"type": "dense"}], "architecture[0].units"),
        ([{"type": "dense", "units": 2.5}], "architecture[0].units"),
        ([{"type": "dense", "units": 8, "dropout": 0.95}], "architecture[0].dropout"),
        ([{"type": "dense", "units": 8, "activation": "tanh"}], "architecture[0].activation"),
        ([{"type": "conv1d", "filters": 8}, {"type": "dense", "units": 4}], "architecture[1].type"),
        ([{"type": "conv1d", "filters": 8}], "architecture[0]"),
        ([{"type": "flatten"}], "architecture[0].type"),
        ("dense 20", "architecture"),
    ],
)
def test_bad_architecture_names_the_field(architecture, field):
    with pytest.raises(BlockParamError) as e:
        KERAS_CLASSIFIER.validate({"architecture": architecture})
    assert e.value.field == field


def test_conv_layers_on_a_feature_vector_are_refused():
    with pytest.raises(BlockParamError) as e:
        KERAS_CLASSIFIER.validate({"architecture": CONV}, {"input": "features", "features": 33})
    assert e.value.field == "architecture[0].type"
    assert "raw" in e.value.message


def test_conv_input_must_split_into_axes():
    with pytest.raises(BlockParamError, match="axes"):
        KERAS_REGRESSION.validate({"architecture": CONV}, {"input": "raw", "axes": 3, "features": 376})


def test_training_settings_have_ranges():
    for raw, field in [
        ({"epochs": 0}, "epochs"),
        ({"learning_rate": 0.0}, "learning_rate"),
        ({"validation_split": 0.9}, "validation_split"),
        ({"class_weights": 1}, "class_weights"),
        ({"early_stopping_patience": 0}, "early_stopping_patience"),
    ]:
        with pytest.raises(BlockParamError) as e:
            KERAS_CLASSIFIER.validate(raw)
        assert e.value.field == field


def test_regression_has_no_class_weights():
    with pytest.raises(BlockParamError) as e:
        KERAS_REGRESSION.validate({"class_weights": True})
    assert e.value.field == "class_weights"


def test_anomaly_feature_indices_are_checked_against_the_input():
    assert KMEANS_ANOMALY.validate({"feature_indices": [0, 3]}, {"features": 4})["feature_indices"] == [0, 3]
    for value, field in [([0, 4], "feature_indices[1]"), ([1, 1], "feature_indices[1]"), ([-1], "feature_indices[0]")]:
        with pytest.raises(BlockParamError) as e:
            KMEANS_ANOMALY.validate({"feature_indices": value}, {"features": 4})
        assert e.value.field == field


def test_prefix_reaches_nested_architecture_fields():
    with pytest.raises(BlockParamError) as e:
        KERAS_CLASSIFIER.validate({"architecture": [{"type": "dense", "units": 0}]}, prefix="learn.")
    assert e.value.field == "learn.architecture[0].units"
