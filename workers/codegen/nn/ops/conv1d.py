"""int8 CONV_2D with a one-row filter (Keras Conv1D) -> the conv1d_s8 kernel, where it is exact.

Its DSP path (kernels/conv1d_s8.c) multiplies the int8 inputs, sign-extended by SXTB16, by weights
prepared here: doubled, as int16 pairs in SXTB16's order, in the order the inner loop reads them,
with input_offset * sum w folded into the bias. Its requantization is one SMMLAR and a shift-based
rounding divide, which equals the reference's only under bounds this module checks per channel;
a layer outside them keeps the general conv2d_s8 kernel.
"""

from __future__ import annotations

import numpy as np

from ..kernel_call import ArrayRef, ConstArray, KernelCall, OnlyIn

_INT32_LIMIT = 2**31 - 1
_GROUP = 4  # output channels sharing one pass over the inputs
_BLOCK = 4  # inputs per inner-loop step: one word, two SXTB16 halves


def fast_requantization_is_exact(
    filters: np.ndarray, biases: np.ndarray | None, shifts: list[int], input_offset: int, output_offset: int
) -> bool:
    """True when, for every channel, the DSP path cannot overflow: its accumulator starts at
    2 * (bias + input_offset * sum w) and adds 2 * w * x (x in [-128, 127]); the reference's
    acc = bias + sum w * (x + input_offset) has |acc| <= |bias| + 255 * sum |w|; SMMLAR(2 * acc, m, k)
    and (u + (acc >> 31)) >> r need 2 * |acc| < 2^31, r >= 1 and
    |t| + 2^(r-1) + |output_offset| * 2^r < 2^31."""
    weights = np.abs(filters.reshape(filters.shape[0], -1).astype(np.int64)).sum(axis=1)
    for channel, shift in enumerate(shifts):
        right = -shift
        if right < 1 or right > 30:
            return False
        bias = abs(int(biases[channel])) if biases is not None else 0
        partial = bias + (abs(input_offset) + 128) * int(weights[channel])
        bound = bias + 255 * int(weights[channel])
        if 2 * max(partial, bound) > _INT32_LIMIT:
            return False
        if bound + 2 + 2 ** (right - 1) + abs(output_offset) * 2**right > _INT32_LIMIT:
            return False
    return True


def filter_pairs(filters: np.ndarray, blocks: int) -> np.ndarray:
    """[groups][blocks][4 channels][2 words]: doubled weights of each 4 inputs as int16 pairs
    (w0, w2) and (w1, w3), low half first."""
    out_c = filters.shape[0]
    span = filters[0].size
    groups = -(-out_c // _GROUP)
    w = np.zeros((groups * _GROUP, blocks, _BLOCK), dtype=np.int64)
    w.reshape(groups * _GROUP, -1)[:out_c, :span] = 2 * filters.reshape(out_c, span).astype(np.int64)
    w &= 0xFFFF
    even = w[:, :, 2] << 16 | w[:, :, 0]
    odd = w[:, :, 3] << 16 | w[:, :, 1]
    words = np.stack([even, odd], axis=-1).astype(np.uint32).view(np.int32)  # [channels][blocks][2]
    return words.reshape(groups, _GROUP, blocks, 2).transpose(0, 2, 1, 3).reshape(-1)


def requant_table(
    filters: np.ndarray,
    biases: np.ndarray | None,
    multipliers: list[int],
    shifts: list[int],
    input_offset: int,
    output_offset: int,
) -> np.ndarray:
    """[groups][16]: 2 * (bias + input_offset * sum w) of the group's 4 channels, then per channel
    multiplier, 2^(r-1) + (output_offset << r) and r."""
    out_c = len(multipliers)
    sums = filters.reshape(out_c, -1).astype(np.int64).sum(axis=1)
    groups = -(-out_c // _GROUP)
    table = np.zeros((groups, 16), dtype=np.int64)
    for c, (m, shift) in enumerate(zip(multipliers, shifts, strict=True)):
        g, j = divmod(c, _GROUP)
        right = -shift
        table[g, j] = 2 * ((int(biases[c]) if biases is not None else 0) + input_offset * int(sums[c]))
        table[g, 4 + 3 * j : 7 + 3 * j] = (m, 2 ** (right - 1) + output_offset * 2**right, right)
    return table.astype(np.int32).reshape(-1)


def lower_conv1d(
    x_index: int,
    y_index: int,
    geometry: dict[str, int],
    filters: np.ndarray,
    biases: np.ndarray | None,
    multipliers: list[int],
    shifts: list[int],
    quantization: dict[str, int],
) -> KernelCall | None:
    """The conv1d_s8 call of an int8 conv2d, or None where it does not apply (the filter is taller
    than one row or dilated along the width, the height padded, or the fast requantization not
    exact)."""
    g = geometry
    if g["k_h"] != 1 or g["dilation_w"] != 1 or g["pad_h"] != 0:
        return None
    in_off, out_off = quantization["input_offset"], quantization["output_offset"]
    if not fast_requantization_is_exact(filters, biases, shifts, in_off, out_off):
        return None
    blocks = -(-g["k_w"] * g["in_c"] // _BLOCK)
    fields = tuple(
        (name, g[name])
        for name in ("batches", "in_h", "in_w", "in_c", "out_h", "out_w", "out_c", "k_w", "stride_h", "stride_w")
    ) + (
        ("pad_w", g["pad_w"]),
        ("input_offset", in_off),
        ("output_offset", out_off),
        ("act_min", quantization["act_min"]),
        ("act_max", quantization["act_max"]),
        ("blocks", blocks),
        ("filter_pairs", OnlyIn("dsp", ArrayRef("filter_pairs"))),
        ("requant", OnlyIn("dsp", ArrayRef("requant"))),
        ("filter", OnlyIn("portable", ArrayRef("filter"))),
        ("bias", OnlyIn("portable", ArrayRef("bias") if biases is not None else None)),
        ("multiplier", OnlyIn("portable", ArrayRef("multiplier"))),
        ("shift", OnlyIn("portable", ArrayRef("shift"))),
    )
    arrays = [
        ConstArray("filter_pairs", "int32_t", filter_pairs(filters, blocks), build="dsp"),
        ConstArray(
            "requant", "int32_t", requant_table(filters, biases, multipliers, shifts, in_off, out_off), build="dsp"
        ),
        ConstArray("filter", "int8_t", filters.reshape(-1), build="portable"),
    ]
    if biases is not None:
        arrays.append(ConstArray("bias", "int32_t", biases, build="portable"))
    arrays += [
        ConstArray("multiplier", "int32_t", np.asarray(multipliers), build="portable"),
        ConstArray("shift", "int32_t", np.asarray(shifts), build="portable"),
    ]
    # the window of a pixel at the padding or the row's end, with the padding filled in
    return KernelCall(
        kernel="conv1d_s8", input=x_index, output=y_index, fields=fields, arrays=tuple(arrays), scratch=4 * blocks
    )
