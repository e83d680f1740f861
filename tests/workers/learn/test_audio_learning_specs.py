"""Audio architectures in the learning block contract: reshape, conv1d/conv2d, proposals, augmentation."""

from __future__ import annotations

import pytest

from backend.blocks.learning import (
    KERAS_CLASSIFIER,
    KEYWORD_SPOTTING_CONV1D,
    KEYWORD_SPOTTING_CONV2D,
    input_grid,
    proposed_params,
)
from backend.blocks.params import BlockParamError

MFCC = {"input": "frames", "features": 650, "columns": 13}  # 50 frames x 13 coefficients


def test_keyword_spotting_presets_validate_on_audio_frames():
    out = KERAS_CLASSIFIER.validate({"architecture": list(KEYWORD_SPOTTING_CONV1D)}, MFCC)
    assert [layer["type"] for layer in out["architecture"]] == ["reshape", "conv1d", "conv1d", "flatten"]
    assert out["architecture"][1] == {"type": "conv1d", "filters": 8, "kernel_size": 3, "pool": 2, "dropout": 0.25}
    out = KERAS_CLASSIFIER.validate({"architecture": list(KEYWORD_SPOTTING_CONV2D)}, MFCC)
    assert out["architecture"][2]["type"] == "conv2d"
    assert input_grid(out["architecture"], 650, 13) == (50, 13)


def test_proposals_follow_the_processing_block():
    assert proposed_params(["mfcc"])["architecture"][1]["type"] == "conv1d"
    assert proposed_params(["mfe"])["architecture"][1]["type"] == "conv1d"
    assert proposed_params(["spectrogram"])["architecture"][1]["type"] == "conv2d"
    dense = proposed_params(["spectral-analysis"])
    assert dense["architecture"] == KERAS_CLASSIFIER.defaults()["architecture"]
    assert (dense["time_shift"], dense["time_masks"], dense["freq_masks"]) == (0, 0, 0)
    assert proposed_params(["mfcc", "spectral-analysis"])["architecture"][0]["type"] == "dense"
    assert proposed_params(["mfcc"])["time_masks"] > 0  # augmentation proposed for audio only


@pytest.mark.parametrize(
    "architecture, field, words",
    [
        (
            [{"type": "reshape", "columns": 12}, {"type": "conv1d", "filters": 4}, {"type": "flatten"}],
            "architecture[0].columns",
            "does not divide into rows of 12",
        ),
        (
            [{"type": "conv2d", "filters": 4}, {"type": "conv1d", "filters": 4}, {"type": "flatten"}],
            "architecture[1].type",
            "not both",
        ),
        (
            [{"type": "conv1d", "filters": 4}, {"type": "reshape"}, {"type": "flatten"}],
            "architecture[1].type",
            "first layer",
        ),
        ([{"type": "reshape"}, {"type": "dense", "units": 4}], "architecture[0].type", "conv layers"),
        ([{"type": "reshape"}], "architecture[0].type", "conv1d or conv2d"),
        ([{"type": "conv2d", "filters": 4}], "architecture[0]", "flatten"),
    ],
)
def test_invalid_audio_networks_are_explained(architecture, field, words):
    with pytest.raises(BlockParamError) as e:
        KERAS_CLASSIFIER.validate({"architecture": architecture}, MFCC)
    assert e.value.field == field
    if words:
        assert words in e.value.message


def test_deep_pooling_is_fine_on_frames_but_conv_on_a_feature_vector_is_refused():
    # 50 frames: pool 16 then 16 leaves 1 row ('same' pooling rounds up)
    arch = [{"type": "conv1d", "filters": 4, "pool": 16}] * 2 + [{"type": "flatten"}]
    assert KERAS_CLASSIFIER.validate({"architecture": arch}, MFCC)
    with pytest.raises(BlockParamError, match="framed input"):
        KERAS_CLASSIFIER.validate({"architecture": arch}, {"input": "features", "features": 650})


def test_augmentation_needs_frames_and_has_ranges():
    assert KERAS_CLASSIFIER.validate({"time_shift": 5, "time_masks": 2, "freq_masks": 1}, MFCC)["time_shift"] == 5
    for raw, field in [({"time_masks": 11}, "time_masks"), ({"freq_mask_width": 0}, "freq_mask_width")]:
        with pytest.raises(BlockParamError) as e:
            KERAS_CLASSIFIER.validate(raw, MFCC)
        assert e.value.field == field
    with pytest.raises(BlockParamError) as e:
        KERAS_CLASSIFIER.validate({"freq_masks": 1}, {"input": "features", "features": 33})
    assert e.value.field == "freq_masks" and "frames" in e.value.message
    d = KERAS_CLASSIFIER.defaults()
    assert (d["time_shift"], d["time_masks"], d["freq_masks"], d["noise_stdev"]) == (0, 0, 0, 0.0)
