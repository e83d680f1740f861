"""The standard motion impulse as a deployed library on a Cortex-M4F (qemu mps2-an386, -icount).

Spectral analysis (62.5 Hz, 2 s window, low-pass 8 Hz, FFT 64: 33 features) -> dense 20 ->
dense 10 -> 4 classes (int8), K-means 32 clusters, trained on synthetic gestures. Prints flash,
RAM and instructions per inference (DSP, NN, anomaly) against the targets (<= 2 KB RAM, <= 16 KB
flash, <= 320k instructions), the estimate model's figures, the float32 variant, and, if the
`tflite-micro` Python package is installed, its outputs and arena size for the same .tflite.
Never asserts on time.

    python bench/bench_deployment.py [--windows 300]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from support.library_build import run_host, run_m4  # noqa: E402
from support.motion_impulse import train_motion_impulse  # noqa: E402

from workers.codegen.library import LibraryRequest, generate_library  # noqa: E402
from workers.codegen.library.targets import estimates_for  # noqa: E402
from workers.codegen.nn import generate_model_c  # noqa: E402
from workers.optimize.evaluate import quantize, run_tflite  # noqa: E402

TARGETS = {"ram": 2 * 1024, "flash": 16 * 1024, "instructions": 320_000}
EDGE_IMPULSE = "Edge Impulse publishes 6.4 KB RAM, 42.5 KB flash, 17 ms on a Cortex-M4F @ 80 MHz"


def measure(motion, variant: str, windows: np.ndarray, workdir: Path) -> dict:
    req = LibraryRequest(
        "motion",
        motion.impulse,
        motion.labels,
        motion.tflite[variant],
        variant,
        motion.anomaly,
        model_feature_normalization=motion.normalization,
    )
    lib = generate_library(req)
    host = run_host(lib.sources, lib.header, windows, workdir / f"host-{variant}")
    m4 = run_m4(lib.sources, lib.header, windows, workdir / f"m4-{variant}")
    return {
        "lib": lib,
        "req": req,
        "host": host,
        "m4": m4,
        "same_bits": host.text == m4.text,
        "difference": output_difference(host, m4),
        "ram": m4.footprint["static_ram"] + m4.stack_bytes,
        "estimates": estimates_for(lib, req),
    }


def output_difference(host, m4) -> dict[str, float]:
    """Largest host/M4 difference of the scores, features and anomaly: absolute and in float32 ULPs.

    The float32 network's scores may differ by 1 ULP: its softmax calls the C library's expf(),
    and glibc's and newlib's differ in the last bit for some inputs (the outputs are bit-identical
    when both builds use the same portable exp; checked, also before the kernels/audio-c merges)."""
    out = {"abs": 0.0, "ulp": 0}
    for a, b in ((host.scores, m4.scores), (host.features, m4.features), (host.anomaly, m4.anomaly)):
        a, b = np.asarray(a, np.float32), np.asarray(b, np.float32)
        out["abs"] = max(out["abs"], float(np.abs(a - b).max(initial=0.0)))
        ulp = np.abs(a.view(np.int32).astype(np.int64) - b.view(np.int32).astype(np.int64))
        out["ulp"] = max(out["ulp"], int(ulp.max(initial=0)))
    return out


def report(name: str, r: dict) -> None:
    m4, fp = r["m4"], r["m4"].footprint
    total = sum(m4.instructions.values())
    print(f"\n{name}")
    if r["same_bits"]:
        print("  host and Cortex-M4F outputs: bit-identical on every window")
    else:
        d = r["difference"]
        print(
            f"  host and Cortex-M4F outputs: within {d['ulp']} ULP (max |difference| {d['abs']:.3g}); "
            "not bit-identical (float32 softmax: glibc's and newlib's expf() differ in the last bit)"
        )
    print(
        f"  flash {fp['flash']:,} B (code {fp['text']:,} + constants {fp['rodata']:,} + data {fp['data']} "
        f"+ libm {fp['libm_flash']:,})   target <= {TARGETS['flash']:,}"
    )
    print(
        f"  RAM   {r['ram']:,} B (static {fp['static_ram']:,} + stack peak {m4.stack_bytes})   "
        f"target <= {TARGETS['ram']:,}"
    )
    print(
        "        (tests/support/library_harness.c: run_classifier() on each window, features read back with "
        "tf_classifier_features(); static = the library's .data/.bss, stack = painted peak of run_classifier)"
    )
    print(
        f"  instructions per inference: {total:,} (DSP {m4.instructions['dsp']:,}, NN {m4.instructions['nn']:,}, "
        f"anomaly {m4.instructions['anomaly']:,})   target <= {TARGETS['instructions']:,}"
    )
    print(
        f"  at 80 MHz, 1 instruction/cycle: {total / 80e3:.2f} ms; estimate model "
        f"{r['estimates']['total']['latency_ms']:.2f} ms, {r['estimates']['total']['instructions']:,} instructions, "
        f"flash {r['estimates']['total']['flash_bytes']:,} B, RAM {r['estimates']['total']['ram_bytes']:,} B"
    )


@contextlib.contextmanager
def captured_output(path: Path):
    """stdout and stderr of C++ code (file descriptors 1 and 2) into `path`."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = [os.dup(1), os.dup(2)]
    with open(path, "w") as f:
        os.dup2(f.fileno(), 1)
        os.dup2(f.fileno(), 2)
        try:
            yield
        finally:
            for fd, old in ((1, saved[0]), (2, saved[1])):
                os.dup2(old, fd)
                os.close(old)


