"""MFCC, MFE, spectrogram and spectral analysis v2 in the C DSP library compute the Python blocks'
features (real gcc on the host, arm-none-eabi-gcc + qemu for a Cortex-M4F; no mocks).

Each impulse below puts several parameter sets of the blocks on the same window (one binary per
impulse and target, many windows per run). Tolerance per feature: 1e-4 relative, with an absolute
floor of 1e-5 of the largest feature magnitude of that block in that window (normalised MFCCs
cross zero, where a relative bound means nothing). MFE values are quantised to 1/256: they must be
equal, except where Python's value before rounding lies within 1e-3 of a step's rounding edge
(float32 and float64 may round to neighbouring steps there).

tf_dsp_run_shifted: a long recording fed as windows shifted by a quarter window gives bit for bit
what tf_dsp_run gives on each window (which matches Python as above).
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from support.library_build import qemu_m4_command, run_qemu

from backend.blocks.processing import window_length
from workers.codegen.dsp_c import plan_dsp, render_dsp_config, render_dsp_header, static_sources
from workers.dsp import mfe as mfe_module
from workers.dsp.audio import (
    CONSTANT_REL_STD,
    _sliding_mean,
    frames,
    mel_energies,
    power_spectrum,
    preemphasis,
    single_axis,
    to_db_above_floor,
)
from workers.dsp.mfcc import cepstrogram
from workers.dsp.registry import get_processing_block

SUPPORT = Path(__file__).resolve().parents[2] / "support"
GCC = shutil.which("gcc")
HAS_M4 = shutil.which("arm-none-eabi-gcc") and shutil.which("qemu-system-arm")
pytestmark = pytest.mark.skipif(GCC is None, reason="gcc is not installed")
HOST_FLAGS = ["-std=c99", "-Wall", "-Wextra", "-Werror", "-Wdouble-promotion", "-O2"]
M4_FLAGS = [
    "-std=c99",
    "-mcpu=cortex-m4",
    "-mthumb",
    "-mfloat-abi=hard",
    "-mfpu=fpv4-sp-d16",
    "-Os",
    "-Wall",
    "-Wextra",
    "-Werror",
    "-Wdouble-promotion",
]

MFCC_8K = {
    "frame_length": 0.025,
    "frame_stride": 0.01,
    "num_filters": 26,
    "num_cepstral": 12,
    "win_size": 51,
    "low_frequency": 100.0,
    "high_frequency": 3800.0,
    "pre_cof": 0.95,
    "pre_shift": 2,
}

# name -> (frequency_hz, window_size_ms, axes_count, blocks)
IMPULSES = {
    "audio_16k": (
        16000.0,
        1000,
        1,
        [
            {"id": "mfcc", "params": {}, "axes": [0]},  # the keyword defaults: 50 x 13
            {
                "id": "mfcc",
                "params": {
                    "fft_length": 512,
                    "frame_length": 0.032,
                    "frame_stride": 0.016,
                    "num_filters": 40,
                    "num_cepstral": 20,
                    "win_size": 0,
                    "pre_cof": 0.0,
                },
                "axes": [0],
            },
            {"id": "mfcc", "params": {"win_size": 11, "fft_length": 128, "num_filters": 20}, "axes": [0]},
            {"id": "mfe", "params": {}, "axes": [0]},
            {"id": "spectrogram", "params": {}, "axes": [0]},
        ],
    ),
    "audio_8k": (
        8000.0,
        750,
        1,
        [
            {"id": "mfcc", "params": MFCC_8K, "axes": [0]},
            {
                "id": "mfe",
                "params": {"num_filters": 32, "frame_stride": 0.02, "fft_length": 512, "noise_floor_db": -72.0},
                "axes": [0],
            },
            {
                "id": "spectrogram",
                "params": {"frame_length": 0.05, "frame_stride": 0.025, "fft_length": 256},
                "axes": [0],
            },
            {
                "id": "spectrogram",
                "params": {"frame_length": 0.01, "frame_stride": 0.01, "fft_length": 128},
                "axes": [0],
            },
        ],
    ),
    "spectral_v2_motion": (
        62.5,
        2000,
        3,
        [
            {
                "id": "spectral-analysis",
                "version": 2,
                "params": {"filter_cutoff": 8.0, "fft_length": 64},
                "axes": [0, 1, 2],
            },
            {
                "id": "spectral-analysis",
                "version": 2,
                "params": {
                    "filter_type": "high",
                    "filter_cutoff": 5.0,
                    "filter_order": 4,
                    "fft_length": 32,
                    "take_log": False,
                    "overlap_frames": False,
                },
                "axes": [1, 2],
            },
            {
                "id": "spectral-analysis",
                "version": 2,
                "params": {
                    "spectral_power": "edges",
                    "fft_length": 64,
                    "filter_cutoff": 10.0,
                    "spectral_power_edges": [0.5, 1.0, 2.0, 5.0, 10.0],
                },
                "axes": [0],
            },
            {"id": "flatten", "params": {}, "axes": [2]},
        ],
    ),
    "spectral_v2_100hz": (
        100.0,
        1280,  # 128 samples: the last frame starts at the window's end
        2,
        [
            {
                "id": "spectral-analysis",
                "version": 2,
                "params": {"filter_type": "none", "fft_length": 128},
                "axes": [0, 1],
            },
            {
                "id": "spectral-analysis",
                "version": 2,
                "params": {"filter_cutoff": 20.0, "filter_order": 3, "fft_length": 16},
                "axes": [1],
            },
        ],
    ),
}


def audio_windows(n: int, frequency_hz: float, count: int, seed: int) -> np.ndarray:
    """int16-range audio [count + 5, n, 1]: edge cases, then tones, chirps, noise bursts."""
    rng = np.random.default_rng(seed)
    t = np.arange(n) / frequency_hz
    edge = [
        np.zeros(n),  # silence
        np.where(np.arange(n) == n // 3, 20000.0, 0.0),  # one click
        rng.normal(0, 1, n),  # ~1 LSB of noise
        np.clip(rng.normal(0, 20000, n), -32768, 32767),  # loud, clipped noise
        12000 * np.sign(np.sin(2 * np.pi * 437.3 * t)) + rng.normal(40, 300, n),  # square wave, DC offset
    ]
    tone = rng.uniform(100, frequency_hz / 4, (count, 1)) * t
    chirp = (rng.uniform(100, 400, (count, 1)) + rng.uniform(200, frequency_hz / 3, (count, 1)) * t / 2) * t
    level = 10 ** rng.uniform(-2, 0, (count, 1))
    burst = (np.abs(t - rng.uniform(0.2, 0.6, (count, 1))) < 0.1) * rng.normal(0, 2500, (count, n))
    noise = rng.normal(0, 1, (count, n)) * 10 ** rng.uniform(0.5, 2.5, (count, 1))
    x = level * (9000 * np.sin(2 * np.pi * tone) + 6000 * np.sin(2 * np.pi * chirp) + burst) + noise
    x = np.concatenate([np.stack(edge), np.clip(np.round(x), -32768, 32767)])
    return x.astype(np.float32)[:, :, None]


def motion_windows(n: int, axes: int, frequency_hz: float, count: int, seed: int) -> np.ndarray:
    spec = importlib.util.spec_from_file_location("test_dsp_c_parity", Path(__file__).with_name("test_dsp_c_parity.py"))
    parity = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(parity)
    return parity.edge_and_random_windows(n, axes, frequency_hz, random_count=count, seed=seed)


def windows_for(name: str, count: int) -> np.ndarray:
    frequency_hz, window_ms, axes_count, _ = IMPULSES[name]
    n = window_length(window_ms, frequency_hz)
    if name.startswith("audio"):
        return audio_windows(n, frequency_hz, count, seed=len(name))
    return motion_windows(n, axes_count, frequency_hz, count, seed=len(name))


def block_params(name: str) -> list[tuple[dict, object, dict]]:
    frequency_hz, window_ms, _, blocks = IMPULSES[name]
    return validated_blocks(blocks, frequency_hz, window_ms)


def validated_blocks(blocks: list[dict], frequency_hz: float, window_ms: float) -> list[tuple[dict, object, dict]]:
    context = {"frequency_hz": frequency_hz, "window_size_ms": window_ms}
    out = []
    for b in blocks:
        impl = get_processing_block(b["id"], b.get("version"))
        out.append((b, impl, impl.spec.validate(b["params"], context)))
    return out


def mfe_unrounded(windows: np.ndarray, params: dict, frequency_hz: float) -> np.ndarray:
    """Python's MFE values before the 1/256 rounding, times 256: [k, frames * filters]."""
    x = preemphasis(single_axis(windows, np.float32) / np.float32(mfe_module.FULL_SCALE), mfe_module.PRE_COF, 1)
    power = power_spectrum(frames(x, params, frequency_hz), params["fft_length"])
    v = np.clip(to_db_above_floor(mel_energies(power, params, frequency_hz), params["noise_floor_db"]), 0.0, 1.0)
    return (v * 256.0).reshape(len(windows), -1)


