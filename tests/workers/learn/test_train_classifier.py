"""Training the keras-classifier block on synthetic data."""

from __future__ import annotations

import numpy as np
import pytest

from workers.learn.errors import TrainingCancelled, TrainingDataError
from workers.learn.split import split_indices
from workers.learn.train import train_classifier

LABELS = ["idle", "snake", "updown", "wave"]
FAST = {"epochs": 4, "learning_rate": 0.005}


def split(x, y, seed=1):
    train, val = split_indices(y, 0.2, seed=seed)
    return x[train], y[train], x[val], y[val]


def test_default_classifier_learns_separated_classes_and_reports_every_epoch(gaussian_classes):
    x, y = gaussian_classes()
    seen = []
    result = train_classifier(*split(x, y), LABELS, {}, on_epoch=lambda e, logs: seen.append((e, logs)))
    assert [e for e, _ in seen] == list(range(1, len(result.history) + 1)) and len(seen) <= 100
    assert all(set(logs) == {"loss", "accuracy", "val_loss", "val_accuracy"} for _, logs in seen)
    assert seen[result.best_epoch - 1][1]["val_accuracy"] >= 0.95
    assert seen[-1][1]["loss"] < seen[0][1]["loss"]
    best = min(h["val_loss"] for h in result.history)  # early stopping (on by default) keeps the best epoch
    assert result.history[result.best_epoch - 1]["val_loss"] == best and result.labels == LABELS
    assert result.model.output_shape == (None, 4)


def test_label_strings_work_like_class_indices(gaussian_classes):
    x, y = gaussian_classes(n_per_class=30)
    xt, yt, xv, yv = split(x, y)
    names = np.array(LABELS)
    by_name = train_classifier(xt, names[yt], xv, names[yv], LABELS, {"epochs": 2})
    by_index = train_classifier(xt, yt, xv, yv, LABELS, {"epochs": 2})
    assert by_name.history == by_index.history


def test_same_seed_gives_identical_weights_with_noise_and_class_weights(gaussian_classes):
    x, y = gaussian_classes(n_per_class=40)
    params = {**FAST, "noise_stdev": 0.2, "class_weights": True, "seed": 7}
    a = train_classifier(*split(x, y), LABELS, params).model.get_weights()
    b = train_classifier(*split(x, y), LABELS, params).model.get_weights()
    c = train_classifier(*split(x, y), LABELS, {**params, "seed": 8}).model.get_weights()
    assert all(np.array_equal(u, v) for u, v in zip(a, b, strict=False))
    assert not all(np.array_equal(u, v) for u, v in zip(a, c, strict=False))


def test_should_stop_cancels_within_one_epoch(gaussian_classes):
    x, y = gaussian_classes(n_per_class=30)
    epochs = []
    with pytest.raises(TrainingCancelled):
        train_classifier(
            *split(x, y),
            LABELS,
            {"epochs": 20},
            on_epoch=lambda e, logs: epochs.append(e),
            should_stop=lambda: len(epochs) >= 2,
        )
    assert epochs == [1, 2]


def test_should_stop_is_polled_inside_a_long_epoch(gaussian_classes):
    x, y = gaussian_classes(n_per_class=200)
    polls = []
    with pytest.raises(TrainingCancelled):
        # batch size 1: 640 batches per epoch, cancelled on the first poll inside epoch 1
        train_classifier(
            *split(x, y),
            LABELS,
            {"epochs": 3, "batch_size": 1},
            on_epoch=lambda e, logs: pytest.fail("an epoch finished"),
            should_stop=lambda: polls.append(1) or len(polls) > 1,
        )


def test_early_stopping_keeps_the_best_epoch(gaussian_classes):
    x, y = gaussian_classes(n_per_class=30)
    # A learning rate this high makes the validation loss bounce, so patience runs out.
    result = train_classifier(
        *split(x, y), LABELS, {"epochs": 60, "learning_rate": 0.5, "early_stopping": True, "early_stopping_patience": 2}
    )
    assert result.stopped_early and len(result.history) < 60
    best = min(h["val_loss"] for h in result.history)
    assert result.history[result.best_epoch - 1]["val_loss"] == best
    assert len(result.history) == result.best_epoch + 2


def test_conv1d_on_raw_windows_learns(gaussian_classes):
    rng = np.random.default_rng(0)
    t = np.arange(125) / 62.5
    freqs = np.array([1.0, 3.0, 6.0])
    y = np.repeat(np.arange(3), 40)
    phase = rng.uniform(0, 2 * np.pi, (len(y), 1, 1))
    windows = np.sin(2 * np.pi * freqs[y][:, None, None] * t[None, :, None] + phase) * np.ones((1, 1, 3))
    x = (windows + rng.normal(0, 0.2, windows.shape)).reshape(len(y), 375).astype(np.float32)
    arch = [
        {"type": "conv1d", "filters": 8, "kernel_size": 5, "pool": 4},
        {"type": "flatten"},
        {"type": "dense", "units": 8},
    ]
    result = train_classifier(
        *split(x, y), ["slow", "mid", "fast"], {"architecture": arch, "epochs": 15, "learning_rate": 0.01}, axes=3
    )
    assert result.history[-1]["val_accuracy"] >= 0.9
    assert result.model.input_shape == (None, 375)


def test_conv1d_without_axes_is_refused(gaussian_classes):
    from backend.blocks.params import BlockParamError

    x, y = gaussian_classes(n_per_class=10)
    arch = [{"type": "conv1d", "filters": 4}, {"type": "flatten"}]
    with pytest.raises(BlockParamError, match="raw"):
        train_classifier(*split(x, y), LABELS, {"architecture": arch})


def _data(gaussian_classes):
    x, y = gaussian_classes(n_per_class=10)
    return split(x, y)


@pytest.mark.parametrize(
    "case, message",
    [
        ("no data", "No training data"),
        ("one label", "at least 2 classes"),
        ("one class in data", "All training windows have the label 'idle'"),
        ("fewer windows than classes", "Only 2 training windows for 4 classes"),
        ("label only in validation", "Label 'wave' is in the validation set but has no training windows"),
        ("unknown label", "label 'jump' is not one of the labels"),
        ("nan", "NaN or infinite values \\(window 3\\)"),
        ("empty validation", "validation set is empty"),
    ],
)
def test_impossible_training_says_why(gaussian_classes, case, message):
    xt, yt, xv, yv = _data(gaussian_classes)
    labels = LABELS
    if case == "no data":
        xt, yt = xt[:0], yt[:0]
    elif case == "one label":
        labels = ["idle"]
        yt, yv = yt * 0, yv * 0
    elif case == "one class in data":
        yt = yt * 0
    elif case == "fewer windows than classes":
        xt, yt = xt[:2], yt[:2]
    elif case == "label only in validation":
        keep = yt != 3
        xt, yt = xt[keep], yt[keep]
    elif case == "unknown label":
        yt = np.array(LABELS)[yt].astype(object)
        yt[0] = "jump"
    elif case == "nan":
        xt = xt.copy()
        xt[3, 5] = np.nan
    elif case == "empty validation":
        xv, yv = xv[:0], yv[:0]
    with pytest.raises(TrainingDataError, match=message):
        train_classifier(xt, yt, xv, yv, labels, {"epochs": 1})
