"""Spectral analysis feature throughput (Python, vectorised) on the standard motion config.

10k windows of 125 samples x 3 axes (62.5 Hz, 2000 ms, low-pass 8 Hz order 6, FFT 64), processed
in chunks as the feature-generation job does. Prints windows/s; never asserts on time.

    python bench/bench_spectral.py [--windows 10000] [--chunk 1024] [--repeat 3]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workers.dsp.registry import get_processing_block  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--windows", type=int, default=10_000)
    parser.add_argument("--chunk", type=int, default=1024)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    block = get_processing_block("spectral-analysis")
    params = block.spec.validate({"filter_type": "low", "filter_cutoff": 8.0, "filter_order": 6, "fft_length": 64},
                                 {"frequency_hz": 62.5, "window_size_ms": 2000})
    rng = np.random.default_rng(0)
    windows = rng.normal(0, 2, (args.windows, 125, 3)).astype(np.float32)

    block.features(windows[:16], params, 62.5)  # warm-up (imports, filter design)
    best = float("inf")
    for _ in range(args.repeat):
        start = time.perf_counter()
        for i in range(0, args.windows, args.chunk):
            block.features(windows[i:i + args.chunk], params, 62.5)
        best = min(best, time.perf_counter() - start)
    one = time.perf_counter()
    for i in range(200):
        block.features(windows[i:i + 1], params, 62.5)
    single = (time.perf_counter() - one) / 200

    print(f"spectral-analysis v{block.version}, 125x3 @ 62.5 Hz, low 8 Hz order 6, FFT 64 -> 33 features")
    print(f"  vectorised, chunks of {args.chunk}: {args.windows / best:,.0f} windows/s "
          f"({best * 1e3:.0f} ms for {args.windows} windows, best of {args.repeat})")
    print(f"  one window per call:      {1 / single:,.0f} windows/s")


if __name__ == "__main__":
    main()
