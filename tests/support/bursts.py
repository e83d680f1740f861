"""Generated audio for event-splitting tests: "words" (tone or noise bursts of random lengths,
with a rise and fall) at random times over background noise, as int16 WAV files."""

from __future__ import annotations

import io

import numpy as np
from scipy.io import wavfile


def bursts_in_noise(
    rng: np.random.Generator,
    rate: int,
    seconds: float,
    noise_dbfs: float,
    count: int,
    snr_db: tuple[float, float] = (15, 35),
    lengths_s: tuple[float, float] = (0.08, 0.45),
    gap_s: tuple[float, float] = (1.0, 2.0),
) -> tuple[np.ndarray, list[tuple[float, float]]]:
    """int16 audio and each burst's (start_ms, end_ms). Gaps of at least a second leave room for
    a 1 s clip around each burst; fewer than `count` bursts are placed if the sample is full."""
    n = int(rate * seconds)
    signal = rng.normal(0, 32768 * 10 ** (noise_dbfs / 20), n)
    truth: list[tuple[float, float]] = []
    t = rng.uniform(0.3, 0.7)
    while len(truth) < count:
        length = rng.uniform(*lengths_s)
        if t + length > seconds - 0.3:
            break
        a, b = int(t * rate), int((t + length) * rate)
        envelope = np.sin(np.pi * np.arange(b - a) / (b - a)) ** 0.5
        if rng.random() < 0.5:
            carrier = np.sin(2 * np.pi * rng.uniform(200, 2000) * np.arange(b - a) / rate) * np.sqrt(2)
        else:
            carrier = rng.normal(0, 1, b - a)
        level = 32768 * 10 ** ((noise_dbfs + rng.uniform(*snr_db)) / 20)
        signal[a:b] += level * envelope * carrier
        truth.append((a * 1000 / rate, b * 1000 / rate))
        t += length + rng.uniform(*gap_s)
    return np.clip(np.round(signal), -32768, 32767).astype(np.int16), truth


def wav_bytes(data: np.ndarray, rate: int) -> bytes:
    out = io.BytesIO()
    wavfile.write(out, rate, data)
    return out.getvalue()
