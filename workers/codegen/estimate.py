"""On-device estimates of a generated impulse library for a Cortex-M4F at 80 MHz: flash, RAM and
latency, for the DSP, the network and the anomaly scorer separately.

Measurement (what the model is fitted to and checked against; tests/support/dsp_m4.py,
tests/support/library_build.py, tests/workers/codegen/test_estimate.py and the M4 test in
test_library_verification.py):
- arm-none-eabi-gcc -mcpu=cortex-m4 -mfpu=fpv4-sp-d16 -mfloat-abi=hard -Os, run in qemu mps2-an386
  with -icount shift=0, where SysTick counts executed instructions (one tick per 40).

DSP: instructions = sum over the work a block does per window (dsp_work) x a unit cost (DSP_UNIT).
- Spectral analysis, per axis: samples (scaling, moments, centring) + samples x biquad sections
  + FFT butterflies (complex FFT of n/2 points: n/4 log2(n/2) per frame) + v1: the bins of the
  feature bands per frame; v2: every bin per hop from 0 (max hold) and the spectrum's statistics
  per bin + one log per band.
- MFCC / MFE / spectrogram, per frame: FFT butterflies + the real power spectrum (n/2 + 1 bins)
  + MFCC/MFE: the non-zero mel filter weights (from the generator's filterbank) and a log per
  filter; spectrogram: a log per bin + MFCC: (cepstral - 1) x filters DCT multiply-accumulates and,
  with the normalization window, a per-coefficient normalization cost.
- Raw and flatten: per value / per sample.
The unit costs are a non-negative least-squares fit (relative error) of 18 configurations measured
on qemu (mfcc x4, mfe x3, spectrogram x3 at 16 kHz with FFT 128-512; spectral analysis v1 and v2
x4 each at 62.5-100 Hz, FFT 16-128, with and without filter) plus the motion library's DSP stage
(75.0k instructions on its real gestures); raw and flatten from one measurement each (125 x 3).
Fit error: -3.3 % to +4.9 % (keyword MFCC 50 x 13: 1,185,200 measured, -0.3 %; motion spectral
v1: -3.2 %). Held-out configurations (MFCC FFT 512 with 64 filters, MFE at 8 kHz, spectrogram
FFT 64, spectral v1 and v2 with a high-pass and FFT 32): -5.3 % to +1.0 %. The count depends a
little on the data (the log's range reduction; the motion configuration's count differs by 8 %
between synthetic tones and real gestures), so expect about +-10 % in general.

Network (backend/blocks/network_cost.py) = per multiply-accumulate + per output value
(requantization) + per input (quantization, int8) + softmax per class; anomaly = per cluster and
feature. These unit costs are first guesses from the kernels' inner loops, scaled so that the
standard motion impulse (dense 20 -> dense 10 -> 4, K-means 32 x 33) matches its measurement
exactly: 12,080 (int8 network incl. input quantization), 8,040 (float32 network), 8,640 (anomaly).
In an int8 network the one-row convs (conv1d, 1 x 1 conv2d: the conv1d_s8 kernel) and max pools
are priced by their own unit costs, measured on the keyword net (bench/bench_audio.py); the
network's price with the portable kernels (every layer at the dense mix) is reported beside it as
nn.work.portable, which cores without the DSP extension scale (backend/blocks/boards.py).

Latency = instructions x CYCLES_PER_INSTRUCTION / 80 MHz. qemu counts instructions, not cycles;
1.3 cycles per instruction is the Cortex-M4's typical figure for this code mix (single-cycle
ALU/MAC and FPU ops, 2-cycle loads, 14-cycle divides and square roots, pipeline refills on branches).
Flash = measured code sizes of each part (CODE_BYTES, from the linker map at -Os) + their constant
data (weights, cluster centers, filter tables), computed exactly.
RAM = the library's static buffers (exact, from the generator) + the measured stack peak of
run_classifier for the motion impulse (352 B; motion int8 library: estimate 1,272 B, measured
1,280 B).
"""

