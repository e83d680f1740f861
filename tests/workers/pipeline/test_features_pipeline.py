"""Pure pipeline properties: chunked feature generation equals one pass, window bookkeeping,
snapshots round-trip, explorer shapes, majority vote and test reports."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backend.impulse.validation import validate_config
from workers.pipeline.features import FeatureSet, SampleInfo, generate_features, usable_samples
from workers.pipeline.impulse import ImpulseRuntime, SignalError
from workers.pipeline.inference import majority

AXES = ["accX", "accY", "accZ"]
CONFIG = validate_config(
    {
        "input": {
            "axes": AXES,
            "window_size_ms": 1000,
            "window_increase_ms": 300,
            "frequency_hz": 50,
            "zero_pad": True,
        },
        "processing": [
            {"id": "spectral", "type": "spectral-analysis", "params": {"filter_cutoff": 8, "fft_length": 32}},
            {"id": "flat", "type": "flatten", "axes": ["accZ"]},
        ],
        "learning": [{"type": "keras-classifier", "inputs": ["spectral"]}],
    }
)


def _dataset(lengths, intervals, seed=0):
    rng = np.random.default_rng(seed)
    values, samples = {}, []
    for i, (n, interval) in enumerate(zip(lengths, intervals, strict=False)):
        values[i] = rng.normal(size=(n, 3)).astype(np.float32)
        samples.append(SampleInfo(i, "ab"[i % 2], "training" if i % 3 else "testing", interval, n, AXES))
    return samples, (lambda ids: {k: values[k] for k in ids}), values


@settings(max_examples=15, deadline=None)
@given(
    lengths=st.lists(st.integers(20, 400), min_size=1, max_size=6),
    chunk=st.integers(1, 64),
    batch=st.integers(1, 4),
    resample=st.booleans(),
)
def test_chunked_features_equal_one_pass(lengths, chunk, batch, resample):
    rt = ImpulseRuntime(CONFIG)
    intervals = [16.0 if resample and i % 2 else 20.0 for i in range(len(lengths))]
    samples, load, _ = _dataset(lengths, intervals)
    samples, _ = usable_samples(samples, rt)
    a = generate_features(samples, load, rt, chunk=chunk, load_batch=batch)
    b = generate_features(samples, load, rt, chunk=100_000, load_batch=100)
    assert np.array_equal(a.features, b.features) and np.array_equal(a.window_starts, b.window_starts)
    assert np.array_equal(a.sample_ids, b.sample_ids)


def test_features_of_each_window_are_the_blocks_features_of_that_window():
    rt = ImpulseRuntime(CONFIG)
    samples, load, values = _dataset([200], [20.0])
    fs = generate_features(samples, load, rt, chunk=3)
    assert fs.features.shape == (len(rt.window_starts(200)), rt.n_features) == (11, 3 * (5 + 5) + 7)
    x = values[0]
    for row, start in enumerate(fs.window_starts):
        window = rt.window_at(x, int(start))
        spectral = rt.blocks[0].impl.features(window[None], rt.blocks[0].params, 50.0)[0]
        flat = rt.blocks[1].impl.features(window[None, :, 2:], rt.blocks[1].params, 50.0)[0]
        assert np.array_equal(fs.features[row], np.concatenate([spectral, flat]))
    assert fs.feature_names[:1] == ["accX RMS"] and fs.feature_names[-1] == "accZ Kurtosis"


def test_samples_missing_an_axis_or_shorter_than_a_window_are_skipped_with_a_reason():
    cfg = {**CONFIG, "input": {**CONFIG["input"], "zero_pad": False}}
    rt = ImpulseRuntime(cfg)
    samples = [
        SampleInfo(1, "a", "training", 20.0, 100, AXES),
        SampleInfo(2, "a", "training", 20.0, 10, AXES),
        SampleInfo(3, "a", "training", 20.0, 100, ["accX", "accY"]),
    ]
    keep, skipped = usable_samples(samples, rt)
    assert [s.id for s in keep] == [1]
    assert skipped == ["sample 2: shorter than one window", "sample 3: no axis 'accZ'"]
    with pytest.raises(SignalError, match="accZ"):
        rt.signal(np.zeros((10, 2)), ["accX", "accY"], 20.0)


def test_snapshot_round_trips_through_npz():
    rt = ImpulseRuntime(CONFIG)
    samples, load, _ = _dataset([120, 90, 300], [20.0, 10.0, 20.0])
    fs = generate_features(samples, load, rt)
    back = FeatureSet.from_npz(fs.to_npz())
    assert np.array_equal(back.features, fs.features) and back.labels == ["a", "b"]
    assert back.feature_names == fs.feature_names and back.sample_meta == fs.sample_meta
    assert np.array_equal(back.categories, fs.categories) and np.array_equal(back.label_index, fs.label_index)


def test_explorer_gives_2d_and_3d_points_linked_to_windows():
    from workers.pipeline.explorer import explore

    rt = ImpulseRuntime(CONFIG)
    samples, load, _ = _dataset([200, 200, 200], [20.0] * 3)
    fs = generate_features(samples, load, rt)
    out = explore(fs, max_points=10)
    assert out["windows"] == len(fs.features) and out["shown"] == 10
    assert len(out["points2d"]) == 10 and all(len(p) == 3 for p in out["points3d"])
    assert set(out["sample_ids"]) <= {0, 1, 2} and len(out["explained_variance2d"]) == 2


@pytest.mark.parametrize(
    "votes, expected",
    [
        (["a", "a", "b"], "a"),
        (["a", "b"], "uncertain"),
        (["uncertain", "uncertain", "a"], "uncertain"),
        ([], "uncertain"),
    ],
)
def test_sample_label_is_the_majority_of_its_windows(votes, expected):
    assert majority(votes) == expected


def test_report_counts_uncertain_windows_as_wrong():
    from workers.pipeline.testing import _classification_report

    r = _classification_report(["a", "a", "b", "b"], ["a", "uncertain", "b", "a"], ["a", "b"])
    assert r["accuracy"] == 0.5 and r["uncertain"] == 0.25
    assert r["confusion_matrix"]["matrix"] == [[1, 0, 1], [1, 1, 0]]
    assert r["per_class"]["a"]["recall"] == 0.5 and r["per_class"]["b"]["precision"] == 1.0
