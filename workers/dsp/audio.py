"""What the audio blocks (MFE, MFCC, spectrogram) share: framing, power spectrum, mel filters,
sliding normalization and the image graph. Definitions in backend.blocks.audio; all functions
work on a batch of windows at once (float64 arithmetic, [k, frames, values] arrays).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
import scipy.fft

from backend.blocks.audio import frame_geometry, mel_filter_weights, mel_points
from workers.dsp.block import as_windows, json_floats

# Stand-in for an exact zero before a log, as Edge Impulse does (log(1e-10) = -23).
ZERO_STANDIN = 1e-10
# Windows computed together: a 1 s window at 16 kHz is 128 KB in float64, so a few dozen keep
# the intermediate arrays in cache; results do not depend on it (each window is independent).
SUB_BATCH = 32


def in_sub_batches(fn, windows: np.ndarray, *args) -> np.ndarray:
    """fn(windows[i:i + SUB_BATCH], *args) concatenated along the batch axis."""
    x = as_windows(windows)
    if len(x) <= SUB_BATCH:
        return fn(x, *args)
    return np.concatenate([fn(x[i : i + SUB_BATCH], *args) for i in range(0, len(x), SUB_BATCH)])


def single_axis(windows: np.ndarray, dtype=np.float64) -> np.ndarray:
    """[k, n, 1] windows -> [k, n] (the audio blocks process one axis)."""
    x = as_windows(windows)
    if x.shape[2] != 1:
        raise ValueError(f"audio blocks process one axis, got {x.shape[2]}")
    return x[:, :, 0].astype(dtype, copy=False)


def preemphasis(x: np.ndarray, cof: float, shift: int) -> np.ndarray:
    """float64 x[t] - cof * x[t - shift] along the last axis; the first `shift` samples use the
    window's end (a circular shift), which is Edge Impulse's definition."""
    out = np.empty(x.shape, np.float64)
    shift = shift % x.shape[-1]
    np.multiply(x[..., : x.shape[-1] - shift], cof, out=out[..., shift:], dtype=np.float64)
    np.multiply(x[..., x.shape[-1] - shift :], cof, out=out[..., :shift], dtype=np.float64)
    return np.subtract(x, out, out=out, dtype=np.float64)


def frames(x: np.ndarray, params: dict[str, Any], frequency_hz: float) -> np.ndarray:
    """[k, n] -> [k, F, frame samples]: the whole frames of each window (a strided view)."""
    size, stride, count = frame_geometry(x.shape[1], frequency_hz, params["frame_length"], params["frame_stride"])
    if count < 1:
        raise ValueError(f"a {size}-sample frame does not fit a {x.shape[1]}-sample window")
    view = np.lib.stride_tricks.sliding_window_view(x, size, axis=1)  # [k, n - size + 1, size]
    return view[:, : (count - 1) * stride + 1 : stride, :]


def power_spectrum(fr: np.ndarray, fft_length: int) -> np.ndarray:
    """|rfft(frame, fft_length)|**2 / fft_length: [k, F, L] -> [k, F, fft_length/2 + 1]; a frame
    longer than fft_length is cut to its first fft_length samples (as numpy's and EI's rfft)."""
    spectrum = scipy.fft.rfft(fr[..., :fft_length], n=fft_length, axis=-1)
    return (spectrum.real**2 + spectrum.imag**2) / fft_length


@lru_cache(maxsize=64)
def _filterbank(num_filters: int, fft_length: int, frequency_hz: float, low: float, high: float) -> np.ndarray:
    _, bins = mel_points(num_filters, fft_length, frequency_hz, low, high)
    bank = np.zeros((num_filters, fft_length // 2 + 1))
    for i in range(num_filters):
        for b, w in mel_filter_weights(bins[i], bins[i + 1], bins[i + 2]).items():
            if b < bank.shape[1]:
                bank[i, b] = w
    bank.setflags(write=False)
    return bank


def mel_filterbank(params: dict[str, Any], frequency_hz: float) -> np.ndarray:
    """[num_filters, fft_length/2 + 1] triangular weights (read-only, cached)."""
    return _filterbank(
        params["num_filters"],
        params["fft_length"],
        float(frequency_hz),
        float(params["low_frequency"]),
        float(params["high_frequency"]),
    )


def mel_energies(power: np.ndarray, params: dict[str, Any], frequency_hz: float) -> np.ndarray:
    """[k, F, bins] power -> [k, F, filters] energies, exact zeros replaced by ZERO_STANDIN."""
    energies = power @ mel_filterbank(params, frequency_hz).T
    return np.where(energies == 0, ZERO_STANDIN, energies)


@lru_cache(maxsize=64)
def _sliding_mean_matrix(count: int, win: int) -> np.ndarray:
    """[count, count] weights: row i averages the `win` frames centred on frame i, the sequence
    mirrored at both ends as numpy's "symmetric" padding does (repeatedly when win > count)."""
    pad = (win - 1) // 2
    j = np.arange(-pad, count + pad) % (2 * count)
    source = np.where(j < count, j, 2 * count - 1 - j)  # padded position -> frame
    m = np.zeros((count, count))
    for i in range(count):
        np.add.at(m[i], source[i : i + win], 1.0 / win)
    m.setflags(write=False)
    return m


def _sliding_mean(x: np.ndarray, win: int) -> np.ndarray:
    """[k, F, C] -> [k, F, C] local means. A matrix product, not running sums: running sums
    cancel badly on constant input (silence), whose normalized output must stay ~0."""
    return np.matmul(_sliding_mean_matrix(x.shape[1], win), x)


# Local spread below this fraction of the local level is rounding noise (silence, a constant
# tone's log energies): such values normalize to exactly 0, where dividing by std + 1e-10 would
# turn float noise into arbitrary numbers (and into different numbers in float32 C code).
CONSTANT_REL_STD = 1e-7


def normalize_window(x: np.ndarray, win: int, eps: float = 1e-10) -> np.ndarray:
    """Sliding mean and variance normalization over `win` frames (odd; 0 leaves x as is):
    (x - local mean) / (local std of the mean-removed values + eps), as speechpy's cmvnw, with
    the constant rule above."""
    if win <= 0:
        return x
    mean = _sliding_mean(x, win)
    centred = x - mean
    var = _sliding_mean(centred * centred, win) - _sliding_mean(centred, win) ** 2
    std = np.sqrt(np.maximum(var, 0.0))
    constant = std <= CONSTANT_REL_STD * (np.abs(mean) + 1.0)
    return np.where(constant, 0.0, centred / (std + eps))


def to_db_above_floor(power: np.ndarray, noise_floor_db: float) -> np.ndarray:
    """10 log10(power) rescaled so the noise floor is 0 and 12 dB above full scale is 1."""
    db = 10.0 * np.log10(np.maximum(power, 1e-30))
    return (db - noise_floor_db) / (12.0 - noise_floor_db)


def image_graph(name: str, matrix: np.ndarray, params: dict[str, Any], y_label: str, y: list[float]) -> dict[str, Any]:
    """A frames x values matrix for the UI's heat map: `z[value][frame]`, time along x (frame
    centres). `series` stays empty so a viewer that only draws line graphs still works."""
    size_s, stride_s = params["frame_length"], params["frame_stride"]
    return {
        "name": name,
        "type": "image",
        "x_label": "Time (ms)",
        "y_label": y_label,
        "x": [round((i * stride_s + size_s / 2) * 1000, 3) for i in range(matrix.shape[0])],
        "y": y,
        "z": [json_floats(row) for row in np.asarray(matrix).T],
        "series": {},
    }