from __future__ import annotations

import math
from typing import Any

from backend.blocks.network_cost import (
    NN_CODE_BYTES,
    NetworkWork,
    network_instructions,
    network_work,
)
from workers.codegen.tflite_reader import read_tflite

CLOCK_HZ = 80_000_000
CYCLES_PER_INSTRUCTION = 1.3

# Code bytes at -Os (Cortex-M4F, measured on the generated library).
CODE_BYTES = {"glue": 1013, "libm": 1060, "dsp": 2264, **NN_CODE_BYTES, "anomaly": 200}
STACK_BYTES = 352  # measured peak of run_classifier for the motion impulse (painted stack)

# Instructions per unit of work (fitted to the measured motion impulse).
DSP_UNIT = {  # instructions per unit of work; see the module docstring for the fit
    "raw_value": 15.0,  # one scaled value copied out (raw)
    "flatten_sample": 67.0,  # one sample through the flatten statistics
    "sample": 96.2,  # spectral analysis: scaling, moments, centring of one sample
    "filter_section": 13.8,  # one biquad section on one sample
    "butterfly": 21.1,  # one radix-2 complex butterfly of the FFT (twiddle lookup included)
    "band_bin": 55.0,  # spectral v1: power of one FFT bin of one frame, added to its band
    "bin": 39.3,  # real-FFT post-processing and power of one bin of one frame (+ max hold / sum)
    "spectrum_stat": 61.9,  # spectral v2: skewness and kurtosis of the max-hold spectrum, per bin
    "log": 76.8,  # one portable log10/ln (+ dB scaling / clamp)
    "mel_weight": 14.8,  # one non-zero mel filter weight times a power bin
    "dct": 4.1,  # one multiply-accumulate of the MFCC's DCT
    "norm_value": 140.4,  # MFCC sliding-window normalization of one coefficient (two passes, sqrt, divide)
}
# The network's unit costs and calibration: backend/blocks/network_cost.py (the API prices a
# network being edited with them too).
ANOMALY_PER_ELEMENT = 7.6  # one (x - c)^2 accumulation
ANOMALY_PER_CLUSTER = 20.0  # sqrt, radius, min
# Anomaly: measured / modelled instructions at the calibration point, the standard motion impulse
# (unit costs above are first guesses from the kernels' inner loops; this factor makes the model
# agree with the measurement). The DSP's unit costs are fitted directly (factor 1); the network's
# price is calibrated in backend/blocks/network_cost.py.
CALIBRATION = {"dsp": 1.0, "nn": 1.0, "anomaly": 8_640 / 9_326}


