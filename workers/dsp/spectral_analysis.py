"""Spectral analysis block: filter each axis, then RMS, skewness, kurtosis and spectral power.

Per axis, in this order (version 1):
  1. scale: float32 x * scale_axes;
  2. filter: Butterworth low/high-pass of `filter_order`, designed by scipy as second-order
     sections, coefficients rounded to float32, applied along time from a zero state in float32
     arithmetic (direct form II transposed, scipy.signal.sosfilt). This is exactly what the C code
     computes: an IIR filter in float32 carries rounding noise of ~1e-6 of the signal's peak, and
     defining the features with it (rather than a float64 filter) keeps weak spectral bins equal
     in both implementations. The rest of the analysis runs in float64;
  3. centre: subtract the mean; a (near-)constant result becomes all zeros (workers.dsp.moments);
  4. RMS (= standard deviation of the filtered signal), skewness, excess kurtosis;
  5. power spectrum: frames of fft_length samples, hop fft_length/2 with overlap_frames else
     fft_length, plus one frame aligned to the window's end when the hops leave samples uncovered;
     no taper. Bin power |X_k|**2 / fft_length, averaged over frames;
  6. spectral_power "fft-bins": the bins of `spectral_bin_range` (pass band of the filter, DC
     excluded); "edges": per band [e_i, e_i+1) the mean power of the bins centred in it;
  7. take_log: log10(power + floor), floor = LOG_FLOOR_ABS + LOG_FLOOR_REL * variance. The floor
     caps the dynamic range 80 dB below the mean bin power (float32 cannot resolve further, so the
     C and Python values of near-empty bins would otherwise diverge); a silent axis gives -10.

Version 2 (Edge Impulse's current spectral bins) changes step 5 and adds two features per axis:
  5'. frames of fft_length samples start at 0, hop, 2 hop, ... while the start is at most the
      window length (hop as in v1); a frame running past the window's end is zero-padded. Bin
      power |X_k|**2 / fft_length, the per-bin MAXIMUM over frames (peaks survive averaging);
  4'. after RMS, skewness and kurtosis: the skewness and excess kurtosis of that power spectrum
      (all fft_length/2 + 1 bins, linear power, the moments rule of workers.dsp.moments).
Steps 6 and 7 are unchanged (edges average the peak powers of their bins).
"""

from __future__ import annotations

from functools import partial
from typing import Any

import numpy as np
from scipy import signal

from backend.blocks.processing import get_processing_spec, spectral_bin_range, spectral_edge_bins
from workers.dsp.block import ProcessingBlock, as_windows, axis_names, json_floats, time_axis_ms
from workers.dsp.moments import moments

LOG_FLOOR_ABS = 1e-10
LOG_FLOOR_REL = 1e-8


def design_sos(params: dict[str, Any], frequency_hz: float) -> np.ndarray | None:
    """Butterworth second-order sections [sections, 6] (b0 b1 b2 1 a1 a2) as float32; None if unfiltered."""
    if params["filter_type"] == "none":
        return None
    sos = signal.butter(
        params["filter_order"], params["filter_cutoff"], btype=params["filter_type"], fs=frequency_hz, output="sos"
    )
    return sos.astype(np.float32)


def frame_starts(window_len: int, fft_length: int, overlap: bool) -> np.ndarray:
    """Start index of each FFT frame; the last frame ends at the window's end when hops fall short."""
    hop = fft_length // 2 if overlap else fft_length
    count = (window_len - fft_length) // hop + 1
    starts = np.arange(count) * hop
    if starts[-1] + fft_length < window_len:
        starts = np.append(starts, window_len - fft_length)
    return starts


def power_bands(params: dict[str, Any], frequency_hz: float) -> list[tuple[int, int]]:
    """The FFT bin ranges [first, last) averaged into each spectral feature, in output order.

    fft-bins mode gives one single-bin range per feature.
    """
    n_fft = params["fft_length"]
    if params["spectral_power"] == "edges":
        return spectral_edge_bins(params["spectral_power_edges"], n_fft, frequency_hz)
    first, last = spectral_bin_range(params["filter_type"], params["filter_cutoff"], n_fft, frequency_hz)
    return [(k, k + 1) for k in range(first, last)]


def filtered(windows: np.ndarray, params: dict[str, Any], frequency_hz: float) -> np.ndarray:
    """Scaled and filtered windows [k, n, axes], float32 arithmetic as on the device."""
    x = as_windows(windows) * np.float32(params["scale_axes"])
    sos = design_sos(params, frequency_hz)
    if sos is not None:
        x = signal.sosfilt(sos, x, axis=1)  # float32 in, float32 direct form II transposed
    return x


def max_hold_starts(window_len: int, fft_length: int, overlap: bool) -> np.ndarray:
    """Version 2 frame starts: every hop from 0 while the start is within the window."""
    hop = fft_length // 2 if overlap else fft_length
    return np.arange(0, window_len + 1, hop)


