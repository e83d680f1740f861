"""Properties of the audio blocks: shapes, batches, degenerate input; and what deploys."""

from __future__ import annotations

import numpy as np
import pytest

from backend.blocks.params import BlockParamError
from backend.impulse.validation import feature_count
from workers.dsp.registry import get_processing_block

KEYWORD = {"frequency_hz": 16000.0, "window_size_ms": 1000, "axes": ["audio"]}

PARAM_SETS = [
    ("mfcc", {}, KEYWORD, (50, 13)),
    ("mfcc", {"frame_stride": 0.01, "num_cepstral": 20, "num_filters": 40, "fft_length": 512}, KEYWORD, (99, 20)),
    ("mfcc", {"frame_length": 0.03, "frame_stride": 0.015, "win_size": 0}, KEYWORD, (65, 13)),
    ("mfe", {}, KEYWORD, (99, 40)),
    ("mfe", {"num_filters": 32, "frame_stride": 0.025, "fft_length": 512}, KEYWORD, (40, 32)),
    ("spectrogram", {}, KEYWORD, (99, 65)),
    (
        "spectrogram",
        {"fft_length": 64, "frame_length": 0.004, "frame_stride": 0.004},
        {"frequency_hz": 8000.0, "window_size_ms": 500, "axes": ["audio"]},
        (125, 33),
    ),
    (
        "mfcc",
        {"frame_length": 0.025, "frame_stride": 0.01, "num_filters": 20, "fft_length": 128},
        {"frequency_hz": 4000.0, "window_size_ms": 1500, "axes": ["mic"]},
        (148, 13),
    ),
]


def _window_len(context):
    return int(context["window_size_ms"] * context["frequency_hz"] / 1000)


def _noise(k, context, seed=0):
    rng = np.random.default_rng(seed)
    return np.round(rng.normal(0, 2000, (k, _window_len(context), 1))).astype(np.float32)


@pytest.mark.parametrize("block_id,raw,context,shape", PARAM_SETS)
def test_frames_by_coefficients_agree_everywhere(block_id, raw, context, shape):
    block = get_processing_block(block_id, 1)
    params = block.spec.validate(raw, context)
    n = _window_len(context)
    got = block.features(_noise(3, context), params, context["frequency_hz"])
    names = block.feature_names(params, context["axes"], frequency_hz=context["frequency_hz"], window_len=n)
    assert got.shape == (3, shape[0] * shape[1]) and got.dtype == np.float32
    assert len(names) == got.shape[1] == feature_count(block_id, params, 1, n, context["frequency_hz"])
    image = block.graphs(_noise(1, context)[0], params, context["frequency_hz"], context["axes"])["graphs"][0]
    assert (len(image["z"]), len(image["z"][0])) == (shape[1], shape[0]) == (len(image["y"]), len(image["x"]))


@pytest.mark.parametrize("block_id,raw,context,shape", PARAM_SETS)
def test_a_batch_equals_its_windows_one_at_a_time(block_id, raw, context, shape):
    block = get_processing_block(block_id, 1)
    params = block.spec.validate(raw, context)
    x = _noise(4, context, seed=7)
    batch = block.features(x, params, context["frequency_hz"])
    single = np.concatenate([block.features(x[i : i + 1], params, context["frequency_hz"]) for i in range(4)])
    np.testing.assert_array_equal(batch, single)


