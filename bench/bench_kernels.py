"""int8 kernels on a Cortex-M4F (qemu mps2-an386, -icount shift=0): portable C against the
DSP-extension paths (SXTB16 / SMLAD), on the keyword-spotting network.

KWS net: 50 x 13 MFCC input -> reshape -> conv1d 8 (k3, relu, same) -> max pool 2 -> conv1d 16
(k3, relu) -> max pool 2 -> flatten -> dense 3 softmax, int8 (random weights, converted with
representative data). Prints instructions per kernel call and per multiply-accumulate (MACs =
output values x filter taps x input channels) with the portable kernels (-DTF_NN_NO_DSP) and
the DSP paths, both -Os (as the deployed library builds) and the DSP paths at -O2, and checks the
outputs against LiteRT's reference. Never asserts on time.

    python bench/bench_kernels.py [--inputs 20]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from support.nn_m4 import run_models_on_m4  # noqa: E402

from workers.codegen.nn import generate_model_c  # noqa: E402
from workers.codegen.nn.lowering import lower_graph  # noqa: E402
from workers.codegen.tflite_reader import read_tflite  # noqa: E402

TARGET = 1.5  # instructions per MAC on the conv layers with the DSP path


def kws_tflite() -> bytes:
    import tensorflow as tf

    keras, layers = tf.keras, tf.keras.layers
    keras.utils.set_random_seed(3)
    model = keras.Sequential(
        [
            keras.Input((650,)),
            layers.Reshape((50, 13)),
            layers.Conv1D(8, 3, activation="relu", padding="same"),
            layers.MaxPooling1D(2),
            layers.Conv1D(16, 3, activation="relu"),
            layers.MaxPooling1D(2),
            layers.Flatten(),
            layers.Dense(3, activation="softmax"),
        ]
    )

    def representative():
        rng = np.random.default_rng(1)
        for _ in range(32):
            yield [rng.normal(0.0, 1.0, size=(1, 650)).astype(np.float32)]

    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    converter.representative_dataset = representative
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    converter.inference_input_type = tf.int8
    converter.inference_output_type = tf.int8
    with contextlib.redirect_stdout(io.StringIO()):  # the converter's "Saved artifact" chatter
        return converter.convert()


def macs_per_step(tflite: bytes) -> list[tuple[str, str, int]]:
    """(operator, kernel, MACs) of every kernel call, in order."""
    lowered = lower_graph(read_tflite(tflite))
    rows = []
    for step in lowered.steps:
        f = dict(step.call.fields)
        kernel = step.call.kernel
        if kernel.startswith("conv2d"):
            macs = f["batches"] * f["out_h"] * f["out_w"] * f["out_c"] * f["k_h"] * f["k_w"] * f["in_c"]
        elif kernel.startswith("depthwise"):
            macs = f["batches"] * f["out_h"] * f["out_w"] * f["in_c"] * f["depth_multiplier"] * f["k_h"] * f["k_w"]
        elif kernel.startswith("fully_connected"):
            macs = f["batches"] * f["accum_depth"] * f["out_depth"]
        else:
            macs = 0
        rows.append((step.op_name, kernel, macs))
    return rows


def reference(tflite: bytes, inputs: np.ndarray) -> np.ndarray:
    from ai_edge_litert.interpreter import Interpreter, OpResolverType

    it = Interpreter(model_content=tflite, experimental_op_resolver_type=OpResolverType.BUILTIN_REF)
    it.allocate_tensors()
    (src,), (dst,) = it.get_input_details(), it.get_output_details()
    out = []
    for x in inputs:
        it.set_tensor(src["index"], x[np.newaxis])
        it.invoke()
        out.append(it.get_tensor(dst["index"])[0].copy())
    return np.stack(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=20)
    args = parser.parse_args()
    tflite = kws_tflite()
    model = generate_model_c(tflite, prefix="kws")
    inputs = np.random.default_rng(0).integers(-128, 128, size=(args.inputs, 650)).astype(np.int8)
    expected = reference(tflite, inputs)
    steps = macs_per_step(tflite)
    builds = {
        "portable -Os": ("-Os", ("TF_NN_NO_DSP",)),
        "DSP -Os": ("-Os", ()),
        "DSP -O2": ("-O2", ()),
    }
    runs = {}
    with tempfile.TemporaryDirectory(prefix="bench-kernels-") as tmp:
        for name, (opt, defines) in builds.items():
            run = run_models_on_m4(
                [(model, inputs)], Path(tmp) / name.replace(" ", ""), opt=opt, defines=defines, step_timing=True
            )
            same = np.array_equal(run.outputs[0].reshape(expected.shape), expected)
            runs[name] = (run, same)

    print("keyword-spotting net (int8): 650 -> reshape 50x13 -> conv1d 8 k3 same relu -> max pool 2 -> conv1d 16 k3")
    print(
        f"relu -> max pool 2 -> flatten -> dense 3 softmax; arena {model.arena_size} B, weights {model.weights_bytes} B"
    )
    print(f"Cortex-M4F (qemu -icount), {args.inputs} random inputs; instructions per invocation, per MAC\n")
    header = f"  {'layer':<22}{'MACs':>8}" + "".join(f"{n:>24}" for n in builds)
    print(header)
    conv_macs = sum(m for op, k, m in steps if k.startswith("conv2d"))
    for i, (op, kernel, macs) in enumerate(steps):
        cells = ""
        for name in builds:
            n = runs[name][0].step_instructions[0][i]
            cells += f"{n:>12,}" + (f" ({n / macs:5.2f}/MAC)" if macs else " " * 12)
        print(f"  {op + ' ' + kernel.replace('_s8', ''):<22}{macs:>8,}{cells}")
    print()
    for name in builds:
        run, same = runs[name]
        conv = sum(run.step_instructions[0][i] for i, s in enumerate(steps) if s[1].startswith("conv2d"))
        total = run.instructions[0]
        all_macs = sum(m for _, _, m in steps)
        print(
            f"  {name:<13} whole net {total:>8,} instructions ({total / all_macs:.2f}/MAC);  conv layers "
            f"{conv:>8,} ({conv / conv_macs:.2f}/MAC, target <= {TARGET});  outputs equal LiteRT reference: {same}"
        )
    before = runs["portable -Os"][0].instructions[0]
    after = runs["DSP -Os"][0].instructions[0]
    print(f"\n  DSP path, -Os: {before / after:.2f}x fewer instructions for the whole net than the portable C")


if __name__ == "__main__":
    main()