def mfcc_before_normalization(windows: np.ndarray, params: dict, frequency_hz: float):
    """Python's cepstra before the sliding normalization, the local std it divides them by and
    where its constant rule gives 0, each [k, frames * coefficients]."""
    raw = cepstrogram(windows, {**params, "win_size": 0}, frequency_hz)
    mean = _sliding_mean(raw, params["win_size"])
    centred = raw - mean
    var = _sliding_mean(centred * centred, params["win_size"]) - _sliding_mean(centred, params["win_size"]) ** 2
    std = np.sqrt(np.maximum(var, 0.0))
    constant = std <= CONSTANT_REL_STD * (np.abs(mean) + 1.0)
    return tuple(a.reshape(len(windows), -1) for a in (raw, std, constant))


# float32 FFT rounding: a bin or mel band `depth` dB below its frame's strongest bin carries a
# power error of about 2 * AMPLITUDE_ROUNDING * 10**(depth / 20) relative (see tf_dsp.h).
AMPLITUDE_ROUNDING = 1e-7


def weak_band_error(depth_db: np.ndarray) -> np.ndarray:
    """Relative power error (= error of the natural log) of a band depth_db below the frame's peak."""
    return 2 * AMPLITUDE_ROUNDING * 10 ** (depth_db / 20)


