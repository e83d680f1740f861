"""The conv1d_s8 kernel's generation-time side: when its fast requantization is chosen, the
identity it rests on (checked in C against fixedpoint.c), and the weight layout its inner loop reads."""

from __future__ import annotations

import shutil
import subprocess
from importlib import resources

import numpy as np
import pytest

from workers.codegen.nn.ops.conv1d import fast_requantization_is_exact, filter_pairs, requant_table

# SMMLAR(2 * acc, m, k) + (acc >> 31), shifted right by r, emulated with 64-bit integers, against
# the reference tf_nn_multiply_by_quantized_multiplier + output offset: random accumulators of every
# magnitude up to the bound the generator allows, and every accumulator near 0 (ties included).
_IDENTITY = r"""
#include <stdint.h>
#include <stdio.h>
#include "fixedpoint.c"
static uint64_t s = 88172645463325252ull;
static uint64_t rnd(void) { s ^= s << 13; s ^= s >> 7; s ^= s << 17; return s; }
static int32_t fast(int32_t a, int32_t m, int r, int32_t off)
{
    const int32_t x = (int32_t)((uint32_t)a << 1);
    const int32_t k = (int32_t)((1u << (r - 1)) + ((uint32_t)off << r));
    const int32_t u = (int32_t)(((int64_t)k * 4294967296LL + (int64_t)x * m + 0x80000000LL) >> 32);
    return (u + (x >> 31)) >> r;
}
int main(void)
{
    long bad = 0;
    int r;
    for (r = 1; r <= 23; ++r) {
        long i;
        int32_t a;
        for (i = 0; i < 200000; ++i) {
            const int32_t bound = (int32_t)(1u << (1 + rnd() % 29)) - 1;
            const int32_t m = (int32_t)((1u << 30) + rnd() % (1u << 30));
            const int32_t off = (int32_t)(rnd() % 256) - 128;
            a = (int32_t)(rnd() % (2u * (uint32_t)bound + 1u)) - bound;
            if ((int64_t)bound + 2 + (1LL << (r - 1)) + 128LL * (1LL << r) > 2147483647LL) {
                continue;
            }
            bad += fast(a, m, r, off) != tf_nn_multiply_by_quantized_multiplier(a, m, -r) + off;
        }
        for (a = -70000; a <= 70000; ++a) {
            const int32_t m = 1073741824 + (a & 0xff) * 4099;
            bad += fast(a, m, r, -128) != tf_nn_multiply_by_quantized_multiplier(a, m, -r) - 128;
        }
    }
    printf("%ld\n", bad);
    return bad != 0;
}
"""


@pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc missing")
def test_smmlar_with_a_sign_correction_equals_the_reference_requantization(tmp_path):
    kernels = resources.files("workers.codegen.nn").joinpath("kernels")
    (tmp_path / "fixedpoint.c").write_text(kernels.joinpath("fixedpoint.c").read_text(encoding="utf-8"))
    (tmp_path / "identity.c").write_text(_IDENTITY)
    subprocess.run(["gcc", "-std=c99", "-O2", "-o", "identity", "identity.c"], cwd=tmp_path, check=True)
    done = subprocess.run(["./identity"], cwd=tmp_path, capture_output=True, text=True)
    assert (done.returncode, done.stdout.strip()) == (0, "0")


def test_fast_requantization_is_refused_where_it_could_overflow_or_has_no_right_shift():
    filters = np.full((2, 1, 3, 4), 100, dtype=np.int8)
    bias = np.array([1000, -1000], dtype=np.int32)
    assert fast_requantization_is_exact(filters, bias, [-8, -9], input_offset=3, output_offset=-128)
    assert not fast_requantization_is_exact(filters, bias, [-8, 0], input_offset=3, output_offset=-128)
    assert not fast_requantization_is_exact(filters, bias, [-8, 1], input_offset=3, output_offset=-128)
    huge = np.array([1000, 2**30], dtype=np.int32)  # 2 * acc would not fit 32 bits
    assert not fast_requantization_is_exact(filters, huge, [-8, -9], input_offset=3, output_offset=-128)
    # a large right shift makes output_offset << r overflow
    assert not fast_requantization_is_exact(filters, bias, [-8, -24], input_offset=3, output_offset=-128)


def test_weights_are_doubled_int16_pairs_in_sxtb16_order_grouped_by_four_channels():
    # 5 channels of 6 weights: 2 blocks of 4 inputs (2 zeros of padding), 2 groups (3 zero channels)
    filters = np.arange(1, 31, dtype=np.int8).reshape(5, 1, 2, 3)
    words = filter_pairs(filters, blocks=2).astype(np.int64)
    assert words.shape == (2 * 2 * 4 * 2,)
    lo, hi = (words << 48 >> 48), words >> 16  # signed halves
    pairs = np.stack([lo, hi], axis=-1).reshape(2, 2, 4, 2, 2)  # group, block, channel, word, half
    # channel 1 (weights 7..12), block 0: (w0, w2) then (w1, w3), doubled
    assert pairs[0, 0, 1].tolist() == [[14, 18], [16, 20]]
    # block 1 holds w4, w5 and two zeros: (w4, 0), (w5, 0)
    assert pairs[0, 1, 1].tolist() == [[18 + 4, 0], [20 + 4, 0]]
    # channel 4 is the first of group 1; channels 5..7 are zero
    assert pairs[1, 0, 0].tolist() == [[50, 54], [52, 56]]
    assert not pairs[1, :, 1:].any()


def test_requant_table_folds_the_input_offset_into_the_doubled_bias():
    filters = np.array([[1, -2, 3], [4, 5, -6]], dtype=np.int8).reshape(2, 1, 1, 3)
    table = requant_table(filters, np.array([10, -20]), [1 << 30, 3 << 29], [-5, -7], input_offset=4, output_offset=-3)
    group = table.reshape(1, 16)[0].tolist()
    assert group[:4] == [2 * (10 + 4 * 2), 2 * (-20 + 4 * 3), 0, 0]
    assert group[4:7] == [1 << 30, 16 - 3 * 32, 5]
    assert group[7:10] == [3 << 29, 64 - 3 * 128, 7]
