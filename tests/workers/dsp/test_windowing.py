"""Resampling samples and cutting them into windows."""

from __future__ import annotations

import numpy as np

from workers.dsp.windowing import iter_windows, resample, window_starts


def test_window_starts_fit_inside_the_sample():
    assert window_starts(10, 4, 3).tolist() == [0, 3, 6]
    assert window_starts(3, 4, 2).tolist() == []


def test_pad_last_adds_a_window_for_uncovered_tail_or_short_sample():
    assert window_starts(11, 4, 3, pad_last=True).tolist() == [0, 3, 6, 9]
    assert window_starts(10, 4, 3, pad_last=True).tolist() == [0, 3, 6]  # already covered
    assert window_starts(3, 4, 2, pad_last=True).tolist() == [0]


def test_iter_windows_yields_bounded_chunks_of_the_right_windows():
    x = np.arange(20, dtype=np.float32).reshape(10, 2)
    chunks = list(iter_windows(x, 4, 1, chunk=3))
    assert [c.shape for c in chunks] == [(3, 4, 2), (3, 4, 2), (1, 4, 2)]
    all_windows = np.concatenate(chunks)
    for i, w in enumerate(all_windows):
        np.testing.assert_array_equal(w, x[i : i + 4])


def test_iter_windows_zero_pads_the_last_window():
    x = np.ones((5, 1), np.float32)
    (chunk,) = list(iter_windows(x, 4, 4, pad_last=True))
    assert chunk[:, :, 0].tolist() == [[1, 1, 1, 1], [1, 0, 0, 0]]


def test_resample_keeps_a_slow_sine_and_changes_the_length():
    t_in = np.arange(200) / 100.0
    x = np.stack([np.sin(2 * np.pi * 1.0 * t_in), np.cos(2 * np.pi * 1.0 * t_in)], axis=1)
    y = resample(x, 100.0, 62.5)
    assert y.shape == (125, 2) and y.dtype == np.float32
    t_out = np.arange(125) / 62.5
    np.testing.assert_allclose(y[10:-10, 0], np.sin(2 * np.pi * t_out[10:-10]), atol=0.02)


def test_resample_at_the_same_rate_is_a_copy():
    x = np.ones((5, 2), np.float32)
    y = resample(x, 50, 50)
    assert y is not x and np.array_equal(x, y)