def compare_tflite_micro(motion, features: np.ndarray, workdir: Path) -> None:
    try:
        from tflite_micro.python.tflite_micro import runtime
    except ImportError:
        print("\ntflite-micro: not installed (pip install tflite-micro), comparison skipped")
        return
    tflite = motion.tflite["int8"]
    features = motion.model_input(features)  # the network takes normalised features
    it = runtime.Interpreter.from_bytes(tflite)
    detail = it.get_input_details(0)["quantization_parameters"]
    x = quantize(features, float(detail["scales"][0]), int(detail["zero_points"][0]))
    micro = []
    for row in x:
        it.set_input(row[None, :], 0)
        it.invoke()
        micro.append(it.get_output(0).reshape(-1).copy())
    micro = np.asarray(micro, dtype=np.int32)
    out = it.get_output_details(0)["quantization_parameters"]
    reference = run_tflite(tflite, features)  # dequantized BUILTIN_REF = our C library's scores
    ref_q = np.round(reference / np.float32(out["scales"][0])).astype(np.int32) + int(out["zero_points"][0])
    diff = np.abs(micro - ref_q)
    log = workdir / "allocations.txt"
    with captured_output(log):
        it.print_allocations()
    text = log.read_text()
    arena = dict(re.findall(r"Arena allocation (total|head|tail) (\d+) bytes", text))
    ours = generate_model_c(tflite)
    print("\ntflite-micro (Python runtime) on the same int8 .tflite and inputs:")
    print(
        f"  windows with outputs equal to BUILTIN_REF (= TinyForge C): {(diff.max(axis=1) == 0).sum()} of {len(diff)}; "
        f"max difference {diff.max()} LSB; same label on {(micro.argmax(1) == ref_q.argmax(1)).sum()}"
    )
    print(
        f"  tflite-micro arena: {arena.get('total', '?')} B (head {arena.get('head', '?')} B activations, "
        f"tail {arena.get('tail', '?')} B interpreter bookkeeping), plus the interpreter's code"
    )
    print(
        f"  TinyForge: activation arena {ours.arena_size} B (static liveness plan) + {ours.input_shape[-1]} B "
        f"int8 input + {ours.output_shape[-1]} B output, constants {ours.weights_bytes} B, no interpreter"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--windows", type=int, default=300)
    args = parser.parse_args()
    motion = train_motion_impulse(n_test_per_class=max(1, args.windows // 4))
    windows = motion.test_windows.reshape(len(motion.test_windows), -1)
    print(
        f"standard motion impulse: 125 x 3 @ 62.5 Hz, spectral (low 8 Hz, FFT 64) -> 33 features -> "
        f"dense 20 -> dense 10 -> 4 classes, K-means 32; {len(windows)} test windows"
    )
    print(EDGE_IMPULSE)
    with tempfile.TemporaryDirectory(prefix="bench-deploy-") as tmp:
        int8 = measure(motion, "int8", windows, Path(tmp))
        report("int8 network (default)", int8)
        report("float32 network", measure(motion, "float32", windows, Path(tmp)))
        compare_tflite_micro(motion, int8["host"].features, Path(tmp))


if __name__ == "__main__":
    main()