def dsp_work(block: dict[str, Any], window_len: int, frequency_hz: float | None) -> dict[str, float]:
    """Units of work (keys of DSP_UNIT) one processing block does per window, from the same
    geometry the C generator uses (frames, FFT length, mel filter bands, DCT size)."""
    from backend.blocks.audio import frame_geometry
    from workers.dsp import spectral_analysis
    from workers.dsp.registry import get_processing_block

    axes = len(block["axes"])
    impl = get_processing_block(block["id"], block.get("version"))
    context = (
        {}
        if frequency_hz is None
        else {"frequency_hz": frequency_hz, "window_size_ms": window_len * 1e3 / frequency_hz}
    )
    if impl.id == "raw":
        return {"raw_value": axes * window_len}
    if impl.id == "flatten" or (frequency_hz is None and impl.id != "spectral-analysis"):
        return {"flatten_sample": axes * window_len}  # (audio blocks need the frequency; rough)
    p = impl.spec.validate(block.get("params"), context)
    if impl.id == "spectral-analysis":
        n_fft, h = p["fft_length"], p["fft_length"] // 2
        sections = math.ceil(p["filter_order"] / 2) if p["filter_type"] != "none" else 0
        butterflies = h / 2 * math.log2(h)
        work = {"sample": axes * window_len, "filter_section": axes * window_len * sections}
        bands = spectral_analysis.power_bands(p, frequency_hz) if frequency_hz else [(0, h)]
        work["log"] = axes * len(bands)
        if impl.version >= 2:  # max-hold spectrum: every hop from 0 while the start is in the window
            hop = n_fft // 2 if p["overlap_frames"] else n_fft
            frames = math.ceil(window_len / hop)
            work["butterfly"] = axes * frames * butterflies
            work["bin"] = axes * frames * (h + 1)
            work["spectrum_stat"] = axes * (h + 1)
        else:
            frames = len(spectral_analysis.frame_starts(window_len, n_fft, p["overlap_frames"]))
            work["butterfly"] = axes * frames * butterflies
            work["band_bin"] = axes * frames * sum(b - a for a, b in bands)
        return work
    # MFCC, MFE, spectrogram: per frame the samples (pre-emphasis, zero padding), a complex FFT of
    # n/2 points, the real power spectrum, then mel filters + log (+ DCT), or a log per bin
    _, _, frames = frame_geometry(window_len, frequency_hz, p["frame_length"], p["frame_stride"])
    h = p["fft_length"] // 2
    work = {"butterfly": frames * h / 2 * math.log2(h), "bin": frames * (h + 1)}
    if impl.id == "spectrogram":
        work["log"] = frames * (h + 1)
        return work
    from workers.codegen.dsp_c.render import _filterbank

    work["mel_weight"] = frames * len(_filterbank(p, frequency_hz)[1])
    if impl.id == "mfe":
        work["log"] = frames * p["num_filters"]
        return work
    work["log"] = frames * (p["num_filters"] + 1)
    work["dct"] = frames * (p["num_cepstral"] - 1) * p["num_filters"]
    if p["win_size"] > 0:
        work["norm_value"] = frames * p["num_cepstral"]
    return work


