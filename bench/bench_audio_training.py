"""Train -> int8 -> C library wall time for the synthetic keyword project (tests/support/synthetic_audio.py).

Three classes of 1 s clips at 16 kHz (tone, chirp, noise bursts), MFCC with its defaults (50 x 13
features; or MFE, spectrogram), the learning block a new impulse proposes for it (conv1d keyword-
spotting net, conv2d for the spectrogram; time shift and SpecAugment masks), every other training setting at its default. In process (no
database, no jobs): features, training, int8 conversion and evaluation, the network's C code,
and the whole library when the generator supports the impulse. Prints figures; never asserts.

    python bench/bench_audio_training.py [--block mfcc] [--train 30] [--test 10] [--seed 1] ['{"epochs": 50}' overrides]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support import synthetic_audio  # noqa: E402

CONFIG = {
    "input": {
        "axes": ["audio"],
        "window_size_ms": 1000,
        "window_increase_ms": 1000,
        "frequency_hz": 16000,
        "zero_pad": True,
    },
    "processing": [{"id": "mfcc", "type": "mfcc", "params": {}}],
    "learning": [{"id": "classifier", "type": "keras-classifier", "inputs": ["mfcc"], "params": {}}],
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--train", type=int, default=30, help="training clips per class")
    ap.add_argument("--test", type=int, default=10, help="test clips per class")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--block", default="mfcc", choices=("mfcc", "mfe", "spectrogram"), help="processing block")
    ap.add_argument("overrides", nargs="?", default="{}", help="learning block parameters (JSON)")
    args = ap.parse_args()

    from backend.impulse.validation import validate_config
    from workers.learn.split import split_indices
    from workers.learn.train import train_classifier
    from workers.optimize.pipeline import optimize_and_evaluate
    from workers.pipeline.impulse import ImpulseRuntime

    config = json.loads(json.dumps(CONFIG))
    config["processing"][0]["type"] = args.block
    config["learning"][0]["params"] = json.loads(args.overrides)
    config = validate_config(config)
    runtime = ImpulseRuntime(config)
    block = config["learning"][0]
    params = block["params"]
    labels = list(synthetic_audio.CLASSES)

    def features(per_class: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
        clips = synthetic_audio.dataset(per_class, seed=seed)
        windows = np.stack([c for _, c in clips]).astype(np.float32)[:, :, None]
        return runtime.features(windows), np.array([labels.index(label) for label, _ in clips])

    t0 = time.perf_counter()
    x, y = features(args.train, args.seed)
    x_test, y_test = features(args.test, args.seed + 1000)
    t1 = time.perf_counter()
    train_idx, val_idx = split_indices(y, params["validation_split"], seed=params["seed"], stratify=True)
    trained = train_classifier(
        x[train_idx], y[train_idx], x[val_idx], y[val_idx], labels, params, columns=runtime.frame_columns(block)
    )
    t2 = time.perf_counter()
    opt = optimize_and_evaluate(
        trained.model, x[train_idx], x_test, y_test, labels, normalization=trained.normalization
    )
    t3 = time.perf_counter()

    from workers.codegen.nn import generate_model_c

    generate_model_c(opt["int8"]["tflite"])
    t4 = time.perf_counter()
    library_note = ""
    try:
        from workers.codegen.library import LibraryRequest, generate_library

        impulse = {
            "input": config["input"],
            "processing_blocks": [
                {
                    "id": 1,
                    "type": args.block,
                    "version": config["processing"][0]["version"],
                    "params": config["processing"][0]["params"],
                    "axes": ["audio"],
                }
            ],
            "learning_blocks": [{"id": 2, "type": "keras-classifier", "params": {}}],
        }
        lib = generate_library(
            LibraryRequest(
                "keywords",
                impulse,
                labels,
                opt["int8"]["tflite"],
                "int8",
                model_feature_normalization=trained.normalization.to_json(),
            )
        )
        library_note = (
            f"{len(lib.sources)} source files, {sum(len(s) for s in lib.sources.values()) / 1024:.0f} KB of C"
        )
    except Exception as e:  # the library generator may not support audio DSP yet: say so, keep the figures
        library_note = f"not generated ({type(e).__name__}: {e})"
    t5 = time.perf_counter()

    m = opt["int8"]["metrics"]
    print(
        f"synthetic keywords, {args.block} ({x.shape[1]} features): {len(x)} training clips ({len(train_idx)} train / {len(val_idx)} validation), {len(x_test)} test clips"
    )
    print(f"architecture: {[layer['type'] for layer in params['architecture']]}")
    print(
        f"augmentation: time_shift {params['time_shift']}, time_masks {params['time_masks']}, freq_masks {params['freq_masks']}"
    )
    print(f"epochs run {len(trained.history)} (best {trained.best_epoch}, stopped early: {trained.stopped_early})")
    print(
        f"test accuracy int8 {m.get('accuracy', float('nan')):.3f}, float32 {opt['float32']['metrics'].get('accuracy', float('nan')):.3f}"
    )
    print(f"int8 model {len(opt['int8']['tflite']) / 1024:.1f} KB; library: {library_note}")
    print(
        f"wall time: features {t1 - t0:.2f} s, training {t2 - t1:.2f} s, int8 conversion + evaluation "
        f"{t3 - t2:.2f} s, network C {t4 - t3:.2f} s, library {t5 - t4:.2f} s; train -> int8 library {t5 - t1:.2f} s"
    )


if __name__ == "__main__":
    main()
