"""Accuracy and wall time of training with every setting at its default, float32 beside int8, on
small and larger sets: BasicMotions (public, real; from the sktime wheel) with 2, 5 and 10 s
windows, and the synthetic motion gestures from 8 recordings of 2 s per class to 100 of 10 s.
Pipeline code in process (features -> classifier -> float32 + int8 tflite -> test set).
Prints figures; never asserts.

    python bench/bench_default_training.py [--sets basic10s,synth8x2s] ['{"epochs": 30}' overrides]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BASIC_AXES = ["accX", "accY", "accZ", "gyrX", "gyrY", "gyrZ"]


def _motion():
    spec = importlib.util.spec_from_file_location("bench_motion", ROOT / "tests/backend/impulse/motion_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _runtime(axes, hz, window_ms, increase_ms):
    from backend.impulse.validation import DataFacts, validate_config
    from workers.pipeline.impulse import ImpulseRuntime

    cfg = {
        "input": {
            "axes": axes,
            "window_size_ms": window_ms,
            "window_increase_ms": increase_ms,
            "frequency_hz": hz,
            "zero_pad": True,
        },
        "processing": [{"id": "spectral", "type": "spectral-analysis", "params": {}}],
        "learning": [{"id": "classifier", "type": "keras-classifier", "inputs": ["spectral"], "params": {}}],
    }
    return ImpulseRuntime(validate_config(cfg, DataFacts(axes=set(axes), longest_ms=None)))


def _features(rt, recordings, axes, interval_ms):
    feats, labels = [], []
    for values, label in recordings:
        f = np.concatenate([rt.features(w) for w in rt.iter_windows(rt.signal(values, axes, interval_ms))])
        feats.append(f)
        labels += [label] * len(f)
    return np.concatenate(feats), np.asarray(labels)


def basic_motions(window_ms):
    from sktime.datasets import load_basic_motions

    rt = _runtime(BASIC_AXES, 10, window_ms, min(window_ms, 500))
    out = []
    for split in ("train", "test"):
        x, y = load_basic_motions(split=split, return_type="numpy3D")
        out.append(_features(rt, zip(x.transpose(0, 2, 1).astype(np.float32), y, strict=False), BASIC_AXES, 100.0))
    return out


def synthetic(per_class, test_per_class, seconds, window_ms):
    md = _motion()
    rt = _runtime(md.AXES, md.HZ, window_ms, 500)
    seed, out = 0, []
    for n in (per_class, test_per_class):
        recordings = []
        for label in md.LABELS:
            for _ in range(n):
                seed += 1
                recordings.append((md.motion(label, seconds, seed=seed), label))
        out.append(_features(rt, recordings, md.AXES, 1000 / md.HZ))
    return out


SETS = {
    "basic10s": lambda: basic_motions(10_000),
    "basic5s": lambda: basic_motions(5_000),
    "basic2s": lambda: basic_motions(2_000),
    "synth8x2s": lambda: synthetic(8, 4, 2, 2_000),
    "synth8x4s": lambda: synthetic(8, 4, 4, 4_000),
    "synth10x10s": lambda: synthetic(10, 3, 10, 2_000),
    "synth100x10s": lambda: synthetic(100, 10, 10, 2_000),
}


def main() -> None:
    from backend.blocks.learning import KERAS_CLASSIFIER
    from workers.learn.split import split_indices
    from workers.learn.train import train_classifier
    from workers.optimize.evaluate import run_tflite
    from workers.optimize.pipeline import optimize_and_evaluate

    ap = argparse.ArgumentParser()
    ap.add_argument("overrides", nargs="?", default="{}", help="training settings as JSON (default: none)")
    ap.add_argument("--sets", default=",".join(SETS))
    args = ap.parse_args()
    for name in args.sets.split(","):
        (x, names), (x_test, names_test) = SETS[name]()
        labels = sorted(set(names))
        y, y_test = np.searchsorted(labels, names), np.searchsorted(labels, names_test)
        params = KERAS_CLASSIFIER.validate(json.loads(args.overrides))
        train, val = split_indices(y, params["validation_split"], seed=params["seed"])
        started = time.perf_counter()
        trained = train_classifier(x[train], y[train], x[val], y[val], labels, params)
        opt = optimize_and_evaluate(
            trained.model, x[train], x[val], y[val], labels, normalization=trained.normalization
        )
        seconds = time.perf_counter() - started
        line = f"{name:13s} {len(x):5d} windows  {seconds:5.1f} s  epochs {trained.best_epoch}/{len(trained.history)}"
        for variant in ("float32", "int8"):
            probs = run_tflite(opt[variant]["tflite"], trained.model_input(x_test))
            line += (
                f"  | {variant}: validation {opt[variant]['metrics']['accuracy']:.3f} test "
                f"{(probs.argmax(axis=1) == y_test).mean():.3f} uncertain {(probs.max(axis=1) < 0.6).mean():.2f}"
            )
        print(line, flush=True)


if __name__ == "__main__":
    main()
