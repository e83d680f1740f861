"""Spectrogram block: power per FFT bin and frame in dB above a noise floor (Edge Impulse v4).

Per window (one axis, values as ingested, no rescaling and no pre-emphasis in this version):
whole frames, power |rfft(frame, fft_length)|**2 / fft_length, 10 log10 (floored at 1e-30),
rescaled so noise_floor_db -> 0 and +12 dB -> 1, clipped below at 0 (not above).
Output [frames, fft_length/2 + 1] flattened row-major, float32.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from backend.blocks.audio import audio_frames
from backend.blocks.processing import get_processing_spec
from workers.dsp.audio import frames, image_graph, in_sub_batches, power_spectrum, single_axis, to_db_above_floor
from workers.dsp.block import ProcessingBlock


def spectrogram(windows: np.ndarray, params: dict[str, Any], frequency_hz: float) -> np.ndarray:
    """[k, n, 1] -> [k, frames, fft_length/2 + 1] float64."""
    power = power_spectrum(frames(single_axis(windows), params, frequency_hz), params["fft_length"])
    return np.maximum(to_db_above_floor(power, params["noise_floor_db"]), 0.0)


def features(windows: np.ndarray, params: dict[str, Any], frequency_hz: float) -> np.ndarray:
    s = in_sub_batches(spectrogram, windows, params, frequency_hz)
    return s.reshape(s.shape[0], -1).astype(np.float32)


def feature_names(params: dict[str, Any], axes: list[str], *, frequency_hz: float, window_len: int) -> list[str]:
    count = audio_frames(params, window_len, frequency_hz)
    df = frequency_hz / params["fft_length"]
    return [
        f"{axis} frame {f} {b * df:.2f} Hz"
        for axis in axes
        for f in range(count)
        for b in range(params["fft_length"] // 2 + 1)
    ]


def graphs(
    window: np.ndarray, params: dict[str, Any], frequency_hz: float, axes: list[str] | None = None
) -> dict[str, Any]:
    s = spectrogram(np.asarray(window)[None], params, frequency_hz)[0]
    freqs = np.fft.rfftfreq(params["fft_length"], 1.0 / frequency_hz)
    return {"graphs": [image_graph("Spectrogram", s, params, "Frequency (Hz)", [round(f, 3) for f in freqs])]}


IMPLEMENTATIONS = {
    1: ProcessingBlock(get_processing_spec("spectrogram", 1), features, feature_names, graphs),
}
