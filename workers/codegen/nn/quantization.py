"""Quantization constants computed at generation time, the way TFLite's
kernels compute them in their Prepare step (so the C code is bit-exact with
the reference interpreter without doing any of this on the device)."""

from __future__ import annotations

import math

import numpy as np

INT8_MIN = -128
INT8_MAX = 127
FLOAT_LOWEST = -3.4028234663852886e38
FLOAT_MAX = 3.4028234663852886e38


def round_half_away(value: float) -> int:
    """``std::round``: halves go away from zero."""
    return int(math.copysign(math.floor(abs(value) + 0.5), value))


def quantize_multiplier(real_multiplier: float) -> tuple[int, int]:
    """TFLite's QuantizeMultiplier: ``real = multiplier * 2^(shift - 31)``, multiplier in [2^30, 2^31)."""
    if real_multiplier == 0.0:
        return 0, 0
    if real_multiplier < 0.0:
        raise ValueError(f"negative requantization multiplier {real_multiplier}")
    fraction, shift = math.frexp(real_multiplier)
    fixed = round_half_away(fraction * (1 << 31))
    if fixed == 1 << 31:
        fixed //= 2
        shift += 1
    if shift < -31:
        return 0, 0
    return fixed, shift


def per_channel_multipliers(
    input_scale: float, filter_scales: np.ndarray, output_scale: float, channels: int
) -> tuple[list[int], list[int]]:
    """Multiplier and shift per output channel of a conv / depthwise / fully connected layer."""
    scales = np.asarray(filter_scales, dtype=np.float32)
    if len(scales) not in (1, channels):
        raise ValueError(f"{len(scales)} filter scales for {channels} output channels")
    multipliers, shifts = [], []
    for channel in range(channels):
        filter_scale = float(scales[channel if len(scales) > 1 else 0])
        effective = float(np.float32(input_scale)) * filter_scale / float(np.float32(output_scale))
        multiplier, shift = quantize_multiplier(effective)
        multipliers.append(multiplier)
        shifts.append(shift)
    return multipliers, shifts


def rescale_multiplier(input_scale: float, output_scale: float) -> tuple[int, int]:
    """Multiplier for a plain rescale (``input_scale / output_scale``), as QUANTIZE and MEAN use."""
    return quantize_multiplier(float(np.float32(input_scale)) / float(np.float32(output_scale)))


def activation_range_int8(activation: str, scale: float, zero_point: int) -> tuple[int, int]:
    """CalculateActivationRangeQuantized: the fused activation as an int8 clamp."""
    scale32 = np.float32(scale)

    def quantize(value: float) -> int:
        return int(zero_point) + round_half_away(float(np.float32(value) / scale32))

    if activation == "NONE":
        return INT8_MIN, INT8_MAX
    if activation == "RELU":
        return max(INT8_MIN, quantize(0.0)), INT8_MAX
    if activation == "RELU6":
        return max(INT8_MIN, quantize(0.0)), min(INT8_MAX, quantize(6.0))
    if activation == "RELU_N1_TO_1":
        return max(INT8_MIN, quantize(-1.0)), min(INT8_MAX, quantize(1.0))
    raise ValueError(f"fused activation {activation}")


def activation_range_float(activation: str) -> tuple[float, float]:
    if activation == "NONE":
        return FLOAT_LOWEST, FLOAT_MAX
    if activation == "RELU":
        return 0.0, FLOAT_MAX
    if activation == "RELU6":
        return 0.0, 6.0
    if activation == "RELU_N1_TO_1":
        return -1.0, 1.0
    raise ValueError(f"fused activation {activation}")


SOFTMAX_SCALED_DIFF_INTEGER_BITS = 5


def softmax_int8_params(beta: float, input_scale: float) -> tuple[int, int, int]:
    """PreprocessSoftmaxScaling + CalculateInputRadius: (multiplier, left shift, diff_min)."""
    bits = SOFTMAX_SCALED_DIFF_INTEGER_BITS
    real = min(
        float(np.float32(beta)) * float(np.float32(input_scale)) * float(1 << (31 - bits)),
        float((1 << 31) - 1),
    )
    multiplier, left_shift = quantize_multiplier(real)
    if left_shift < 0:
        raise ValueError("softmax input scale too small for the fixed-point kernel")
    radius = math.floor(1.0 * ((1 << bits) - 1) * (1 << (31 - bits)) / (1 << left_shift))
    return multiplier, left_shift, -radius


def mean_int8_multiplier(input_scale: float, output_scale: float, count: int) -> tuple[int, int]:
    """The reference QuantizedMeanOrSum folds 1/count into the rescale multiplier."""
    multiplier, shift = rescale_multiplier(input_scale, output_scale)
    extra = min(count.bit_length() - 1, 32, 31 + shift)  # shift >= -31, so extra >= 0
    # Operands are non-negative, so floor division is C++'s truncating division.
    return (multiplier << extra) // count, shift - extra


def double_scales(
    input_scale: float, filter_scales: np.ndarray, output_scale: float, channels: int
) -> tuple[list[int], list[int]]:
    """Per-channel ``input * filter / output`` scale as an exact double: (53-bit mantissa, exponent).

    LiteRT's reference int8 FULLY_CONNECTED rescales with ``round(acc * scale)`` in
    double precision; the C kernel reproduces that product bit for bit in integers.
    """
    scales = np.asarray(filter_scales, dtype=np.float32)
    if len(scales) not in (1, channels):
        raise ValueError(f"{len(scales)} filter scales for {channels} output channels")
    mantissas, exponents = [], []
    for channel in range(channels):
        filter_scale = float(scales[channel if len(scales) > 1 else 0])
        effective = float(np.float32(input_scale)) * filter_scale / float(np.float32(output_scale))
        fraction, exponent = math.frexp(effective)
        mantissas.append(int(fraction * (1 << 53)) if effective > 0 else 0)
        exponents.append(exponent - 53)
    return mantissas, exponents
