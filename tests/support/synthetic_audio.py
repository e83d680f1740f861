"""Synthetic 1 s audio clips at 16 kHz in three classes, for audio tests and benchmarks.

tone:  a steady sine of random pitch (300-3000 Hz) over most of the clip (0.6-0.95 s, random start)
chirp: a linear sweep between two random frequencies (200-4000 Hz, 1 kHz apart or more), up or
       down, over 0.5-0.9 s
noise: two to four bursts of white noise at random times (40-150 ms each)

Every clip has a random amplitude and background noise, so no two are alike, yet the classes
are easy to tell apart from MFCC frames. Seeded: the same seed gives the same clips.
"""

from __future__ import annotations

import io
import wave

import numpy as np

RATE = 16000
CLIP_SAMPLES = RATE  # 1 s
CLASSES = ("chirp", "noise", "tone")


def _envelope(n: int, start: int, length: int) -> np.ndarray:
    """1 over [start, start + length) with 10 ms ramps, 0 elsewhere."""
    env = np.zeros(n)
    end = min(n, start + length)
    env[start:end] = 1.0
    ramp = min(160, (end - start) // 2)
    if ramp:
        env[start : start + ramp] *= np.linspace(0, 1, ramp)
        env[end - ramp : end] *= np.linspace(1, 0, ramp)
    return env


def clip(label: str, rng: np.random.Generator) -> np.ndarray:
    """One clip of the class `label` as int16 [16000]."""
    n = CLIP_SAMPLES
    t = np.arange(n) / RATE
    if label == "tone":
        length = int(rng.uniform(0.6, 0.95) * n)
        start = int(rng.integers(0, n - length + 1))
        f = rng.uniform(300, 3000)
        signal = np.sin(2 * np.pi * f * t + rng.uniform(0, 2 * np.pi)) * _envelope(n, start, length)
    elif label == "chirp":
        length = int(rng.uniform(0.5, 0.9) * n)
        start = int(rng.integers(0, n - length + 1))
        f0, f1 = rng.uniform(200, 4000, size=2)
        while abs(f1 - f0) < 1000:  # a sweep, not a near-steady tone
            f0, f1 = rng.uniform(200, 4000, size=2)
        local = np.clip(t - start / RATE, 0, None)
        duration = length / RATE
        phase = 2 * np.pi * (f0 * local + (f1 - f0) * local**2 / (2 * duration))
        signal = np.sin(phase) * _envelope(n, start, length)
    elif label == "noise":
        signal = np.zeros(n)
        for _ in range(int(rng.integers(2, 5))):
            length = int(rng.uniform(0.04, 0.15) * RATE)
            start = int(rng.integers(0, n - length))
            signal += rng.standard_normal(n) * 0.6 * _envelope(n, start, length)
    else:
        raise ValueError(f"unknown class {label!r} (classes: {', '.join(CLASSES)})")
    amplitude = rng.uniform(0.2, 0.8)
    background = rng.standard_normal(n) * rng.uniform(0.005, 0.03)
    samples = np.clip(signal * amplitude + background, -1.0, 1.0)
    return np.round(samples * 32767).astype(np.int16)


def dataset(per_class: int, seed: int = 0) -> list[tuple[str, np.ndarray]]:
    """per_class clips of each class, interleaved (chirp, noise, tone, chirp, ...)."""
    rng = np.random.default_rng(seed)
    return [(label, clip(label, rng)) for _ in range(per_class) for label in CLASSES]


def wav_bytes(samples: np.ndarray, rate: int = RATE) -> bytes:
    """A mono 16-bit PCM WAV file holding `samples` (int16)."""
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(np.asarray(samples, dtype="<i2").tobytes())
    return buf.getvalue()
