"""Audio DSP throughput (Python, vectorised) for the standard keyword impulse.

1 s windows at 16 kHz, MFCC with Edge Impulse's keyword defaults (13 coefficients, frame 0.02 s,
stride 0.02 s, FFT 256, 32 filters, normalization window 101) -> 50 x 13 = 650 features; MFE and
spectrogram defaults for comparison. Prints windows/s batched (chunks as the feature job uses)
and one window per call, plus the machine's load; never asserts on time. The issue's target:
>= 5,000 MFCC windows/s batched on 2 cores.

    python bench/bench_audio.py [--windows 4000] [--chunk 256] [--repeat 3] [--blocks mfcc,mfe,spectrogram]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workers.dsp.registry import get_processing_block  # noqa: E402

FS = 16000.0
KEYWORD = {"frequency_hz": FS, "window_size_ms": 1000, "axes": ["audio"]}


def keyword_audio(count: int) -> np.ndarray:
    """int16-range windows: a tone with a noise burst, different per window."""
    rng = np.random.default_rng(0)
    t = np.arange(16000) / FS
    f = rng.uniform(200, 3000, (count, 1))
    x = 8000 * np.sin(2 * np.pi * f * t) * (np.abs(t - 0.5) < 0.3) + rng.normal(0, 300, (count, 16000))
    return np.round(x).astype(np.float32)[:, :, None]


def measure(block_id: str, windows: np.ndarray, chunk: int, repeat: int) -> tuple[int, float, float]:
    block = get_processing_block(block_id)
    params = block.spec.validate({}, KEYWORD)
    features = block.features(windows[:8], params, FS).shape[1]  # warm-up (filterbank, matrices)
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for i in range(0, len(windows), chunk):
            block.features(windows[i : i + chunk], params, FS)
        best = min(best, time.perf_counter() - start)
    singles = min(200, len(windows))
    start = time.perf_counter()
    for i in range(singles):
        block.features(windows[i : i + 1], params, FS)
    return features, len(windows) / best, singles / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--windows", type=int, default=4000)
    parser.add_argument("--chunk", type=int, default=256)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--blocks", default="mfcc,mfe,spectrogram")
    args = parser.parse_args()

    windows = keyword_audio(args.windows)
    load = os.getloadavg()
    print(
        f"{os.cpu_count()} cores, load average before {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
        "(the machine is shared: figures drop as load rises)"
    )
    for block_id in args.blocks.split(","):
        features, batched, single = measure(block_id, windows, args.chunk, args.repeat)
        print(f"{block_id} (defaults, 1 s @ 16 kHz -> {features} features)")
        print(
            f"  batched, chunks of {args.chunk}: {batched:,.0f} windows/s (best of {args.repeat}, "
            f"{args.windows} windows)"
        )
        print(f"  one window per call:  {single:,.0f} windows/s")
    print(f"load average after {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
