"""The wasm deployment target: the standard motion impulse (spectral analysis -> dense -> 4
classes, K-means) and the keyword audio impulse (MFCC -> conv1d), int8, compiled to WebAssembly
with clang. Prints the module's size, the time clang takes, and the time of one classify() in
Node 20 against the same C compiled natively with gcc -O2 on this host (run_classifier in a loop).
Never asserts on time.

    python bench/bench_wasm.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from support.audio_impulse import train_audio_impulse  # noqa: E402
from support.library_build import run_host  # noqa: E402
from support.motion_impulse import train_motion_impulse  # noqa: E402

from workers.codegen.library import LibraryRequest, generate_library  # noqa: E402
from workers.codegen.library.wasm import WRAPPER, compile_wasm, wrapper_js  # noqa: E402

NODE_TIMER = ROOT / "tests" / "support" / "wasm" / "time_node.mjs"


def measure(name: str, req: LibraryRequest, windows: np.ndarray, rounds: int, workdir: Path) -> None:
    lib = generate_library(req)
    t0 = time.perf_counter()
    build = compile_wasm(lib, req)
    compile_s = time.perf_counter() - t0
    (workdir / "impulse.wasm").write_bytes(build.wasm)
    (workdir / WRAPPER).write_text(wrapper_js())
    (workdir / "windows.bin").write_bytes(np.ascontiguousarray(windows, dtype="<f4").tobytes())
    node_us = float(
        subprocess.run(
            ["node", str(NODE_TIMER), *(str(workdir / f) for f in (WRAPPER, "impulse.wasm", "windows.bin"))]
            + [str(len(windows)), str(rounds)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    run_host(lib.sources, lib.header, windows, workdir / "native")  # builds harness_host (gcc -O2)
    t0 = time.perf_counter()
    for _ in range(rounds):  # the native program also prints every window: an upper bound for the C alone
        subprocess.run([str(workdir / "native" / "harness_host")], capture_output=True, check=True)
    native_us = (time.perf_counter() - t0) * 1e6 / (rounds * len(windows))
    print(
        f"{name}: module {len(build.wasm)} bytes, clang {compile_s:.2f} s; one window: "
        f"wasm in Node {node_us:.0f} us, native gcc -O2 <= {native_us:.0f} us (incl. printing, process start spread over the windows)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    motion = train_motion_impulse()
    audio = train_audio_impulse()
    with tempfile.TemporaryDirectory(prefix="bench-wasm-") as tmp:
        motion_req = LibraryRequest(
            "Motion Demo",
            motion.impulse,
            motion.labels,
            motion.tflite["int8"],
            "int8",
            motion.anomaly,
            model_feature_normalization=motion.normalization,
        )
        (Path(tmp) / "motion").mkdir()
        measure(
            "motion",
            motion_req,
            motion.test_windows.reshape(len(motion.test_windows), -1),
            args.rounds,
            Path(tmp) / "motion",
        )
        audio_req = LibraryRequest(
            "Keywords",
            audio.impulse,
            audio.labels,
            audio.tflite_int8,
            "int8",
            None,
            model_feature_normalization=audio.normalization,
        )
        (Path(tmp) / "audio").mkdir()
        measure(
            "keyword audio",
            audio_req,
            audio.test_windows.reshape(len(audio.test_windows), -1),
            args.rounds,
            Path(tmp) / "audio",
        )


if __name__ == "__main__":
    main()