def spectrogram_floor(expected: np.ndarray, params: dict) -> np.ndarray:
    """The weak-bin error of each spectrogram value, in feature units."""
    bins = params["fft_length"] // 2 + 1
    db_per_unit = 12.0 - params["noise_floor_db"]
    v = expected.reshape(len(expected), -1, bins)
    depth = (v.max(axis=2, keepdims=True) - v) * db_per_unit
    return (10 / np.log(10) * weak_band_error(depth) / db_per_unit).reshape(expected.shape)


def mfcc_floor(windows: np.ndarray, params: dict, frequency_hz: float) -> np.ndarray:
    """The weak-band error of each cepstral coefficient: the log errors of its frame's mel bands
    through the DCT (|weights| <= sqrt(2 / filters)), [k, frames * coefficients]."""
    x = preemphasis(single_axis(windows, np.float32), params["pre_cof"], params["pre_shift"])
    power = power_spectrum(frames(x, params, frequency_hz), params["fft_length"])
    energies = mel_energies(power, params, frequency_hz)
    depth = 10 * np.log10(np.maximum(power.max(axis=2, keepdims=True), 1e-30) / energies)
    per_frame = np.sqrt(2 / params["num_filters"]) * weak_band_error(np.maximum(depth, 0)).sum(axis=2)
    return np.repeat(per_frame, params["num_cepstral"], axis=1)


def assert_features_match(name: str, windows: np.ndarray, got: np.ndarray) -> None:
    frequency_hz, window_ms, _, blocks = IMPULSES[name]
    assert_blocks_match(blocks, frequency_hz, window_ms, windows, got)


