"""Wall time from "train" to the int8 model for the synthetic motion project (pipeline code, in
process: features -> classifier -> float32 + int8 tflite -> evaluation), plus the DSP preview of
one window and the test run. Prints figures; never asserts on time.

    python bench/bench_pipeline.py [--per-class 10] [--seconds 10] [--epochs 100]
"""

from __future__ import annotations

import argparse
import copy
import importlib.util
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _motion():
    spec = importlib.util.spec_from_file_location("bench_motion", ROOT / "tests/backend/impulse/motion_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-class", type=int, default=10)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--epochs", type=int, default=100)
    args = ap.parse_args()

    from backend.impulse.validation import validate_config
    from workers.pipeline.features import SampleInfo, generate_features
    from workers.pipeline.impulse import ImpulseRuntime
    from workers.pipeline.inference import TrainedImpulseModel
    from workers.pipeline.interactive import preview_window
    from workers.pipeline.testing import run_test_set
    from workers.pipeline.training import train_impulse

    motion = _motion()
    raw = copy.deepcopy(motion.IMPULSE)
    raw["learning"][0]["params"]["epochs"] = args.epochs
    config = validate_config(raw)
    runtime = ImpulseRuntime(config)
    values, samples = {}, []
    for label in motion.LABELS:
        for category, n in (("training", args.per_class), ("testing", max(1, args.per_class // 3))):
            for _ in range(n):
                i = len(samples) + 1
                values[i] = motion.motion(label, args.seconds, seed=i)
                samples.append(SampleInfo(i, label, category, 16.0, len(values[i]), motion.AXES))
    load = lambda ids: {k: values[k] for k in ids}  # noqa: E731

    t0 = time.perf_counter()
    import tensorflow  # noqa: F401 - a worker pays this once per process; shown apart

    t_import = time.perf_counter() - t0

    t0 = time.perf_counter()
    fs = generate_features(samples, load, runtime)
    t_features = time.perf_counter() - t0
    t1 = time.perf_counter()
    trained = train_impulse(fs, runtime, log=lambda _: None)
    t_train = time.perf_counter() - t1
    total = time.perf_counter() - t0
    int8 = next(f[2] for f in trained.files if f[0] == "model.tflite.int8")
    m = trained.result["metrics"]

    model = TrainedImpulseModel.from_training({**trained.result, "impulse": config}, int8, None)
    t0 = time.perf_counter()
    report = run_test_set([s for s in samples if s.category == "testing"], load, model)
    t_test = time.perf_counter() - t0
    signal = runtime.signal(values[1], motion.AXES, 16.0)
    preview_window(runtime, signal, 0.0)
    t0 = time.perf_counter()
    for _ in range(20):
        preview_window(runtime, signal, 1000.0)
    t_preview = (time.perf_counter() - t0) / 20

    print(
        f"dataset: {len(samples)} samples x {args.seconds:g} s, {len(fs.features)} windows x {fs.features.shape[1]} features"
    )
    print(f"import tensorflow (once per worker): {t_import:.2f} s")
    print(
        f"train -> int8 model: {total:.2f} s  (features {t_features:.2f} s, training {args.epochs} epochs + "
        f"conversion + evaluation {t_train:.2f} s)"
    )
    print(
        f"validation accuracy float32 {m['float32']['accuracy']:.4f}, int8 {m['int8']['accuracy']:.4f}, "
        f"agreement {m['int8_float_agreement']:.4f}; int8 model {m['int8']['size']} bytes"
    )
    print(
        f"test run: {report['metrics']['windows']} windows in {t_test:.2f} s, int8 accuracy "
        f"{report['metrics']['accuracy']:.4f}"
    )
    print(f"DSP preview of one window (all blocks + graphs): {t_preview * 1000:.1f} ms")


if __name__ == "__main__":
    main()
