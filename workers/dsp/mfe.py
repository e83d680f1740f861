"""MFE block: mel filterbank energies per frame in dB above a noise floor (Edge Impulse v4).

Per window (one axis, values in the int16 range as ingested):
  1. divide by 32768 (full scale = 1) and pre-emphasis with coefficient 0.98, shift 1;
  2. whole frames, power |rfft(frame, fft_length)|**2 / fft_length, mel filterbank energies;
  3. 10 log10 (power floored at 1e-30), rescaled so noise_floor_db -> 0 and +12 dB -> 1, clipped to
     [0, 1], then rounded to 1/256 steps (the 8-bit quantization Edge Impulse applies). A value
     that rounds to 256/256 is kept at 255/256 (the reference's uint8 cast wraps it to 0; we clip).
Output [frames, num_filters] flattened row-major, float32. win_size is not used (kept for
compatibility with the parameter set users know).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from backend.blocks.audio import audio_frames, mel_points
from backend.blocks.processing import get_processing_spec
from workers.dsp.audio import (
    frames,
    image_graph,
    in_sub_batches,
    mel_energies,
    power_spectrum,
    preemphasis,
    single_axis,
    to_db_above_floor,
)
from workers.dsp.block import ProcessingBlock

FULL_SCALE = 32768.0
PRE_COF = 0.98


def quantize(x: np.ndarray) -> np.ndarray:
    """Clip to [0, 1] and round to the nearest 1/256, at most 255/256."""
    return np.minimum(np.round(np.clip(x, 0.0, 1.0) * 256.0), 255.0) / 256.0


def energies(windows: np.ndarray, params: dict[str, Any], frequency_hz: float) -> np.ndarray:
    """[k, n, 1] -> [k, frames, num_filters] float64 in [0, 255/256]."""
    # float32 rescale as the reference does, so the values it quantizes are the same numbers
    x = preemphasis(single_axis(windows, np.float32) / np.float32(FULL_SCALE), PRE_COF, 1)
    power = power_spectrum(frames(x, params, frequency_hz), params["fft_length"])
    return quantize(to_db_above_floor(mel_energies(power, params, frequency_hz), params["noise_floor_db"]))


def features(windows: np.ndarray, params: dict[str, Any], frequency_hz: float) -> np.ndarray:
    e = in_sub_batches(energies, windows, params, frequency_hz)
    return e.reshape(e.shape[0], -1).astype(np.float32)


def feature_names(params: dict[str, Any], axes: list[str], *, frequency_hz: float, window_len: int) -> list[str]:
    count = audio_frames(params, window_len, frequency_hz)
    return [f"{axis} frame {f} filter {m}" for axis in axes for f in range(count) for m in range(params["num_filters"])]


def graphs(
    window: np.ndarray, params: dict[str, Any], frequency_hz: float, axes: list[str] | None = None
) -> dict[str, Any]:
    e = energies(np.asarray(window)[None], params, frequency_hz)[0]
    hertz, _ = mel_points(
        params["num_filters"], params["fft_length"], frequency_hz, params["low_frequency"], params["high_frequency"]
    )
    centres = [round(f, 2) for f in hertz[1:-1]]
    return {"graphs": [image_graph("Mel energies (DSP output)", e, params, "Filter centre (Hz)", centres)]}


IMPLEMENTATIONS = {
    1: ProcessingBlock(get_processing_spec("mfe", 1), features, feature_names, graphs),
}