def assert_blocks_match(
    blocks: list[dict], frequency_hz: float, window_ms: float, windows: np.ndarray, got: np.ndarray
) -> None:
    """C features `got` [k, f] against the Python blocks on `windows` [k, n, axes] (module doc)."""
    offset = 0
    for index, (b, impl, params) in enumerate(validated_blocks(blocks, frequency_hz, window_ms)):
        expected = impl.features(windows[:, :, b["axes"]], params, frequency_hz).astype(np.float64)
        c = got[:, offset : offset + expected.shape[1]].astype(np.float64)
        offset += expected.shape[1]
        x = windows[:, :, b["axes"]]
        tolerance = np.maximum(1e-4 * np.abs(expected), 1e-5 * np.abs(expected).max(axis=1, keepdims=True))
        if b["id"] == "mfe":
            scaled = mfe_unrounded(x, params, frequency_hz)
            edge = np.abs(scaled - np.floor(scaled) - 0.5) < 1e-3
            bad = (c != expected) & ~(edge & (np.abs(c - expected) <= 1.0 / 256 + 1e-9))
        elif b["id"] == "mfcc" and params["win_size"] > 0:
            raw, std, constant = mfcc_before_normalization(x, params, frequency_hz)
            # the local mean and std mix the frames around each one: their largest error counts
            floor = np.maximum(np.abs(raw), mfcc_floor(x, params, frequency_hz) / 1e-5).max(axis=1, keepdims=True)
            floor = 1e-5 * floor
            bad = (np.abs(c - expected) > np.maximum(tolerance, floor / (std + 1e-10))) | (constant & (c != 0))
        elif b["id"] == "mfcc":
            bad = np.abs(c - expected) > np.maximum(tolerance, mfcc_floor(x, params, frequency_hz))
        elif b["id"] == "spectrogram":
            bad = np.abs(c - expected) > np.maximum(tolerance, spectrogram_floor(expected, params))
        else:
            bad = np.abs(c - expected) > tolerance
        where = [(int(w), int(f), float(expected[w, f]), float(c[w, f])) for w, f in np.argwhere(bad)[:6]]
        assert not bad.any(), (
            f"block {index} ({b['id']}): {int(bad.sum())} features differ (window, feature, py, c): {where}"
        )
    assert offset == got.shape[1]


def write_build(name: str, windows: np.ndarray, directory: Path) -> list[str]:
    frequency_hz, _, axes_count, blocks = IMPULSES[name]
    n = windows.shape[1]
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "tf_dsp_config.c").write_text(render_dsp_config(blocks, frequency_hz, n, axes_count))
    (directory / "tf_dsp_config.h").write_text(render_dsp_header(blocks, frequency_hz, n, axes_count))
    (directory / "windows.bin").write_bytes(np.ascontiguousarray(windows, dtype="<f4").tobytes())
    (directory / "harness.c").write_text((SUPPORT / "dsp_harness.c").read_text())
    lib = static_sources()[0].parent
    return [
        f"-I{lib}",
        "-I.",
        f"-DTF_TEST_WINDOWS={len(windows)}",
        "harness.c",
        "tf_dsp_config.c",
        str(lib / "tf_dsp.c"),
    ]


def parse(text: str, windows: int, features: int) -> tuple[np.ndarray, np.ndarray | None]:
    rows = [line for line in text.splitlines() if line[:1].isdigit()]
    assert len(rows) == windows, text[-2000:]
    first, second = [], []
    for line in rows:
        left, _, right = line.partition(" |")
        first.append([int(v, 16) for v in left.split()[1:]])
        if right:
            second.append([int(v, 16) for v in right.split()])
    as_f32 = lambda v: np.asarray(v, dtype=np.uint32).reshape(windows, features).view(np.float32)  # noqa: E731
    return as_f32(first), (as_f32(second) if second else None)


def run_host(name: str, windows: np.ndarray, directory: Path, shift: int = 0) -> str:
    args = write_build(name, windows, directory)
    subprocess.run(
        [GCC, *HOST_FLAGS, f"-DTF_TEST_SHIFT={shift}", *args, "-lm", "-o", "harness"],
        cwd=directory,
        check=True,
        capture_output=True,
        text=True,
    )
    return subprocess.run(["./harness"], cwd=directory, capture_output=True, text=True, check=True, timeout=120).stdout


def run_m4(name: str, windows: np.ndarray, directory: Path) -> str:
    args = write_build(name, windows, directory)
    subprocess.run(
        [
            "arm-none-eabi-gcc",
            *M4_FLAGS,
            *args,
            "-nostartfiles",
            "--specs=nano.specs",
            "--specs=rdimon.specs",
            "-T",
            str(SUPPORT / "m4" / "link.ld"),
            str(SUPPORT / "m4" / "startup.c"),
            "-lm",
            "-o",
            "harness.elf",
        ],
        cwd=directory,
        check=True,
        capture_output=True,
        text=True,
    )
    done = run_qemu(qemu_m4_command("harness.elf", icount=False), directory, timeout=300)
    assert done.returncode == 0, f"qemu exited with {done.returncode}: {done.stdout[-1000:]}{done.stderr[-1000:]}"
    return done.stdout


