"""Per-core latency estimates of the board catalogue against qemu's instruction counts.

Builds generated impulse libraries for each core the catalogue measures (Cortex-M4F on qemu
mps2-an386, Cortex-M7 on mps2-an500, ARMv6-M / Cortex-M0+ code on microbit's Cortex-M0), runs the
first window under -icount shift=0 and prints, per configuration, core and stage: the measured
instructions, the estimate the studio gives (the Cortex-M4F cost model x the core's ratio, or for
ARMv6-M the DSP's units of work x its fitted unit costs; backend/blocks/boards.py) and its error,
and the ratio's own error (measured Cortex-M4F count x ratio). The motion impulse (int8 and float32) is the calibration point of the ratios; the other
configurations are held out: DSP-only libraries with other spectral settings and the keyword
audio impulse (MFCC + conv1d, int8). Never asserts on time.

    python bench/bench_boards.py [--no-audio]
"""

from __future__ import annotations

import argparse
import copy
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from support.library_build import run_core  # noqa: E402
from support.motion_impulse import train_motion_impulse  # noqa: E402

from backend.blocks.boards import CORES as MODELS  # noqa: E402
from workers.codegen.library import LibraryRequest, generate_library  # noqa: E402
from workers.codegen.library.targets import estimates_for  # noqa: E402

CORES = ("cortex-m4f", "cortex-m7", "cortex-m0plus")
STAGES = ("dsp", "nn", "anomaly")


def _dsp_only(motion, name: str, spectral: dict, version: int = 1) -> tuple[str, LibraryRequest]:
    impulse = copy.deepcopy(motion.impulse)
    block = impulse["processing_blocks"][0]
    block["params"], block["version"] = spectral, version
    impulse["learning_blocks"] = []
    return name, LibraryRequest("Bench", impulse, [], None, "int8", None)


def configurations(motion, audio: bool):
    for variant in ("int8", "float32"):
        req = LibraryRequest(
            "Bench",
            motion.impulse,
            motion.labels,
            motion.tflite[variant],
            variant,
            motion.anomaly,
            model_feature_normalization=motion.normalization,
        )
        yield f"motion {variant} (calibration)", req, motion.test_windows[:1]
    for name, spectral, version in (
        ("spectral FFT 16, no filter", {"fft_length": 16, "filter_type": "none"}, 1),
        ("spectral FFT 32, high-pass 2 Hz", {"fft_length": 32, "filter_type": "high", "filter_cutoff": 2.0}, 1),
        ("spectral v2 FFT 32, low-pass", {"fft_length": 32, "filter_type": "low", "filter_cutoff": 8.0}, 2),
    ):
        label, req = _dsp_only(motion, f"DSP only: {name}", spectral, version)
        yield label, req, motion.test_windows[:1]
    if audio:
        from support.audio_impulse import train_audio_impulse

        a = train_audio_impulse()
        req = LibraryRequest(
            "Bench", a.impulse, a.labels, a.tflite_int8, "int8", None, model_feature_normalization=a.normalization
        )
        yield "keyword audio int8: MFCC 50x13 + conv1d", req, a.test_windows[:1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-audio", action="store_true", help="skip the audio impulse (its training)")
    args = parser.parse_args()
    motion = train_motion_impulse()
    worst: dict[str, float] = {}
    print(
        f"{'configuration':45} {'core':14} {'stage':8} {'measured':>11} {'estimate':>11} {'err %':>7} {'ratio err %':>11}"
    )
    with tempfile.TemporaryDirectory(prefix="bench-boards-") as tmp:
        for label, req, windows in configurations(motion, not args.no_audio):
            lib = generate_library(req)
            model = estimates_for(lib, req)
            flat = windows.reshape(len(windows), -1)
            runs = {}
            for c in CORES:  # audio windows do not fit the microbit's 16 KB: the same ARMv6-M build on an385
                machine = "armv6m-on-an385" if c == "cortex-m0plus" and flat.shape[1] > 2000 else c
                runs[c] = run_core(machine, lib.sources, lib.header, flat, Path(tmp) / f"{c}-{abs(hash(label))}")
            m4 = runs["cortex-m4f"].instructions
            for core in CORES:
                ratios = MODELS[core]
                measured = runs[core].instructions
                for stage in (*STAGES, "total"):
                    stages = STAGES if stage == "total" else (stage,)
                    got = sum(measured[s] for s in stages)
                    if got == 0 or all(model[s]["instructions"] == 0 for s in stages):
                        continue  # a stage the library does not have (its count is the timer's own)
                    work = model["dsp"]["work"] if "dsp" in stages else None
                    nn_work = model["nn"].get("work") if "nn" in stages else None
                    est = ratios.instructions({s: model[s]["instructions"] for s in stages}, req.variant, work, nn_work)
                    inputs = {"inputs": nn_work["inputs"]} if nn_work else None
                    from_m4 = ratios.instructions({s: m4[s] for s in stages}, req.variant, None, inputs)
                    err, ratio_err = 100 * (est - got) / got, 100 * (from_m4 - got) / got
                    if stage == "total" and "calibration" not in label:
                        worst[core] = max(worst.get(core, 0.0), abs(err))
                    print(
                        f"{label:45} {core:14} {stage:8} {got:>11,} {round(est):>11,} {err:>+7.1f} {ratio_err:>+11.1f}"
                    )
            fp = {c: runs[c].footprint["flash"] for c in CORES}
            stack = {c: runs[c].stack_bytes for c in CORES}
            print(f"{label:45} flash bytes {fp}  stack peak bytes {stack}")
    print("largest total error on held-out configurations: " + ", ".join(f"{c} {e:.1f} %" for c, e in worst.items()))


if __name__ == "__main__":
    main()
