"""The DSP cost model (workers/codegen/estimate.py) against instructions counted on a Cortex-M4F
(arm-none-eabi-gcc -Os, qemu -icount): the keyword MFCC (50 x 13, FFT 256, 32 filters, normalization
window 101) and spectral analysis v2 on the motion input. The motion impulse's whole library is
checked in test_library_verification.py (same +-25 %)."""

from __future__ import annotations

import pytest
from support.dsp_m4 import HAS_M4, dsp_instructions

from workers.codegen.estimate import estimate_library

pytestmark = pytest.mark.skipif(not HAS_M4, reason="arm-none-eabi-gcc or qemu-system-arm missing")

CASES = {
    "keyword-mfcc": ([{"id": "mfcc", "params": {}, "axes": [0]}], 16000.0, 16000, 1),
    "motion-spectral-v2": (
        [
            {
                "id": "spectral-analysis",
                "version": 2,
                "params": {"filter_type": "low", "filter_cutoff": 8.0, "filter_order": 6, "fft_length": 64},
                "axes": [0, 1, 2],
            }
        ],
        62.5,
        125,
        3,
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_dsp_estimate_is_within_a_quarter_of_the_measured_instructions(case, tmp_path):
    blocks, frequency_hz, window_len, axes_count = CASES[case]
    measured = dsp_instructions(blocks, frequency_hz, window_len, axes_count, tmp_path)
    estimate = estimate_library(blocks, window_len, None, "int8", 0, None, 0, frequency_hz=frequency_hz)
    predicted = estimate["dsp"]["instructions"]
    print(f"\n{case}: measured {measured:,}, estimated {predicted:,} ({predicted / measured - 1:+.1%})")
    assert 0.75 * measured <= predicted <= 1.25 * measured


def test_audio_blocks_are_priced_by_their_frames_not_their_samples():
    """Same window, twice the frames and FFT work: the estimate follows the frames (the old
    per-sample model priced both alike)."""
    one = estimate_library(
        [{"id": "mfe", "params": {"frame_stride": 0.02}, "axes": [0]}],
        16000,
        None,
        "int8",
        0,
        None,
        0,
        frequency_hz=16000.0,
    )["dsp"]["instructions"]
    two = estimate_library(
        [{"id": "mfe", "params": {"frame_stride": 0.01}, "axes": [0]}],
        16000,
        None,
        "int8",
        0,
        None,
        0,
        frequency_hz=16000.0,
    )["dsp"]["instructions"]
    assert 1.9 < two / one < 2.1
