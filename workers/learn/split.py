"""Train/validation split: stratified by class, optionally keeping groups on one side.

Groups are the values of a metadata key (e.g. the participant) per window: validation then
measures how the model does on groups it never saw. Pure numpy, deterministic for a seed.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np

from workers.learn.errors import TrainingDataError


def _round(x: float) -> int:
    return int(np.floor(x + 0.5))


def split_indices(
    y: np.ndarray | Sequence,
    validation_split: float,
    *,
    seed: int = 1,
    groups: Sequence[Hashable | None] | None = None,
    stratify: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """Return sorted (train_indices, validation_indices) over the windows.

    y: one label per window (stratification key); pass stratify=False for regression targets.
    groups: one group value per window, or None. A window whose group is None is its own group.
    With groups, whole groups go to one side and class proportions are matched greedily.
    Every class with two windows or more gets at least one window on each side (without groups).
    """
    y = np.asarray(y)
    n = len(y)
    if n == 0:
        raise TrainingDataError("No windows to split: add training data first.")
    if not 0.0 < validation_split < 1.0:
        raise TrainingDataError(f"Validation size must be between 0 and 1, got {validation_split}.")
    rng = np.random.default_rng(seed)
    strata = y if stratify else np.zeros(n, dtype=np.int64)
    classes, codes = np.unique(strata, return_inverse=True)
    codes = codes.reshape(-1)
    if groups is None:
        val = _split_windows(codes, len(classes), validation_split, rng)
    else:
        if len(groups) != n:
            raise TrainingDataError(f"Got {len(groups)} group values for {n} windows.")
        val = _split_groups(codes, len(classes), list(groups), validation_split, rng)
    mask = np.zeros(n, dtype=bool)
    mask[val] = True
    return np.flatnonzero(~mask), np.flatnonzero(mask)


def _split_windows(codes: np.ndarray, n_classes: int, fraction: float, rng: np.random.Generator) -> np.ndarray:
    val = []
    for c in range(n_classes):
        members = np.flatnonzero(codes == c)
        take = _round(len(members) * fraction)
        if len(members) >= 2:
            take = min(max(take, 1), len(members) - 1)
        else:
            take = 0
        val.append(rng.permutation(members)[:take])
    return np.concatenate(val) if val else np.zeros(0, dtype=np.int64)


def _split_groups(
    codes: np.ndarray, n_classes: int, groups: list, fraction: float, rng: np.random.Generator
) -> np.ndarray:
    keys = [("window", i) if g is None else ("group", g) for i, g in enumerate(groups)]
    # Order groups by their text so the result does not depend on window order, then shuffle.
    unique = sorted(set(keys), key=repr)
    if len(unique) < 2:
        raise TrainingDataError(
            "All windows belong to one group, so no group is left for validation: "
            "add data from another group or clear the validation group key."
        )
    index = {k: i for i, k in enumerate(unique)}
    gid = np.array([index[k] for k in keys])
    counts = np.zeros((len(unique), n_classes))
    np.add.at(counts, (gid, codes), 1)
    target = counts.sum(axis=0) * fraction
    have = np.zeros(n_classes)
    chosen: list[int] = []
    for g in rng.permutation(len(unique)):
        if len(chosen) == len(unique) - 1:
            break  # keep at least one group for training
        before = np.abs(target - have).sum()
        after = np.abs(target - have - counts[g]).sum()
        if after < before:
            chosen.append(int(g))
            have += counts[g]
    if not chosen:  # every group is larger than the wanted validation set: take the smallest
        chosen = [int(np.argmin(counts.sum(axis=1)))]
    return np.flatnonzero(np.isin(gid, chosen))
