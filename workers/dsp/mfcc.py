"""MFCC block: mel-frequency cepstral coefficients per frame (Edge Impulse's definition, v4).

Per window (one axis, values in the int16 range as ingested):
  1. pre-emphasis x[t] - pre_cof * x[t - pre_shift] (circular at the start, workers.dsp.audio);
  2. whole frames (backend.blocks.audio), no taper, power |rfft(frame, fft_length)|**2 / fft_length;
  3. mel filterbank energies (zeros -> 1e-10), natural log, DCT-II (orthonormal) over the filters,
     the first num_cepstral kept; coefficient 0 is replaced by the log of the frame's total power;
  4. sliding mean and variance normalization over win_size frames (0 = none).
Output [frames, num_cepstral] flattened row-major, float32.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.fft import dct

from backend.blocks.audio import audio_frames
from backend.blocks.processing import get_processing_spec
from workers.dsp.audio import (
    ZERO_STANDIN,
    frames,
    image_graph,
    in_sub_batches,
    mel_energies,
    normalize_window,
    power_spectrum,
    preemphasis,
    single_axis,
)
from workers.dsp.block import ProcessingBlock


def cepstrogram(windows: np.ndarray, params: dict[str, Any], frequency_hz: float) -> np.ndarray:
    """[k, n, 1] -> [k, frames, num_cepstral] float64, normalized."""
    x = preemphasis(single_axis(windows, np.float32), params["pre_cof"], params["pre_shift"])
    power = power_spectrum(frames(x, params, frequency_hz), params["fft_length"])
    log_mel = np.log(mel_energies(power, params, frequency_hz))
    cep = dct(log_mel, type=2, axis=-1, norm="ortho")[..., : params["num_cepstral"]]
    energy = power.sum(axis=-1)
    cep[..., 0] = np.log(np.where(energy == 0, ZERO_STANDIN, energy))
    return normalize_window(cep, params["win_size"])


def features(windows: np.ndarray, params: dict[str, Any], frequency_hz: float) -> np.ndarray:
    cep = in_sub_batches(cepstrogram, windows, params, frequency_hz)
    return cep.reshape(cep.shape[0], -1).astype(np.float32)


def feature_names(params: dict[str, Any], axes: list[str], *, frequency_hz: float, window_len: int) -> list[str]:
    count = audio_frames(params, window_len, frequency_hz)
    return [
        f"{axis} frame {f} cepstral {c}" for axis in axes for f in range(count) for c in range(params["num_cepstral"])
    ]


def graphs(
    window: np.ndarray, params: dict[str, Any], frequency_hz: float, axes: list[str] | None = None
) -> dict[str, Any]:
    cep = cepstrogram(np.asarray(window)[None], params, frequency_hz)[0]
    return {
        "graphs": [
            image_graph("Cepstral coefficients", cep, params, "Coefficient", list(range(params["num_cepstral"])))
        ]
    }


IMPLEMENTATIONS = {
    1: ProcessingBlock(get_processing_spec("mfcc", 1), features, feature_names, graphs),
}
