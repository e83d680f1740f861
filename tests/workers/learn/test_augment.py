"""Time shift and SpecAugment masks on known arrays, and that only training batches get them."""

from __future__ import annotations

import numpy as np

from backend.blocks.learning import KERAS_CLASSIFIER
from workers.learn.augment import augment_frames, mask_runs, shift_frames


def _grid(windows=2, rows=6, cols=3):
    return np.arange(1, windows * rows * cols + 1, dtype=np.float32).reshape(windows, rows, cols)


def test_shift_moves_rows_and_fills_with_zeros():
    x = _grid()
    out = shift_frames(x, np.array([2, -1]))
    np.testing.assert_array_equal(out[0, 2:], x[0, :4])
    assert not out[0, :2].any()
    np.testing.assert_array_equal(out[1, :5], x[1, 1:])
    assert not out[1, 5].any()
    np.testing.assert_array_equal(shift_frames(x, np.array([0, 0])), x)
    assert not shift_frames(x, np.array([6, -9])).any()  # shifted out entirely


def test_time_and_frequency_masks_blank_exactly_the_runs():
    x = _grid()
    t = mask_runs(x, 1, np.array([[1, 4], [0, 0]]), np.array([[2, 1], [1, 1]]))
    assert [r for r in range(6) if not t[0, r].any()] == [1, 2, 4]
    assert [r for r in range(6) if not t[1, r].any()] == [0]
    np.testing.assert_array_equal(t[0, [0, 3, 5]], x[0, [0, 3, 5]])
    f = mask_runs(x, 2, np.array([[1], [2]]), np.array([[1], [1]]))
    assert not f[0, :, 1].any() and f[0, :, [0, 2]].all()
    assert not f[1, :, 2].any() and f[1, :, :2].all()


def test_augment_frames_is_seeded_and_keeps_mask_widths_in_range():
    params = {
        **KERAS_CLASSIFIER.defaults(),
        "time_masks": 2,
        "time_mask_width": 3,
        "freq_masks": 1,
        "freq_mask_width": 2,
    }
    x = np.ones((50, 20 * 8), np.float32)
    a = augment_frames(x, (20, 8), params, np.random.default_rng(4))
    b = augment_frames(x, (20, 8), params, np.random.default_rng(4))
    np.testing.assert_array_equal(a, b)
    w = a.reshape(50, 20, 8)
    blank_rows = (w == 0).all(axis=2).sum(axis=1)
    blank_cols = (w == 0).all(axis=1).sum(axis=1)
    assert blank_rows.min() >= 1 and blank_rows.max() <= 6  # 2 masks of 1-3 frames (may overlap)
    assert blank_cols.min() >= 1 and blank_cols.max() <= 2
    assert (blank_rows > 1).any() and (blank_cols == 2).any()  # widths vary up to the maximum
    assert augment_frames(x, (20, 8), KERAS_CLASSIFIER.defaults(), np.random.default_rng(4)) is x  # off: untouched


def test_time_shift_stays_within_its_range():
    params = {**KERAS_CLASSIFIER.defaults(), "time_shift": 2}
    x = np.zeros((200, 10, 1), np.float32)
    x[:, 5] = 1.0  # a single event in frame 5
    out = augment_frames(x.reshape(200, 10), (10, 1), params, np.random.default_rng(0)).reshape(200, 10)
    where = out.argmax(axis=1)
    assert set(where.tolist()) == {3, 4, 5, 6, 7}


def test_validation_windows_are_never_augmented():
    # with heavy masks and shift on, the recorded validation loss of the kept epoch is exactly the
    # loss of the kept model on the untouched validation windows
    from workers.learn.train import train_classifier

    rng = np.random.default_rng(0)
    y = np.repeat([0, 1], 20)
    x = rng.normal(0, 1, (40, 10, 4)).astype(np.float32)
    x[y == 1, 3:6, 1] += 3.0
    x = x.reshape(40, 40)
    params = {
        "architecture": [{"type": "conv1d", "filters": 4, "pool": 2}, {"type": "flatten"}],
        "epochs": 4,
        "time_shift": 3,
        "time_masks": 3,
        "time_mask_width": 3,
        "freq_masks": 2,
        "early_stopping": True,
        "early_stopping_patience": 1,
    }
    tr, va = np.r_[0:15, 20:35], np.r_[15:20, 35:40]
    result = train_classifier(x[tr], y[tr], x[va], y[va], ["a", "b"], params, columns=4)
    kept = result.history[result.best_epoch - 1]
    loss = result.model.evaluate(result.model_input(x[va]), y[va], verbose=0, return_dict=True)["loss"]
    assert abs(loss - kept["val_loss"]) < 1e-5
