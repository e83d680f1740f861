"""Processing block parameter specs: defaults users know and cross-field checks."""

from __future__ import annotations

import json

import pytest

from backend.blocks.params import BlockParamError
from backend.blocks.processing import (
    PROCESSING_BLOCKS,
    UnknownProcessingBlockError,
    get_processing_spec,
    spectral_bin_range,
    window_length,
)

MOTION = {"frequency_hz": 62.5, "window_size_ms": 2000}


def _spectral(raw, context=MOTION):
    return PROCESSING_BLOCKS["spectral-analysis"].validate(raw, context)


def test_spectral_defaults_are_the_ones_users_know():
    assert _spectral({}) == {
        "scale_axes": 1.0,
        "filter_type": "low",
        "filter_cutoff": 3.0,
        "filter_order": 6,
        "fft_length": 16,
        "take_log": True,
        "overlap_frames": True,
        "spectral_power": "fft-bins",
        "spectral_power_edges": [0.1, 0.5, 1.0, 2.0, 5.0],
    }


def test_window_length_of_2000_ms_at_62_5_hz_is_125_samples():
    assert window_length(2000, 62.5) == 125
    assert window_length(1000, 16000) == 16000


def test_low_pass_8_hz_fft_64_keeps_bins_1_to_8():
    assert spectral_bin_range("low", 8.0, 64, 62.5) == (1, 9)


@pytest.mark.parametrize(
    "raw,field",
    [
        ({"filter_cutoff": 31.25}, "filter_cutoff"),  # Nyquist
        ({"filter_cutoff": 40.0}, "filter_cutoff"),
        ({"filter_cutoff": 0.01}, "filter_cutoff"),  # too close to 0 for float32
        ({"fft_length": 48}, "fft_length"),  # not a power of two
        ({"fft_length": 128}, "fft_length"),  # longer than 125 samples
        ({"filter_cutoff": 0.3, "fft_length": 16}, "filter_cutoff"),  # low-pass below the first bin
        ({"spectral_power": "edges", "fft_length": 16}, "spectral_power_edges"),  # 0.1-0.5 Hz has no bin
        ({"spectral_power": "edges", "spectral_power_edges": "2, 1", "fft_length": 64}, "spectral_power_edges"),
        ({"filter_order": 9}, "filter_order"),
        ({"filter_type": "band"}, "filter_type"),
    ],
)
def test_spectral_refuses_inconsistent_parameters(raw, field):
    with pytest.raises(BlockParamError) as e:
        _spectral(raw)
    assert e.value.field == field


def test_spectral_without_context_checks_only_what_it_can():
    assert _spectral({"filter_cutoff": 100.0, "fft_length": 1024}, context={})["fft_length"] == 1024


def test_spectral_edges_accept_a_comma_separated_string():
    p = _spectral({"spectral_power": "edges", "fft_length": 64, "spectral_power_edges": "0.5, 1, 2, 5"})
    assert p["spectral_power_edges"] == [0.5, 1.0, 2.0, 5.0]


def test_flatten_needs_at_least_one_statistic():
    off = {name: False for name in ("average", "minimum", "maximum", "rms", "stdev", "skewness", "kurtosis")}
    with pytest.raises(BlockParamError):
        PROCESSING_BLOCKS["flatten"].validate(off)


def test_specs_serialise_for_the_ui():
    for spec in PROCESSING_BLOCKS.values():
        out = json.loads(json.dumps(spec.to_json()))
        assert out["kind"] == "processing"
        # motion blocks scale first; audio blocks take int16-range audio as Edge Impulse's do
        first = "frame_length" if spec.id in ("mfcc", "mfe", "spectrogram") else "scale_axes"
        assert out["params"][0]["name"] == first


def test_spec_lookup_by_version_and_latest():
    assert get_processing_spec("raw") is get_processing_spec("raw", 1)
    with pytest.raises(UnknownProcessingBlockError):
        get_processing_spec("raw", 7)
