"""Behaviour of the processing blocks on signals whose features are known."""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy import stats

from workers.dsp.registry import get_processing_block

MOTION = {"frequency_hz": 62.5, "window_size_ms": 2000}
AXES = ["accX", "accY", "accZ"]


def _block(block_id, raw_params=None, context=MOTION):
    # the spectral tests here describe version 1's features (v2: test_audio_reference, goldens)
    block = get_processing_block(block_id, 1 if block_id == "spectral-analysis" else None)
    return block, block.spec.validate(raw_params or {}, context)


def _noise(k=3, n=125, axes=3, seed=0):
    return np.random.default_rng(seed).normal(1.0, 2.0, (k, n, axes)).astype(np.float32)


def test_standard_motion_config_gives_11_features_per_axis():
    block, params = _block("spectral-analysis", {"filter_cutoff": 8, "fft_length": 64})
    names = block.feature_names(params, AXES, frequency_hz=62.5, window_len=125)
    assert block.features(_noise(), params, 62.5).shape == (3, 33)
    assert len(names) == 33
    assert names[:4] == ["accX RMS", "accX Skewness", "accX Kurtosis", "accX Spectral Power 0.49 - 1.46 Hz"]
    assert names[10] == "accX Spectral Power 7.32 - 8.30 Hz"


@pytest.mark.parametrize("filter_type,cutoff,expected_bins", [("none", 3.0, 32), ("low", 8.0, 8), ("high", 8.0, 25)])
def test_spectral_bins_follow_the_filter_pass_band(filter_type, cutoff, expected_bins):
    block, params = _block("spectral-analysis", {"filter_type": filter_type, "filter_cutoff": cutoff, "fft_length": 64})
    assert block.features(_noise(), params, 62.5).shape == (3, 3 * (3 + expected_bins))


def test_spectral_power_peaks_at_the_frequency_of_a_sine():
    block, params = _block("spectral-analysis", {"filter_type": "none", "fft_length": 64, "take_log": False})
    t = np.arange(125) / 62.5
    window = np.sin(2 * np.pi * 10 * 62.5 / 64 * t).astype(np.float32)[None, :, None]  # bin 10
    power = block.features(window, params, 62.5)[0, 3:]
    assert np.argmax(power) + 1 == 10


def test_spectral_stats_are_rms_skewness_kurtosis_of_the_centred_signal():
    block, params = _block("spectral-analysis", {"filter_type": "none", "fft_length": 64})
    x = _noise(k=1, axes=1)
    f = block.features(x, params, 62.5)[0]
    v = x[0, :, 0].astype(np.float64)
    np.testing.assert_allclose(f[:3], [np.std(v), stats.skew(v), stats.kurtosis(v)], rtol=1e-5)


def test_lowpass_filter_is_scipy_butterworth_in_float32_coefficients():
    from scipy import signal

    block, params = _block("spectral-analysis", {"filter_cutoff": 8, "fft_length": 64, "filter_order": 6})
    x = _noise(k=1, axes=1)
    sos = signal.butter(6, 8, fs=62.5, output="sos").astype(np.float32).astype(np.float64)
    y = signal.sosfilt(sos, x[0, :, 0].astype(np.float64))
    assert block.features(x, params, 62.5)[0, 0] == pytest.approx(np.std(y), rel=1e-6)


def test_constant_signal_has_zero_rms_skewness_kurtosis_and_floor_log_power():
    block, params = _block("spectral-analysis", {"filter_type": "none", "fft_length": 32})
    f = block.features(np.full((1, 125, 1), 123.456, np.float32), params, 62.5)[0]
    assert f[:3].tolist() == [0.0, 0.0, 0.0]
    np.testing.assert_allclose(f[3:], -10.0)


