"""Continuous inference in the generated library (gcc on the host): a long recording fed slice by
slice through run_classifier_continuous gives, after every slice, the features run_classifier
computes on the window of the last TF_CLASSIFIER_SLICES_PER_MODEL_WINDOW slices (zeros before the
recording) bit for bit, which are the Python block's, and the same scores and anomaly, also when
run_classifier runs on other windows between slices; smoothing averages the last scores.
One case per processing block (tests/support/tone_impulse.AudioCase): spectral analysis, and MFCC,
whose tf_dsp_run_shifted computes only the frames a slice brings in.
"""

from __future__ import annotations

import shutil

import numpy as np
import pytest
from support.library_build import run_host, run_host_continuous
from support.tone_impulse import MFCC_16K, SPECTRAL_8K, recording, train_audio_impulse

from workers.codegen.library import LibraryRequest, generate_library

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc is not installed")
N_SLICES = 60  # 15 windows' worth of recording
CASES = [SPECTRAL_8K, MFCC_16K]


@pytest.fixture(scope="module", params=CASES, ids=lambda c: c.name)
def runs(request, tmp_path_factory):
    """The continuous run over a recording of N_SLICES slices, its windows and run_classifier on them."""
    case = request.param
    trained = train_audio_impulse(case)
    req = LibraryRequest(
        "Sounds",
        case.impulse,
        trained.labels,
        trained.tflite_int8,
        "int8",
        trained.anomaly,
        model_feature_normalization=trained.extra["normalization"],
    )
    lib = generate_library(req)
    # TF_CLASSIFIER_SLICES_PER_MODEL_WINDOW's default: 4 for both (960 ms MFCC: 12 frames a slice)
    slices = lib.fields["slices_per_model_window"]
    assert slices == 4
    slice_size = case.window_len // slices
    signal = recording(case, N_SLICES * slice_size)
    padded = np.concatenate([np.zeros(case.window_len - slice_size, np.float32), signal])
    windows = np.stack(
        [padded[k * slice_size : k * slice_size + case.window_len] for k in range(len(signal) // slice_size)]
    )
    continuous, smoothed = run_host_continuous(
        lib.sources, lib.header, signal.reshape(-1, slice_size), tmp_path_factory.mktemp("continuous")
    )
    one_shot = run_host(lib.sources, lib.header, windows, tmp_path_factory.mktemp("one_shot"))
    return case, windows, continuous, smoothed, one_shot, slices


def test_features_after_each_slice_are_the_python_blocks_features_of_the_window(runs):
    case, windows, continuous, _, one_shot, _ = runs
    assert len(windows) == N_SLICES
    # What run_classifier computes on the window, bit for bit: the kept features were shifted right.
    assert continuous.features.view(np.uint32).tolist() == one_shot.features.view(np.uint32).tolist()
    # And the Python block's: 1e-4 relative, or a small fraction of the window's largest feature.
    c, py = continuous.features.astype(np.float64), case.features(windows).astype(np.float64)
    floor = case.window_max_tolerance * np.abs(py).max(axis=1, keepdims=True)
    ok = np.abs(c - py) <= np.maximum(1e-4 * np.abs(py), floor)
    bad = np.argwhere(~ok)
    assert not len(bad), (
        f"{len(bad)} features differ, first at slice/feature {bad[0]}: {c[tuple(bad[0])]} vs {py[tuple(bad[0])]}"
    )


def test_scores_and_anomaly_after_each_slice_equal_run_classifier_on_the_window(runs):
    _, _, continuous, _, one_shot, _ = runs
    assert continuous.scores.view(np.uint32).tolist() == one_shot.scores.view(np.uint32).tolist()
    assert continuous.anomaly.view(np.uint32).tolist() == one_shot.anomaly.view(np.uint32).tolist()
    assert len(set(continuous.scores.argmax(axis=1).tolist())) == 3  # the recording's three sounds are told apart


def test_smoothing_averages_the_scores_of_the_last_slices_and_of_fewer_at_the_start(runs):
    _, _, continuous, smoothed, _, slices = runs
    raw = continuous.scores.astype(np.float64)
    expected = np.stack([raw[max(0, k - slices + 1) : k + 1].mean(axis=0) for k in range(len(raw))])
    np.testing.assert_allclose(smoothed, expected, rtol=1e-6, atol=1e-7)
    assert not np.allclose(smoothed[slices:], raw[slices:])  # smoothing did something
