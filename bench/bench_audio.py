"""Every figure of the standard keyword impulse (issue 11): Python DSP throughput, train -> int8
library wall time, and the generated library on a Cortex-M4F. Prints figures; never asserts on time.

The impulse: 1 s windows at 16 kHz, MFCC with the keyword defaults (13 coefficients, frame 0.02 s,
stride 0.02 s, FFT 256, 32 filters -> 50 x 13 = 650 features), the keyword-spotting conv1d net a new
impulse proposes for it (backend/blocks/learning.py), int8.

Sections (--sections, default all):
  python    MFCC (and MFE, spectrogram) windows/s, batched in chunks as the feature job does and one
            window per call. Target >= 5,000 MFCC windows/s batched on 2 cores.
  training  the synthetic keyword project (tests/support/synthetic_audio.py: tone, chirp, noise) in
            process: features, training (defaults), int8 conversion + evaluation and the whole C
            library, each timed; train -> int8 library end to end.
  m4        the GENERATED LIBRARY of that trained impulse bare-metal on a Cortex-M4F (qemu
            mps2-an386, -icount shift=0, -Os, tests/support/library_build.py): a program streaming
            slices through run_classifier_continuous; its first call runs the whole window's DSP
            (tf_dsp_run), the later ones one slice's (tf_dsp_run_shifted), each followed by the
            network. Instructions per stage, a full inference and one slice (and ms at 80 MHz, one
            instruction per cycle), flash and RAM (static + peak stack, without the audio window
            buffer), each against its target, and the static RAM by symbol; for 5 slices per window
            (the library's default for this impulse: 3200 samples = 10 frames) and 4 (4000 samples,
            not a multiple of the frame stride: every slice recomputes the whole window).
            Then the DSP by stage (a measuring copy of tf_dsp.c with SysTick reads around framing +
            FFT + power, each frame, the normalization), and the network per layer with the
            portable kernels and the DSP-extension paths (tests/support/nn_m4.py), instructions per
            MAC, outputs checked against LiteRT's reference kernels.
            Targets: full inference <= 1.5 M instructions, one slice <= 0.5 M, RAM <= 8 KB,
            flash <= 32 KB, conv layers <= 1.5 instructions per MAC (DSP path).

    python bench/bench_audio.py [--sections python,training,m4] [--windows 4000] [--chunk 256]
        [--repeat 3] [--blocks mfcc,mfe,spectrogram] [--train 30] [--test 10] [--seed 1]
        [--slices-per-window 4,5] [--inputs 20] ['{"epochs": 50}' learning block overrides]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from support import synthetic_audio  # noqa: E402

from workers.dsp.registry import get_processing_block  # noqa: E402

FS = 16000.0
KEYWORD = {"frequency_hz": FS, "window_size_ms": 1000, "axes": ["audio"]}


def keyword_audio(count: int) -> np.ndarray:
    """int16-range windows: a tone with a noise burst, different per window."""
    rng = np.random.default_rng(0)
    t = np.arange(16000) / FS
    f = rng.uniform(200, 3000, (count, 1))
    x = 8000 * np.sin(2 * np.pi * f * t) * (np.abs(t - 0.5) < 0.3) + rng.normal(0, 300, (count, 16000))
    return np.round(x).astype(np.float32)[:, :, None]


def measure(block_id: str, windows: np.ndarray, chunk: int, repeat: int) -> tuple[int, float, float]:
    block = get_processing_block(block_id)
    params = block.spec.validate({}, KEYWORD)
    features = block.features(windows[:8], params, FS).shape[1]  # warm-up (filterbank, matrices)
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for i in range(0, len(windows), chunk):
            block.features(windows[i : i + chunk], params, FS)
        best = min(best, time.perf_counter() - start)
    singles = min(200, len(windows))
    start = time.perf_counter()
    for i in range(singles):
        block.features(windows[i : i + 1], params, FS)
    return features, len(windows) / best, singles / (time.perf_counter() - start)


def macs_per_step(tflite: bytes) -> list[tuple[str, str, int]]:
    """(operator, kernel, MACs) of every kernel call, in order."""
    from workers.codegen.nn.lowering import lower_graph
    from workers.codegen.tflite_reader import read_tflite

    lowered = lower_graph(read_tflite(tflite))
    rows = []
    for step in lowered.steps:
        f = dict(step.call.fields)
        kernel = step.call.kernel
        if kernel.startswith("conv2d"):
            macs = f["batches"] * f["out_h"] * f["out_w"] * f["out_c"] * f["k_h"] * f["k_w"] * f["in_c"]
        elif kernel.startswith("conv1d"):
            macs = f["batches"] * f["out_h"] * f["out_w"] * f["out_c"] * f["k_w"] * f["in_c"]
        elif kernel.startswith("depthwise"):
            macs = f["batches"] * f["out_h"] * f["out_w"] * f["in_c"] * f["depth_multiplier"] * f["k_h"] * f["k_w"]
        elif kernel.startswith("fully_connected"):
            macs = f["batches"] * f["accum_depth"] * f["out_depth"]
        else:
            macs = 0
        rows.append((step.op_name, kernel, macs))
    return rows


TARGETS = {"full": 1_500_000, "slice": 500_000, "ram": 8 * 1024, "flash": 32 * 1024, "per_mac": 1.5}
MHZ = 80
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


def python_section(args) -> None:
    windows = keyword_audio(args.windows)
    load = os.getloadavg()
    print(
        f"{os.cpu_count()} cores, load average before {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
        "(the machine is shared: figures drop as load rises)"
    )
    for block_id in args.blocks.split(","):
        features, batched, single = measure(block_id, windows, args.chunk, args.repeat)
        print(f"{block_id} (defaults, 1 s @ 16 kHz -> {features} features)")
        print(
            f"  batched, chunks of {args.chunk}: {batched:,.0f} windows/s (best of {args.repeat}, "
            f"{args.windows} windows)" + ("   target >= 5,000" if block_id == "mfcc" else "")
        )
        print(f"  one window per call:  {single:,.0f} windows/s")
    print(f"load average after {os.getloadavg()[0]:.2f}")


def train_keywords(args) -> dict:
    """Features, training, int8 conversion + evaluation, network C and the whole library, timed."""
    from backend.impulse.validation import validate_config
    from workers.codegen.library import LibraryRequest, generate_library
    from workers.codegen.nn import generate_model_c
    from workers.learn.split import split_indices
    from workers.learn.train import train_classifier
    from workers.optimize.pipeline import optimize_and_evaluate
    from workers.pipeline.impulse import ImpulseRuntime

    config = json.loads(json.dumps(CONFIG))
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
    with contextlib.redirect_stdout(io.StringIO()):
        trained = train_classifier(
            x[train_idx], y[train_idx], x[val_idx], y[val_idx], labels, params, columns=runtime.frame_columns(block)
        )
    t2 = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):  # the converter's chatter
        opt = optimize_and_evaluate(
            trained.model, x[train_idx], x_test, y_test, labels, normalization=trained.normalization
        )
    t3 = time.perf_counter()
    generate_model_c(opt["int8"]["tflite"])
    t4 = time.perf_counter()
    impulse = {
        "input": config["input"],
        "processing_blocks": [
            {
                "id": 1,
                "type": "mfcc",
                "version": config["processing"][0]["version"],
                "params": config["processing"][0]["params"],
                "axes": ["audio"],
            }
        ],
        "learning_blocks": [{"id": 2, "type": "keras-classifier", "params": {}}],
    }
    request = LibraryRequest(
        "keywords",
        impulse,
        labels,
        opt["int8"]["tflite"],
        "int8",
        model_feature_normalization=trained.normalization.to_json(),
    )
    lib = generate_library(request)
    t5 = time.perf_counter()
    return {
        "x": x,
        "x_test": x_test,
        "train_idx": train_idx,
        "val_idx": val_idx,
        "params": params,
        "trained": trained,
        "opt": opt,
        "lib": lib,
        "times": (t0, t1, t2, t3, t4, t5),
        "normalization": trained.normalization,
    }


def training_section(t: dict) -> None:
    params, trained, opt, lib = t["params"], t["trained"], t["opt"], t["lib"]
    t0, t1, t2, t3, t4, t5 = t["times"]
    m = opt["int8"]["metrics"]
    print(
        f"synthetic keywords, mfcc ({t['x'].shape[1]} features): {len(t['x'])} training clips "
        f"({len(t['train_idx'])} train / {len(t['val_idx'])} validation), {len(t['x_test'])} test clips"
    )
    print(f"  architecture: {[layer['type'] for layer in params['architecture']]}")
    print(
        f"  augmentation: time_shift {params['time_shift']}, time_masks {params['time_masks']}, "
        f"freq_masks {params['freq_masks']}"
    )
    print(f"  epochs run {len(trained.history)} (best {trained.best_epoch}, stopped early: {trained.stopped_early})")
    print(
        f"  test accuracy int8 {m.get('accuracy', float('nan')):.3f}, "
        f"float32 {opt['float32']['metrics'].get('accuracy', float('nan')):.3f}"
    )
    print(
        f"  int8 model {len(opt['int8']['tflite']) / 1024:.1f} KB; library: {len(lib.sources)} source files, "
        f"{sum(len(s) for s in lib.sources.values()) / 1024:.0f} KB of C"
    )
    print(
        f"  wall time: features {t1 - t0:.2f} s, training {t2 - t1:.2f} s, int8 conversion + evaluation "
        f"{t3 - t2:.2f} s, network C {t4 - t3:.2f} s, library {t5 - t4:.2f} s"
    )
    print(f"  train -> int8 library, end to end: {t5 - t1:.2f} s (features {t1 - t0:.2f} s before it)")


def _mark(value: float, target: float) -> str:
    return "met" if value <= target else "MISSED"


_STAGES = (  # calls in tf_dsp.c timed by the measuring build: tf_dsp_stage_ticks[k]
    "    audio_frame_power(cfg, x, n, stride, f, fft, power);",
    "        audio_frame(block, x, n, stride, f, scratch, rows + f * cols);",
    "        normalize_window(rows, frames, cols, cfg->norm_window, scratch, room, out);",
)


def timed_dsp(source: str) -> str | None:
    """tf_dsp.c with the _STAGES calls between two SysTick reads (None if one is not found)."""
    if any(call not in source for call in _STAGES):
        return None
    head = "unsigned int tf_dsp_stage_ticks[4];\n#define TF_STAGE_TICKS (*(volatile unsigned int *)0xE000E018u)\n"
    for k, call in enumerate(_STAGES):
        indent = call[: len(call) - len(call.lstrip())]
        source = source.replace(
            call,
            f"{indent}{{ unsigned int t0 = TF_STAGE_TICKS; {call.strip()} "
            f"tf_dsp_stage_ticks[{k}] += (t0 - TF_STAGE_TICKS) & 0xFFFFFFu; }}",
        )
    return head + source


def dsp_stages_on_m4(t: dict, slices_per_window: int, workdir: Path) -> None:
    """Where the DSP's instructions go, from a measuring build of tf_dsp.c (SysTick around stages)."""
    from support.library_build import run_m4_continuous

    sources, header, slices = _continuous_inputs(t["lib"], slices_per_window)
    timed = timed_dsp(sources["tf_dsp.c"])
    if timed is None:
        print("\nDSP by stage: tf_dsp.c changed, the measuring build's call sites are gone (update _STAGES)")
        return
    sources["tf_dsp.c"] = timed
    run = run_m4_continuous(sources, header, slices, workdir / f"stages-{slices_per_window}")
    frames_in = 16000 // slices_per_window // 320
    print(
        f"\nDSP by stage (a measuring build: SysTick reads around the stages add a few instructions; "
        f"{slices_per_window} slices per window)"
    )
    for name, i, frames in (("whole window", 0, 50), ("one slice", 1, None)):
        rows = run.stage_instructions[i:] if i else run.stage_instructions[:1]
        power, frame, norm, _ = (round(np.mean([r[k] for r in rows])) for k in range(4))
        dsp = round(np.mean([c["dsp"] for c in (run.slice_instructions[i:] if i else run.slice_instructions[:1])]))
        extra = round(power / (run.stage_instructions[0][0] / 50)) - frames_in
        count = f"{frames} frames" if frames else f"{frames_in} new frames + {extra} the circular pre-emphasis reaches"
        print(
            f"  {name} ({count}): DSP {dsp:,} = framing + pre-emphasis + FFT 256 + power {power:,}"
            f" + mel 32 + ln + DCT {frame - power:,} + normalization (window 101) {norm:,}"
            f" + the rest {dsp - frame - norm:,}"
        )
    per_frame = run.stage_instructions[0][1] / 50
    print(
        f"  per frame {per_frame:,.0f} (FFT and power {run.stage_instructions[0][0] / 50:,.0f}, mel + ln + DCT "
        f"{(run.stage_instructions[0][1] - run.stage_instructions[0][0]) / 50:,.0f})"
    )