def _analyse(windows: np.ndarray, params: dict[str, Any], frequency_hz: float, version: int = 1):
    x = filtered(windows, params, frequency_hz).astype(np.float64)
    m = moments(x, axis=1)
    n_fft = params["fft_length"]
    if version >= 2:
        starts = max_hold_starts(x.shape[1], n_fft, params["overlap_frames"])
        padded = np.pad(m.centred, ((0, 0), (0, int(starts[-1]) + n_fft - x.shape[1]), (0, 0)))
    else:
        starts, padded = frame_starts(x.shape[1], n_fft, params["overlap_frames"]), m.centred
    frames = padded[:, starts[:, None] + np.arange(n_fft)[None, :], :]  # [k, F, N, axes]
    spectrum = np.fft.rfft(frames, axis=2)
    power = (spectrum.real**2 + spectrum.imag**2) / n_fft
    power = power.max(axis=1) if version >= 2 else power.mean(axis=1)  # [k, N/2+1, axes]
    return x, m, power


def _log(power: np.ndarray, variance: np.ndarray) -> np.ndarray:
    return np.log10(power + (LOG_FLOOR_ABS + LOG_FLOOR_REL * variance))


def features(windows: np.ndarray, params: dict[str, Any], frequency_hz: float, version: int = 1) -> np.ndarray:
    """[k, n, axes] -> [k, axes * (3 [+ 2 in v2] + spectral features)] float32."""
    _, m, power = _analyse(windows, params, frequency_hz, version)
    bands = np.stack(
        [power[:, lo:hi, :].mean(axis=1) for lo, hi in power_bands(params, frequency_hz)], axis=2
    )  # [k, axes, B]
    if params["take_log"]:
        bands = _log(bands, m.variance[:, :, None])
    stats = [np.sqrt(m.variance), m.skewness, m.kurtosis]
    if version >= 2:
        spectral = moments(power, axis=1)
        stats += [spectral.skewness, spectral.kurtosis]
    stats = np.stack(stats, axis=2)  # [k, axes, 3 or 5]
    out = np.concatenate([stats, bands], axis=2)
    return out.reshape(out.shape[0], -1).astype(np.float32)


def feature_names(
    params: dict[str, Any], axes: list[str], *, frequency_hz: float, window_len: int, version: int = 1
) -> list[str]:
    df = frequency_hz / params["fft_length"]
    if params["spectral_power"] == "edges":
        edges = params["spectral_power_edges"]
        bands = [f"Spectral Power {lo:g} - {hi:g} Hz" for lo, hi in zip(edges[:-1], edges[1:], strict=False)]
    else:
        bands = [
            f"Spectral Power {(lo - 0.5) * df:.2f} - {(lo + 0.5) * df:.2f} Hz"
            for lo, _ in power_bands(params, frequency_hz)
        ]
    stats = ["RMS", "Skewness", "Kurtosis"] + (["Spectral Skewness", "Spectral Kurtosis"] if version >= 2 else [])
    return [f"{axis} {label}" for axis in axes for label in stats + bands]


def graphs(
    window: np.ndarray, params: dict[str, Any], frequency_hz: float, axes: list[str] | None = None, version: int = 1
) -> dict[str, Any]:
    """After-filter signal per axis, the power spectrum per axis (averaged in v1, peak in v2), the
    filter response."""
    w = np.asarray(window, dtype=np.float32)
    x, m, power = _analyse(w[None], params, frequency_hz, version)
    names = axis_names(axes, w.shape[1])
    if params["take_log"]:
        power = _log(power, m.variance[:, None, :])
    freqs = np.fft.rfftfreq(params["fft_length"], 1.0 / frequency_hz)
    out = [
        {
            "name": "After filter",
            "x": time_axis_ms(w.shape[0], frequency_hz),
            "x_label": "Time (ms)",
            "y_label": "Value",
            "series": {name: json_floats(m.centred[0, :, i]) for i, name in enumerate(names)},
        },
        {
            "name": f"Spectral power ({'log' if params['take_log'] else 'linear'})",
            "x": json_floats(freqs),
            "x_label": "Frequency (Hz)",
            "y_label": "Power",
            "series": {name: json_floats(power[0, :, i]) for i, name in enumerate(names)},
        },
    ]
    sos = design_sos(params, frequency_hz)
    if sos is not None:
        f, h = signal.sosfreqz(sos.astype(np.float64), worN=256, fs=frequency_hz)
        out.append(
            {
                "name": "Filter response",
                "x": json_floats(f),
                "x_label": "Frequency (Hz)",
                "y_label": "Gain (dB)",
                "series": {"filter": json_floats(20 * np.log10(np.maximum(np.abs(h), 1e-10)))},
            }
        )
    return {"graphs": out}


IMPLEMENTATIONS = {
    1: ProcessingBlock(get_processing_spec("spectral-analysis", 1), features, feature_names, graphs),
    2: ProcessingBlock(
        get_processing_spec("spectral-analysis", 2),
        partial(features, version=2),
        partial(feature_names, version=2),
        partial(graphs, version=2),
    ),
}
