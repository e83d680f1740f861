"""Audio views of a sample: a WAV rendering for playback and a spectrogram. Pure numpy.

Audio samples hold values in the int16 range (see `ingestion/formats/wav_format.py`), one axis
after down-mixing; several axes are averaged here as well.
"""

from __future__ import annotations

import io
import math
import wave
from dataclasses import dataclass

import numpy as np

AUDIO_UNITS = "wav"
FULL_SCALE = 32768.0
MAX_COLUMNS = 1000
MAX_BINS = 256


def is_audio(sensors: list[dict[str, str]]) -> bool:
    """Audio samples are those whose every axis has the units `wav` (WAV uploads, phone microphones)."""
    return bool(sensors) and all(s.get("units", "").lower() == AUDIO_UNITS for s in sensors)


def mono(values: np.ndarray) -> np.ndarray:
    return values[:, 0] if values.shape[1] == 1 else values.mean(axis=1)


def render_wav(values: np.ndarray, interval_ms: float) -> bytes:
    """16-bit PCM mono WAV of the sample; values outside the int16 range are clipped."""
    rate = max(1, int(round(1000.0 / interval_ms)))
    pcm = np.clip(np.rint(mono(values)), -32768, 32767).astype("<i2")
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())
    return out.getvalue()


@dataclass(frozen=True)
class Spectrogram:
    times_ms: list[float]  # centre of each column's frame
    frequencies_hz: list[float]  # centre of each row's band
    db: list[list[float]]  # [column][band], dBFS
    fft_size: int


def _fft_size(rate: float) -> int:
    # About 20 ms: resolves a voice's harmonics while following syllables (256 at 16 kHz).
    return max(64, min(4096, 2 ** int(round(math.log2(max(rate * 0.016, 1))))))


def spectrogram(values: np.ndarray, interval_ms: float, columns: int, bands: int) -> Spectrogram:
    """Power spectrum in dBFS of `columns` frames spread evenly over the sample.

    A long recording is sampled, not averaged: one FFT per pixel column, so a minute at 48 kHz
    costs `columns` FFTs, not the ~5000 a full short-time transform would take."""
    signal = mono(values).astype(np.float64) / FULL_SCALE
    rate = 1000.0 / interval_ms
    size = _fft_size(rate)
    n = signal.shape[0]
    if n < size:
        signal = np.pad(signal, (0, size - n))
    hop_all = size // 2
    total = 1 + (signal.shape[0] - size) // hop_all
    count = max(1, min(columns, total))
    starts = np.linspace(0, signal.shape[0] - size, count).round().astype(np.int64)
    frames = signal[starts[:, None] + np.arange(size)[None, :]]
    window = np.hanning(size)
    spectrum = np.abs(np.fft.rfft(frames * window, axis=1)) ** 2 / (window.sum() ** 2 / 4)
    bins = spectrum.shape[1]
    groups = max(1, math.ceil(bins / bands))
    usable = (bins // groups) * groups
    banded = spectrum[:, :usable].reshape(count, -1, groups).mean(axis=2)
    db = 10 * np.log10(np.maximum(banded, 1e-12))
    freqs = (np.arange(banded.shape[1]) * groups + (groups - 1) / 2) * rate / size
    times = (starts + size / 2) * interval_ms
    return Spectrogram(
        times_ms=np.round(times, 3).tolist(),
        frequencies_hz=np.round(freqs, 2).tolist(),
        db=np.round(db, 1).tolist(),
        fft_size=size,
    )
