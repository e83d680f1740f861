"""Fit the DSP unit costs of the ARMv6-M build (Cortex-M0/M0+: no FPU, float in software) against
qemu's instruction counts, like workers/codegen/estimate.py's Cortex-M4F fit: tf_dsp_run on one
window of each configuration, built -mcpu=cortex-m0plus -mfloat-abi=soft and run on qemu mps2-an385
(the same ARMv6-M instructions as the microbit's Cortex-M0, with room for audio windows).
Prints each configuration's measured count, the fit's estimate and error, and the unit costs to
paste into backend/blocks/boards.py (DSP_UNIT_ARMV6M). Every other configuration is held out of
the fit and reported separately. Never asserts on time.

    python bench/fit_core_dsp.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from support.dsp_m4 import dsp_instructions  # noqa: E402
from support.library_build import CORES  # noqa: E402

from workers.codegen.estimate import DSP_UNIT, dsp_work  # noqa: E402


def spectral(version: int, fft: int, filt: str = "none", order: int = 2, cutoff: float = 8.0, axes: int = 3):
    params = {"fft_length": fft, "filter_type": filt, "filter_order": order, "filter_cutoff": cutoff}
    return [{"id": "spectral-analysis", "version": version, "params": params, "axes": list(range(axes))}], 62.5, 125, 3


def audio(block: str, **params):
    return [{"id": block, "params": params, "axes": [0]}], 16000.0, 16000, 1


# (name, configuration, used in the fit)
CONFIGS = [
    ("raw", ([{"id": "raw", "params": {}, "axes": [0, 1, 2]}], 62.5, 125, 3), True),
    ("flatten", ([{"id": "flatten", "params": {}, "axes": [0, 1, 2]}], 62.5, 125, 3), True),
    ("spectral v1 FFT 16", spectral(1, 16), True),
    ("spectral v1 FFT 64", spectral(1, 64), True),
    ("spectral v1 FFT 32 low 2", spectral(1, 32, "low", 2), True),
    ("spectral v1 FFT 64 low 6 (motion)", spectral(1, 64, "low", 6), True),
    ("spectral v1 FFT 32 high 4", spectral(1, 32, "high", 4, 2.0), False),
    ("spectral v2 FFT 16", spectral(2, 16), True),
    ("spectral v2 FFT 64 low 6", spectral(2, 64, "low", 6), True),
    ("spectral v2 FFT 32 high 2", spectral(2, 32, "high", 2, 2.0), False),
    ("mfcc keyword (FFT 256, 32 filters)", audio("mfcc"), True),
    ("mfcc FFT 512, 40 filters", audio("mfcc", fft_length=512, num_filters=40), False),
    ("mfe default", audio("mfe"), True),
    ("mfe FFT 512", audio("mfe", fft_length=512), False),
    ("spectrogram FFT 128", audio("spectrogram", fft_length=128), True),
    ("spectrogram FFT 256", audio("spectrogram", fft_length=256), False),
]


def main() -> None:
    core = CORES["armv6m-on-an385"]
    rows = []
    with tempfile.TemporaryDirectory(prefix="fit-dsp-") as tmp:
        for i, (name, (blocks, freq, window_len, axes), fit) in enumerate(CONFIGS):
            work: dict[str, float] = {}
            for block in blocks:
                for k, v in dsp_work(block, window_len, freq).items():
                    work[k] = work.get(k, 0.0) + v
            m0 = dsp_instructions(blocks, freq, window_len, axes, Path(tmp) / f"m0-{i}", core)
            m4 = dsp_instructions(blocks, freq, window_len, axes, Path(tmp) / f"m4-{i}")
            rows.append((name, work, m0, m4, fit))
            print(f"measured {name:38} ARMv6-M {m0:>12,}  Cortex-M4F {m4:>10,}  ratio {m0 / m4:6.1f}", flush=True)
    units = sorted(DSP_UNIT)
    fitted = [r for r in rows if r[4]]
    a = np.array([[r[1].get(u, 0.0) / r[2] for u in units] for r in fitted])  # relative error
    from scipy.optimize import nnls

    x, _ = nnls(a, np.ones(len(fitted)))
    cost = dict(zip(units, x, strict=True))
    print("\nDSP_UNIT_ARMV6M = {")
    for u in DSP_UNIT:
        print(f'    "{u}": {cost[u]:.1f},')
    print("}")
    for label, keep in (("fit", True), ("held out", False)):
        errs = []
        for name, work, m0, _m4, fit in rows:
            if fit != keep:
                continue
            est = sum(cost[u] * v for u, v in work.items())
            errs.append(100 * (est - m0) / m0)
            print(f"{label:8} {name:38} measured {m0:>12,} estimate {round(est):>12,} {errs[-1]:+6.1f} %")
        print(f"{label}: error {min(errs):+.1f} % to {max(errs):+.1f} %")


if __name__ == "__main__":
    main()
