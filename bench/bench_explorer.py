"""The data explorer job's numeric part at growing sizes: PCA, t-SNE (auto from 50 windows, on at
most 2,000 of them) and label suggestions, on synthetic feature vectors of 4 well-separated classes
with a quarter of the samples unlabeled. Prints seconds per stage and how many hidden labels the
suggestions recover; never asserts on time.

    python bench/bench_explorer.py [--windows 500,2000,10000] [--features 33]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from workers.pipeline.explorer import explore
from workers.pipeline.features import FeatureSet


def synthetic(windows: int, features: int, per_sample: int = 10, seed: int = 0) -> tuple[FeatureSet, dict[int, int]]:
    rng = np.random.default_rng(seed)
    samples = windows // per_sample
    truth = rng.integers(0, 4, samples)
    centres = rng.normal(0, 4, (4, features))
    sample_ids = np.repeat(np.arange(1, samples + 1), per_sample)
    x = centres[truth[sample_ids - 1]] + rng.normal(0, 1.5, (len(sample_ids), features))
    hidden = {int(s): int(truth[s - 1]) for s in range(1, samples + 1) if s % 4 == 0}
    label_index = np.where(np.isin(sample_ids, list(hidden)), -1, truth[sample_ids - 1]).astype(np.int32)
    fs = FeatureSet(
        features=x.astype(np.float32),
        label_index=label_index,
        labels=["a", "b", "c", "d"],
        sample_ids=sample_ids.astype(np.int64),
        window_starts=np.tile(np.arange(per_sample), samples).astype(np.int64),
        categories=np.zeros(len(sample_ids), np.int8),
        feature_names=[f"f{i}" for i in range(features)],
        frequency_hz=62.5,
    )
    return fs, hidden


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--windows", default="500,2000,10000")
    ap.add_argument("--features", type=int, default=33)
    args = ap.parse_args()
    for n in (int(x) for x in args.windows.split(",")):
        fs, hidden = synthetic(n, args.features)
        for method in ("pca", "auto"):
            marks = [("start", time.perf_counter())]
            out = explore(fs, method, progress=lambda f, line, m=marks: m.append((line, time.perf_counter())))
            marks.append(("end", time.perf_counter()))
            proposed = {s: g["label"] for g in out["suggestions"]["groups"] for s in g["sample_ids"]}
            right = sum(proposed.get(s) == "abcd"[t] for s, t in hidden.items())
            stages = [round(b[1] - a[1], 2) for a, b in zip(marks, marks[1:], strict=False)]
            print(
                f"{n} windows, {method} -> {out['method']} on {out['shown']}: total {marks[-1][1] - marks[0][1]:.2f} s "
                f"(PCA {stages[0]} s, map {stages[1]} s, suggestions {stages[2]} s); "
                f"suggestions right for {right}/{len(hidden)} unlabeled samples"
            )


if __name__ == "__main__":
    main()