def features_count(name: str, n: int) -> int:
    frequency_hz, _, axes_count, blocks = IMPULSES[name]
    return plan_dsp(blocks, frequency_hz, n, axes_count).features_count


@pytest.mark.parametrize("name", sorted(IMPULSES))
def test_host_c_features_match_python(name, tmp_path):
    windows = windows_for(name, 16 if name.startswith("audio") else 120)
    got, _ = parse(run_host(name, windows, tmp_path), len(windows), features_count(name, windows.shape[1]))
    assert_features_match(name, windows, got)


@pytest.mark.skipif(not HAS_M4, reason="arm-none-eabi-gcc or qemu-system-arm missing")
@pytest.mark.parametrize("name", ["audio_16k", "audio_8k", "spectral_v2_motion"])
def test_cortex_m4f_features_match_python(name, tmp_path):
    windows = windows_for(name, 6 if name.startswith("audio") else 60)
    got, _ = parse(run_m4(name, windows, tmp_path), len(windows), features_count(name, windows.shape[1]))
    assert_features_match(name, windows, got)


@pytest.mark.parametrize(
    "name,shift",
    [
        ("audio_16k", 3840),  # 12 frames of 20 ms, about a quarter window; a multiple of every stride
        ("audio_16k", 960),  # not a multiple of the 16 ms stride: that block is computed in full
        ("audio_8k", 1600),
        ("audio_8k", 5600),  # keeps 1 to 3 frames per block
    ],
)
def test_shifted_windows_give_the_full_runs_features_bit_for_bit(name, shift, tmp_path):
    """A recording fed in windows `shift` samples apart: each tf_dsp_run_shifted call gives what
    tf_dsp_run gives on the same window, which matches Python."""
    frequency_hz, window_ms, _, _ = IMPULSES[name]
    n = window_length(window_ms, frequency_hz)
    recording = audio_windows(n + 5 * shift, frequency_hz, 1, seed=3)[-1, :, 0]
    windows = np.stack([recording[s : s + n] for s in range(0, len(recording) - n + 1, shift)])[:, :, None]
    shifted, full = parse(run_host(name, windows, tmp_path, shift), len(windows), features_count(name, n))
    assert shifted.view(np.uint32).tolist() == full.view(np.uint32).tolist()
    assert_features_match(name, windows, full)


def test_shifted_run_computes_only_the_new_frames(tmp_path):
    """Unrelated windows passed as if shifted: the kept frames come from the previous output (so
    they were not recomputed), the new ones and the frame the circular pre-emphasis reaches from
    the window."""
    name, shift = "audio_16k", 3840
    frequency_hz, window_ms, axes_count, blocks = IMPULSES[name]
    n = window_length(window_ms, frequency_hz)
    windows = audio_windows(n, frequency_hz, 3, seed=5)[-3:]
    shifted, full = parse(run_host(name, windows, tmp_path, shift), 3, features_count(name, n))
    sizes = plan_dsp(blocks, frequency_hz, n, axes_count).block_features
    starts = np.cumsum((0,) + sizes)
    for index in (3, 4):  # MFE (pre-emphasis shift 1: frame 0 is recomputed), spectrogram (none)
        _, impl, params = block_params(name)[index]
        cols = params["num_filters"] if impl.spec.id == "mfe" else params["fft_length"] // 2 + 1
        k = shift // int(round(params["frame_stride"] * frequency_hz))
        first_clean = 1 if impl.spec.id == "mfe" else 0
        new = shifted[1, starts[index] : starts[index + 1]].reshape(-1, cols)
        previous = full[0, starts[index] : starts[index + 1]].reshape(-1, cols)
        own = full[1, starts[index] : starts[index + 1]].reshape(-1, cols)
        keep = len(new) - k
        assert new[first_clean:keep].tolist() == previous[k + first_clean :].tolist()
        assert new[keep:].tolist() == own[keep:].tolist()
        assert new[:first_clean].tolist() == own[:first_clean].tolist()
        assert new[first_clean:keep].tolist() != own[first_clean:keep].tolist()