@pytest.mark.parametrize("block_id", ["mfcc", "mfe", "spectrogram"])
@pytest.mark.parametrize("kind", ["silence", "constant", "full-scale square", "tiny", "one click"])
def test_degenerate_audio_gives_finite_features(block_id, kind):
    block = get_processing_block(block_id, 1)
    params = block.spec.validate({}, KEYWORD)
    n = 16000
    x = np.zeros((2, n, 1), np.float32)
    if kind == "constant":
        x[:] = 1234.0
    elif kind == "full-scale square":
        x[:, :, 0] = np.where(np.arange(n) // 40 % 2, 32767.0, -32768.0)
    elif kind == "tiny":
        x[:, ::7] = 1.0
    elif kind == "one click":
        x[:, 8000] = 30000.0
    got = block.features(x, params, 16000.0)
    assert np.all(np.isfinite(got))
    if kind in ("silence", "constant") and block_id == "mfcc":
        assert np.all(got == 0)  # every frame alike: nothing to normalize, not float noise
    if block_id == "mfe":
        assert got.min() >= 0 and got.max() <= 255 / 256


@pytest.mark.parametrize(
    "raw,field",
    [
        ({"win_size": 100}, "win_size"),
        ({"frame_stride": 0.001}, "frame_stride"),
        ({"frame_length": 1.5}, "frame_length"),
        ({"num_filters": 128}, "num_filters"),
        ({"high_frequency": 8001.0}, "high_frequency"),
        ({"low_frequency": 8000.0}, "low_frequency"),
        ({"num_cepstral": 33}, "num_cepstral"),
        ({"fft_length": 200}, "fft_length"),
    ],
)
def test_bad_parameters_name_the_field(raw, field):
    spec = get_processing_block("mfcc", 1).spec
    with pytest.raises(BlockParamError) as err:
        spec.validate(raw, KEYWORD)
    assert err.value.field == field


def test_audio_blocks_take_one_axis():
    with pytest.raises(BlockParamError) as err:
        get_processing_block("mfe", 1).spec.validate({}, {**KEYWORD, "axes": ["left", "right"]})
    assert err.value.field == "axes" and "one block per axis" in err.value.message


@pytest.mark.parametrize(
    "block",
    [{"id": "spectral-analysis", "version": 2}, {"id": "mfcc", "version": 1}, {"id": "mfe", "version": 1}],
)
def test_blocks_plan_for_deployment_with_the_python_feature_count(block):
    from workers.codegen.dsp_c import plan_dsp

    frequency, n = (62.5, 125) if block["id"] == "spectral-analysis" else (16000.0, 16000)
    impl = get_processing_block(block["id"], block["version"])
    params = impl.spec.validate({}, {"frequency_hz": frequency, "window_size_ms": n * 1000 / frequency})
    expected = len(impl.feature_names(params, ["a0"], frequency_hz=frequency, window_len=n))
    assert plan_dsp([{**block, "params": {}, "axes": [0]}], frequency, n, 1).features_count == expected


def test_new_impulses_get_spectral_analysis_v2_and_v1_stays_available():
    assert get_processing_block("spectral-analysis").version == 2
    assert get_processing_block("spectral-analysis", 1).version == 1


def test_keyword_impulse_runs_through_the_pipeline_runtime():
    from backend.impulse.validation import validate_config
    from workers.pipeline.impulse import ImpulseRuntime

    config = validate_config(
        {
            "input": {
                "axes": ["audio"],
                "window_size_ms": 1000,
                "window_increase_ms": 250,
                "frequency_hz": 16000,
                "zero_pad": True,
            },
            "processing": [{"id": "mfcc", "type": "mfcc"}, {"id": "mfe", "type": "mfe"}],
            "learning": [{"id": "classifier", "type": "keras-classifier", "inputs": ["mfcc"]}],
        }
    )
    runtime = ImpulseRuntime(config)
    # a 2 s WAV at 8 kHz, resampled to the impulse's 16 kHz
    t = np.arange(16000) / 8000.0
    recording = (8000 * np.sin(2 * np.pi * 440 * t))[:, None].astype(np.float32)
    signal = runtime.signal(recording, ["audio"], 1000.0 / 8000)
    windows = np.concatenate(list(runtime.iter_windows(signal)))
    features = runtime.features(windows)
    assert features.shape == (len(windows), 650 + 99 * 40) == (len(windows), runtime.n_features)
    assert config["processing"][0]["features"] == 650 and np.all(np.isfinite(features))