def _dsp_instructions(
    blocks: list[dict[str, Any]], window_len: int, frequency_hz: float | None = None
) -> tuple[float, int, dict[str, float]]:
    """(instructions, constant bytes, units of work summed) of the processing blocks (dsp_c's block shape)."""
    from workers.dsp.registry import get_processing_block

    total, table_bytes, units = 0.0, 0, {}
    for block in blocks:
        work = dsp_work(block, window_len, frequency_hz)
        total += sum(DSP_UNIT[k] * v for k, v in work.items())
        for k, v in work.items():
            units[k] = units.get(k, 0.0) + v
        impl = get_processing_block(block["id"], block.get("version"))
        if impl.id == "spectral-analysis":
            p = impl.spec.validate(block.get("params"), {})
            sections = math.ceil(p["filter_order"] / 2) if p["filter_type"] != "none" else 0
            table_bytes += 20 * sections + 4 * (p["fft_length"] // 4 + 1) + 64
    return total, table_bytes, units


# Shape-only ops and the constant shape computations feeding them: the generated code aliases or
# drops them (workers/codegen/nn/lowering.py), so they cost nothing at run time.
_FREE_OPS = frozenset({"RESHAPE", "EXPAND_DIMS", "SQUEEZE", "SHAPE", "STRIDED_SLICE", "PACK"})


def _nn_work(tflite: bytes) -> NetworkWork:
    """What the network of a .tflite graph computes (network_cost.NetworkWork): MACs, output values,
    inputs, softmax classes, and the layers an int8 network runs with its own DSP-path kernels
    (one-row convs, as workers/codegen/nn/ops/conv1d.py picks them, and max pools)."""
    graph = read_tflite(tflite)
    macs = outputs = classes = pools = 0
    rows: list[tuple[int, int, int]] = []
    for op in graph.operators:
        if op.name in _FREE_OPS:
            continue
        out = graph.tensors[op.outputs[0]]
        size = int(math.prod(out.shape))
        if op.name in ("FULLY_CONNECTED", "CONV_2D", "DEPTHWISE_CONV_2D"):
            w = graph.tensors[op.inputs[1]]
            per_output = int(math.prod(w.shape)) // max(
                1, w.shape[0] if op.name != "DEPTHWISE_CONV_2D" else w.shape[-1]
            )
            macs += size * per_output
            outputs += size
            one_row = w.shape[1] == 1 and op.options.get("dilation_w_factor", 1) == 1
            if op.name == "CONV_2D" and out.dtype == "int8" and len(w.shape) == 4 and one_row:
                rows.append((size // w.shape[0], int(w.shape[0]), per_output))
        elif op.name == "SOFTMAX":
            classes += size
        else:
            outputs += size
            pools += size if op.name == "MAX_POOL_2D" and out.dtype == "int8" else 0
    inputs = int(math.prod(graph.tensors[graph.inputs[0]].shape))
    return NetworkWork(macs, outputs, inputs, classes, tuple(rows), pools)


def estimate_library(
    dsp_blocks: list[dict[str, Any]],
    window_len: int,
    tflite: bytes | None,
    variant: str,
    weights_bytes: int,
    anomaly: dict[str, Any] | None,
    static_ram: int,
    frequency_hz: float | None = None,
) -> dict[str, Any]:
    """Flash, RAM and latency on a Cortex-M4F at 80 MHz, per stage and in total. `frequency_hz`
    (the impulse's sampling rate) sizes the audio blocks' frames; without it they are priced per
    sample (rough)."""
    dsp_instr, dsp_tables, dsp_units = _dsp_instructions(dsp_blocks, window_len, frequency_hz)
    nn_instr = nn_flash = 0.0
    nn_work = None
    if tflite is not None:
        work = _nn_work(tflite)
        nn_instr = network_instructions(work, variant)
        nn_work = network_work(work, variant)
        nn_flash = CODE_BYTES[f"nn_{variant}"] + weights_bytes
    an_instr = an_flash = 0.0
    if anomaly is not None:
        k, f = len(anomaly["radii"]), len(anomaly["feature_indices"])
        an_instr = k * (f * ANOMALY_PER_ELEMENT + ANOMALY_PER_CLUSTER) + f * 20
        an_flash = CODE_BYTES["anomaly"] + 4 * (k * f + k + 2 * f) + f
    stages = {
        "dsp": (dsp_instr, CODE_BYTES["dsp"] + dsp_tables),
        "nn": (nn_instr, nn_flash),
        "anomaly": (an_instr, an_flash),
    }
    out: dict[str, Any] = {
        "device": "Cortex-M4F @ 80 MHz",
        "method": "calibrated work model, see workers/codegen/estimate.py",
    }
    factors = CALIBRATION
    stages = {name: (instr * factors[name], flash) for name, (instr, flash) in stages.items()}
    for name, (instr, flash) in stages.items():
        out[name] = {
            "instructions": int(round(instr)),
            "latency_ms": round(instr * CYCLES_PER_INSTRUCTION / CLOCK_HZ * 1e3, 3),
            "flash_bytes": int(flash),
        }
    # the DSP's units of work: the board catalogue prices them per core (backend/blocks/boards.py)
    out["dsp"]["work"] = {k: round(v, 2) for k, v in sorted(dsp_units.items())}
    if nn_work is not None:  # what the board catalogue prices the network on other cores with
        out["nn"]["work"] = nn_work
    total_instr = sum(v[0] for v in stages.values())
    out["total"] = {
        "instructions": int(round(total_instr)),
        "latency_ms": round(total_instr * CYCLES_PER_INSTRUCTION / CLOCK_HZ * 1e3, 3),
        "flash_bytes": int(sum(v[1] for v in stages.values()) + CODE_BYTES["glue"] + CODE_BYTES["libm"]),
        "ram_bytes": int(static_ram + STACK_BYTES),
    }
    return out