def _continuous_inputs(lib, slices_per_window: int) -> tuple[dict[str, str], str, np.ndarray]:
    """The library's sources with TF_CLASSIFIER_SLICES_PER_MODEL_WINDOW set, and up to 12 slices
    of a synthetic recording."""
    stream = np.concatenate([c for _, c in synthetic_audio.dataset(2, seed=77)]).astype(np.float32)  # 6 s
    slice_size = 16000 // slices_per_window
    n = min(len(stream) // slice_size, 12)
    sources = dict(lib.sources)
    # the library's own knob (impulse.h reads it if defined): here at the top of the header
    sources[lib.header] = f"#define TF_CLASSIFIER_SLICES_PER_MODEL_WINDOW {slices_per_window}\n" + sources[lib.header]
    return sources, lib.header, stream[: n * slice_size].reshape(n, slice_size)


def library_on_m4(t: dict, slices_per_window: int, workdir: Path) -> int:
    """run_classifier_continuous of the generated library on the M4F, slices_per_window slices a window."""
    from support.library_build import map_sections, run_m4_continuous

    sources, header, slices = _continuous_inputs(t["lib"], slices_per_window)
    slice_size = slices.shape[1]
    frames = slice_size / 320  # frame stride 0.02 s at 16 kHz
    directory = workdir / f"continuous-{slices_per_window}"
    run = run_m4_continuous(sources, header, slices, directory)
    full_dsp = run.slice_instructions[0]["dsp"]
    later = run.slice_instructions[1:]
    slice_dsp = round(np.mean([c["dsp"] for c in later]))
    nn = round(np.mean([c["nn"] for c in run.slice_instructions]))
    anomaly = round(np.mean([c["anomaly"] for c in run.slice_instructions]))
    full, one = full_dsp + nn + anomaly, slice_dsp + nn + anomaly
    fp = run.footprint
    map_text = (directory / "harness_m4.map").read_text()
    objects = {f"lib_{Path(name).stem}.o" for name in sources if name.endswith(".c")}
    ram_sections = sorted(
        (
            (s, size)
            for s, size, src in map_sections(map_text)
            if Path(src).name in objects and s.startswith((".bss", ".data", "COMMON"))
        ),
        key=lambda r: -r[1],
    )
    audio = sum(size for s, size in ram_sections if s.endswith(".tf_stream_window"))
    ram = fp["static_ram"] - audio + run.stack_bytes
    stride_note = (
        f"{frames:g} frames: a multiple of the frame stride, only the new frames computed"
        if frames == int(frames)
        else f"{frames:g} frames: NOT a multiple of the 320-sample frame stride, so every slice recomputes the whole window"
    )
    print(
        f"\nTF_CLASSIFIER_SLICES_PER_MODEL_WINDOW {slices_per_window}"
        f"{' (the library default)' if slices_per_window == t['lib'].fields['slices_per_model_window'] else ''}: slice {slice_size} samples = {stride_note}"
    )
    print(f"  DSP, whole window (tf_dsp_run, first call):     {full_dsp:>10,} instructions")
    print(f"  DSP, one slice (tf_dsp_run_shifted, mean of {len(later)}): {slice_dsp:>10,} instructions")
    print(f"  network (int8, mean of {len(run.slice_instructions)} calls):            {nn:>10,} instructions")
    print(
        f"  full inference (DSP + network):   {full:>10,} instructions = {full / (MHZ * 1e3):6.2f} ms at {MHZ} MHz   "
        f"target <= {TARGETS['full']:,}: {_mark(full, TARGETS['full'])}"
    )
    print(
        f"  one continuous slice:             {one:>10,} instructions = {one / (MHZ * 1e3):6.2f} ms at {MHZ} MHz   "
        f"target <= {TARGETS['slice']:,}: {_mark(one, TARGETS['slice'])}"
    )
    print(
        f"  flash {fp['flash']:,} B (code {fp['text']:,} + constants {fp['rodata']:,} + data {fp['data']} "
        f"+ libm {fp['libm_flash']:,})   target <= {TARGETS['flash']:,}: {_mark(fp['flash'], TARGETS['flash'])}"
    )
    print(
        f"  RAM {ram:,} B = static {fp['static_ram'] - audio:,} + peak stack {run.stack_bytes:,} of "
        f"run_classifier_continuous   target <= {TARGETS['ram']:,}: {_mark(ram, TARGETS['ram'])}"
    )
    print(
        f"    not counted: the audio window tf_stream_window, {audio:,} B (16000 float samples; the "
        "application's buffer in Edge Impulse's count), and the test harness's own buffers"
    )
    print("    static RAM by symbol: " + ", ".join(f"{s.split('.')[-1]} {size:,}" for s, size in ram_sections if size))
    return nn


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


def network_on_m4(tflite: bytes, n_inputs: int, workdir: Path) -> int:
    """The trained network per layer: portable kernels against the DSP-extension paths, -Os."""
    from support.nn_m4 import run_models_on_m4

    from workers.codegen.nn import generate_model_c

    model = generate_model_c(tflite, prefix="kws")
    inputs = np.random.default_rng(0).integers(-128, 128, size=(n_inputs, model.input_shape[-1])).astype(np.int8)
    expected = reference(tflite, inputs)
    steps = macs_per_step(tflite)
    builds = {"portable -Os": ("TF_NN_NO_DSP",), "DSP path -Os": ()}
    runs = {}
    for name, defines in builds.items():
        run = run_models_on_m4(
            [(model, inputs)], workdir / name.replace(" ", ""), opt="-Os", defines=defines, step_timing=True
        )
        runs[name] = (run, np.array_equal(run.outputs[0].reshape(expected.shape), expected))
    print(
        f"\nthe network per layer ({n_inputs} random int8 inputs; arena {model.arena_size} B, "
        f"weights {model.weights_bytes} B); instructions per call and per MAC"
    )
    print(f"  {'layer':<26}{'MACs':>8}" + "".join(f"{n:>26}" for n in builds))
    for i, (op, kernel, macs) in enumerate(steps):
        cells = ""
        for name in builds:
            k = runs[name][0].step_instructions[0][i]
            cells += f"{k:>14,}" + (f" ({k / macs:5.2f}/MAC)" if macs else " " * 12)
        print(f"  {op + ' ' + kernel.replace('_s8', ''):<26}{macs:>8,}{cells}")
    conv_macs = sum(m for _, k, m in steps if k.startswith(("conv1d", "conv2d")))
    for name in builds:
        run, same = runs[name]
        conv = sum(run.step_instructions[0][i] for i, s in enumerate(steps) if s[1].startswith(("conv1d", "conv2d")))
        total = run.instructions[0]
        print(
            f"  {name:<13} whole net {total:>9,}; conv layers {conv:>9,} = {conv / conv_macs:.2f}/MAC "
            f"(target <= {TARGETS['per_mac']}: {_mark(conv / conv_macs, TARGETS['per_mac'])}); "
            f"outputs equal LiteRT reference: {same}"
        )
    return runs["DSP path -Os"][0].instructions[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sections", default="python,training,m4")
    parser.add_argument("--windows", type=int, default=4000, help="python: windows to process")
    parser.add_argument("--chunk", type=int, default=256, help="python: windows per batched call")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--blocks", default="mfcc,mfe,spectrogram", help="python: processing blocks")
    parser.add_argument("--train", type=int, default=30, help="training clips per class")
    parser.add_argument("--test", type=int, default=10, help="test clips per class")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--slices-per-window", default="4,5", help="m4: TF_CLASSIFIER_SLICES_PER_MODEL_WINDOW values to measure"
    )
    parser.add_argument("--inputs", type=int, default=20, help="m4: random inputs for the per-layer run")
    parser.add_argument("overrides", nargs="?", default="{}", help="learning block parameters (JSON)")
    args = parser.parse_args()
    sections = set(args.sections.split(","))
    unknown = sections - {"python", "training", "m4"}
    if unknown:
        parser.error(f"unknown sections {sorted(unknown)}: use python, training, m4")

    if "python" in sections:
        print("== Python DSP")
        python_section(args)
    if sections & {"training", "m4"}:
        trained = train_keywords(args)
        if "training" in sections:
            print("\n== train -> int8 library")
            training_section(trained)
    if "m4" in sections:
        print("\n== the generated library on a Cortex-M4F (qemu -icount, -Os)")
        if not (shutil.which("arm-none-eabi-gcc") and shutil.which("qemu-system-arm")):
            print("skipped: arm-none-eabi-gcc or qemu-system-arm missing")
            return
        with tempfile.TemporaryDirectory(prefix="bench-audio-") as tmp:
            counts = [int(s) for s in args.slices_per_window.split(",")]
            nn = [library_on_m4(trained, s, Path(tmp)) for s in counts][-1]
            dsp_stages_on_m4(trained, counts[-1], Path(tmp))
            kernels = network_on_m4(trained["opt"]["int8"]["tflite"], args.inputs, Path(tmp))
            print(
                f"  the library's network stage, {nn:,} = the network's kernels {kernels:,} + normalising and "
                f"quantising the {trained['x'].shape[1]} float features and dequantising the scores {nn - kernels:,}"
            )


if __name__ == "__main__":
    main()
