"""The studio's audio views of one long sample: split-by-events detection, the spectrogram and the
WAV rendering, on a minute of 48 kHz audio with words in noise (what the sample viewer asks for).
Prints the median time of each over a few runs and the machine's load; never asserts on time.

    python bench/bench_sample_audio.py [--seconds 60] [--rate 48000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from support.bursts import bursts_in_noise  # noqa: E402

from backend.dataset.audio import FULL_SCALE, render_wav, spectrogram  # noqa: E402
from backend.dataset.editing import downsample_minmax  # noqa: E402
from backend.dataset.events import EventParams, detect_events  # noqa: E402


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--rate", type=int, default=48000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    data, truth = bursts_in_noise(np.random.default_rng(0), args.rate, args.seconds, -50, count=1000)
    values = data.reshape(-1, 1).astype(np.float32)
    interval = 1000 / args.rate
    found = detect_events(values, interval, EventParams(), FULL_SCALE)
    print(f"{args.seconds:g} s at {args.rate} Hz: {len(truth)} bursts, {len(found.cuts)} cuts; load {os.getloadavg()}")
    runs = {
        "split by events (detect)": lambda: detect_events(values, interval, EventParams(), FULL_SCALE),
        "waveform min/max (4000 points)": lambda: downsample_minmax(values, 4000),
        "spectrogram (600 x 128)": lambda: spectrogram(values, interval, 600, 128),
        "audio.wav rendering": lambda: render_wav(values, interval),
    }
    for name, fn in runs.items():
        print(f"  {name:32s} {median_ms(fn, args.repeat):8.1f} ms")


if __name__ == "__main__":
    main()
