"""Train/validation split: stratified, optionally grouped by a metadata value."""

from __future__ import annotations

import numpy as np
import pytest

from workers.learn.errors import TrainingDataError
from workers.learn.split import split_indices


def test_stratified_split_keeps_class_proportions():
    y = np.array(["idle"] * 100 + ["wave"] * 50 + ["snake"] * 10)
    train, val = split_indices(y, 0.2, seed=3)
    assert sorted(np.concatenate([train, val]).tolist()) == list(range(len(y)))
    counts = {c: int((y[val] == c).sum()) for c in ("idle", "wave", "snake")}
    assert counts == {"idle": 20, "wave": 10, "snake": 2}


def test_small_classes_keep_a_window_on_each_side():
    y = np.array([0, 0, 1, 1, 1, 2])
    train, val = split_indices(y, 0.2, seed=1)
    assert set(y[val]) == {0, 1} and set(y[train]) == {0, 1, 2}


def test_same_seed_same_split_other_seed_other_split():
    y = np.repeat(np.arange(3), 40)
    assert all(
        (a == b).all() for a, b in zip(split_indices(y, 0.2, seed=5), split_indices(y, 0.2, seed=5), strict=False)
    )
    assert not np.array_equal(split_indices(y, 0.2, seed=5)[1], split_indices(y, 0.2, seed=6)[1])


def test_group_split_never_puts_a_group_on_both_sides():
    rng = np.random.default_rng(0)
    groups = [f"person{i % 12}" for i in range(240)]
    y = rng.integers(0, 3, 240)
    train, val = split_indices(y, 0.25, seed=2, groups=groups)
    g = np.array(groups)
    assert not set(g[train]) & set(g[val])
    assert 0.1 < len(val) / len(y) < 0.4
    assert set(y[val]) == {0, 1, 2}


def test_windows_without_a_group_value_are_split_one_by_one():
    groups = ["a"] * 10 + [None] * 30
    train, val = split_indices(np.zeros(40), 0.2, seed=1, groups=groups)
    g = np.array(groups, dtype=object)
    assert not ({"a"} & set(g[train]) and {"a"} & set(g[val]))
    assert len(val) > 0 and len(train) > 0


def test_one_group_only_cannot_be_split():
    with pytest.raises(TrainingDataError, match="one group"):
        split_indices(np.arange(10) % 2, 0.2, groups=["same"] * 10)


def test_regression_targets_split_without_stratification():
    y = np.linspace(0, 1, 50)
    train, val = split_indices(y, 0.2, seed=1, stratify=False)
    assert len(val) == 10 and len(train) == 40


def test_no_windows_is_a_training_data_error():
    with pytest.raises(TrainingDataError, match="No windows"):
        split_indices([], 0.2)