def test_edges_mode_averages_the_bins_of_each_band():
    block, params = _block(
        "spectral-analysis",
        {
            "filter_type": "none",
            "fft_length": 64,
            "take_log": False,
            "spectral_power": "edges",
            "spectral_power_edges": [0.5, 2.5, 6.0],
        },
    )
    bins_block, bins_params = _block("spectral-analysis", {"filter_type": "none", "fft_length": 64, "take_log": False})
    x = _noise(k=2, axes=1)
    bands = block.features(x, params, 62.5)[:, 3:]
    per_bin = bins_block.features(x, bins_params, 62.5)[:, 3:]  # bins 1..32 at 0.977 Hz spacing
    np.testing.assert_allclose(bands[:, 0], per_bin[:, 0:2].mean(axis=1), rtol=1e-6)  # bins 1, 2
    np.testing.assert_allclose(bands[:, 1], per_bin[:, 2:6].mean(axis=1), rtol=1e-6)  # bins 3..6


def test_flatten_matches_numpy_and_scipy_statistics():
    block, params = _block("flatten", {"scale_axes": 2.0})
    x = _noise(k=2)
    f = block.features(x, params, 62.5).reshape(2, 3, 7)
    v = (x * np.float32(2.0)).astype(np.float64)
    expected = np.stack(
        [
            v.mean(1),
            v.min(1),
            v.max(1),
            np.sqrt((v**2).mean(1)),
            v.std(1),
            stats.skew(v, axis=1),
            stats.kurtosis(v, axis=1),
        ],
        axis=2,
    )
    np.testing.assert_allclose(f, expected, rtol=1e-5)


def test_flatten_outputs_only_enabled_statistics_in_order():
    block, params = _block("flatten", {"average": False, "rms": False, "kurtosis": False})
    names = block.feature_names(params, ["x"], frequency_hz=62.5, window_len=125)
    assert names == ["x Minimum", "x Maximum", "x Stdev", "x Skewness"]


def test_flatten_constant_axis_has_zero_stdev_skewness_kurtosis():
    block, params = _block("flatten")
    f = block.features(np.full((1, 125, 1), -7.25, np.float32), params, 62.5)[0]
    assert f.tolist() == [-7.25, -7.25, -7.25, 7.25, 0.0, 0.0, 0.0]


def test_raw_scales_and_flattens_sample_by_sample():
    block, params = _block("raw", {"scale_axes": 0.5})
    x = np.arange(12, dtype=np.float32).reshape(1, 4, 3)
    assert block.features(x, params, 62.5).tolist() == [(np.arange(12) * 0.5).tolist()]
    assert block.feature_names(params, ["x", "y", "z"], frequency_hz=62.5, window_len=2) == [
        "x [0]",
        "y [0]",
        "z [0]",
        "x [1]",
        "y [1]",
        "z [1]",
    ]


@pytest.mark.parametrize(
    "block_id,raw",
    [
        ("raw", {}),
        ("flatten", {}),
        ("spectral-analysis", {"filter_cutoff": 8, "fft_length": 64}),
        ("spectral-analysis", {"filter_type": "high", "take_log": False}),
    ],
)
def test_graphs_are_json_with_one_series_per_axis(block_id, raw):
    block, params = _block(block_id, raw)
    g = json.loads(json.dumps(block.graphs(_noise(k=1)[0], params, 62.5, axes=AXES)))
    for graph in g["graphs"]:
        assert len(graph["x"]) == len(next(iter(graph["series"].values())))
    assert set(g["graphs"][0]["series"]) == set(AXES)
    if block_id == "spectral-analysis":
        assert [x["name"] for x in g["graphs"]][:2] == [
            "After filter",
            f"Spectral power ({'log' if params['take_log'] else 'linear'})",
        ]
        assert g["graphs"][1]["x"][-1] == pytest.approx(31.25)


def test_unknown_block_or_version_is_a_lookup_error():
    from backend.blocks.processing import UnknownProcessingBlockError

    with pytest.raises(UnknownProcessingBlockError):
        get_processing_block("no-such-block")
    with pytest.raises(UnknownProcessingBlockError):
        get_processing_block("raw", 99)


def test_every_declared_spec_version_has_an_implementation():
    from backend.blocks.processing import PROCESSING_BLOCK_VERSIONS

    for (block_id, version), spec in PROCESSING_BLOCK_VERSIONS.items():
        assert get_processing_block(block_id, version).spec is spec
