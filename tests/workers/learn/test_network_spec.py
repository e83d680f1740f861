"""The layer contract (backend/blocks/network.py, pure Python): order rules, settings, and the
shape errors the editor shows on a layer before training."""

from __future__ import annotations

import pytest

from backend.blocks.learning import KERAS_CLASSIFIER
from backend.blocks.network import first_error, layer_catalogue, trace, validate_architecture
from backend.blocks.params import BlockParamError

RAW = {"input": "raw", "axes": 3, "features": 375}  # 125 rows of 3 axes


def test_new_layer_types_validate_and_optional_settings_are_stored_only_when_given():
    out = validate_architecture(
        [
            {"type": "conv1d", "filters": 4, "stride": 2, "activation": "none"},
            {"type": "avg_pool", "pool_size": 3},
            {"type": "dropout"},
            {"type": "flatten"},
            {"type": "dense", "units": 8},
        ]
    )
    assert out[0] == {
        "type": "conv1d",
        "filters": 4,
        "kernel_size": 3,
        "stride": 2,
        "activation": "none",
        "pool": 2,
        "dropout": 0.0,
    }
    assert out[1] == {"type": "avg_pool", "pool_size": 3}
    assert out[2] == {"type": "dropout", "rate": 0.25}
    assert out[4] == {"type": "dense", "units": 8, "dropout": 0.0}  # no activation key: older specs unchanged


@pytest.mark.parametrize(
    "architecture, field, words",
    [
        ([{"type": "max_pool"}, {"type": "dense", "units": 4}], "architecture[0].type", "after a conv layer"),
        (
            [{"type": "conv1d", "filters": 4}, {"type": "flatten"}, {"type": "max_pool"}],
            "architecture[2].type",
            "after a conv layer",
        ),
        ([{"type": "conv1d", "filters": 4}, {"type": "dropout"}], "architecture[1]", "flatten"),
        ([{"type": "dense", "units": 4, "activation": "sigmoid"}], "architecture[0].activation", "relu"),
        ([{"type": "dropout", "rate": 1.0}], "architecture[0].rate", "at most"),
    ],
)
def test_order_and_settings_errors_name_the_layer(architecture, field, words):
    with pytest.raises(BlockParamError) as e:
        validate_architecture(architecture)
    assert e.value.field == field and words in e.value.message


@pytest.mark.parametrize(
    "architecture, field, words",
    [
        (
            [
                {"type": "conv1d", "filters": 4, "pool": 16},
                {"type": "conv1d", "filters": 4, "kernel_size": 9},
                {"type": "flatten"},
            ],
            "architecture[1].kernel_size",
            "larger than the 8 rows",
        ),
        (
            [
                {"type": "conv1d", "filters": 4, "stride": 4, "pool": 1},
                {"type": "max_pool", "pool_size": 40},
                {"type": "flatten"},
            ],
            "architecture[1].pool_size",
            "leaves nothing of the 32 rows",
        ),
        (
            [{"type": "conv2d", "filters": 4, "kernel_size": 5}, {"type": "flatten"}],
            "architecture[0].kernel_size",
            "125 x 3 input",
        ),
    ],
)
def test_shape_errors_are_found_before_training_on_the_layer_at_fault(architecture, field, words):
    with pytest.raises(BlockParamError) as e:
        KERAS_CLASSIFIER.validate({"architecture": architecture}, RAW)
    assert e.value.field == field and words in e.value.message
    traced = trace(validate_architecture(architecture), 375, 3)
    assert first_error(traced).field == field
    at = int(field.split("[")[1].split("]")[0])
    assert all(t.output_shape is None for t in traced[at:])  # nothing after the fault has a shape


def test_the_catalogue_describes_every_layer_type_in_plain_words():
    catalogue = layer_catalogue()
    kinds = {layer["type"] for layer in catalogue["layers"]}
    assert kinds == {"reshape", "conv1d", "conv2d", "max_pool", "avg_pool", "dropout", "flatten", "dense"}
    for layer in catalogue["layers"]:
        assert layer["label"] and layer["help"]
        assert all(f["label"] and f["help"] for f in layer["fields"])
    arch = next(p for p in KERAS_CLASSIFIER.to_json()["params"] if p["name"] == "architecture")
    assert arch["schema"] == catalogue
