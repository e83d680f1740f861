"""Properties of every processing block on arbitrary inputs and parameters (hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.blocks.params import BlockParamError
from workers.dsp.registry import get_processing_block

FREQ = 62.5

_flag = st.booleans()
RAW = st.fixed_dictionaries({"scale_axes": st.sampled_from([1.0, 0.01, 9.80665, 1000.0])})
FLATTEN = st.fixed_dictionaries(
    {
        "scale_axes": st.sampled_from([1.0, 0.5]),
        "average": _flag,
        "minimum": _flag,
        "maximum": _flag,
        "rms": _flag,
        "stdev": _flag,
        "skewness": _flag,
        "kurtosis": st.just(True),
    }
)
SPECTRAL = st.fixed_dictionaries(
    {
        "filter_type": st.sampled_from(["none", "low", "high"]),
        "filter_cutoff": st.floats(2.0, 25.0),
        "filter_order": st.integers(1, 8),
        "fft_length": st.sampled_from([8, 16, 32, 64]),
        "take_log": _flag,
        "overlap_frames": _flag,
    }
)
CONFIGS = st.one_of(
    st.tuples(st.just("raw"), RAW),
    st.tuples(st.just("flatten"), FLATTEN),
    st.tuples(st.just("spectral-analysis"), SPECTRAL),
    st.tuples(st.just("spectral-analysis@2"), SPECTRAL),
)


def _block(name: str):
    """ "id" is the default version, "id@2" a given one."""
    block_id, _, version = name.partition("@")
    return get_processing_block(block_id, int(version) if version else None)


@st.composite
def windows(draw):
    k = draw(st.integers(1, 4))
    n = draw(st.integers(64, 160))
    axes = draw(st.integers(1, 3))
    seed = draw(st.integers(0, 2**32 - 1))
    kind = draw(st.sampled_from(["noise", "constant", "large", "tiny"]))
    rng = np.random.default_rng(seed)
    x = rng.normal(0, 1, (k, n, axes))
    if kind == "constant":
        x = np.broadcast_to(rng.normal(0, 100, (k, 1, axes)), x.shape)
    elif kind == "large":
        x = x * 1e4
    elif kind == "tiny":
        x = x * 1e-6
    return np.ascontiguousarray(x, dtype=np.float32)


def _validated(block, raw, n):
    try:
        return block.spec.validate(raw, {"frequency_hz": FREQ, "window_size_ms": n * 1000 / FREQ})
    except BlockParamError:
        return None


_settings = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])


@_settings
@given(config=CONFIGS, x=windows())
def test_features_are_finite_float32_with_one_name_each(config, x):
    block = _block(config[0])
    params = _validated(block, config[1], x.shape[1])
    if params is None:
        return
    f = block.features(x, params, FREQ)
    names = block.feature_names(params, [f"a{i}" for i in range(x.shape[2])], frequency_hz=FREQ, window_len=x.shape[1])
    assert f.dtype == np.float32 and f.shape == (x.shape[0], len(names))
    assert np.all(np.isfinite(f))


@_settings
@given(config=CONFIGS, x=windows())
def test_vectorised_features_equal_window_by_window_and_are_deterministic(config, x):
    block = _block(config[0])
    params = _validated(block, config[1], x.shape[1])
    if params is None:
        return
    batch = block.features(x, params, FREQ)
    one_by_one = np.concatenate([block.features(x[i : i + 1], params, FREQ) for i in range(x.shape[0])])
    np.testing.assert_allclose(batch, one_by_one, rtol=1e-6, atol=1e-6)
    np.testing.assert_array_equal(batch, block.features(x.copy(), params, FREQ))


@_settings
@given(config=CONFIGS, x=windows())
def test_each_axis_is_processed_independently(config, x):
    block = _block(config[0])
    params = _validated(block, config[1], x.shape[1])
    if params is None or config[0] == "raw" or x.shape[2] < 2:
        return
    per_axis = block.features(x, params, FREQ).reshape(x.shape[0], x.shape[2], -1)
    np.testing.assert_allclose(per_axis[:, 1], block.features(x[:, :, 1:2], params, FREQ), rtol=1e-6, atol=1e-6)
