"""CONV_2D and DEPTHWISE_CONV_2D (Keras Conv1D, Conv2D, DepthwiseConv2D)."""

from __future__ import annotations

import numpy as np

from ...tflite_reader import Graph, Operator
from .. import quantization as q
from ..errors import UnsupportedOpError
from ..kernel_call import ArrayRef, ConstArray, KernelCall
from . import common, conv1d


def lower_conv2d(graph: Graph, op: Operator) -> KernelCall:
    x = common.activation_input(graph, op)
    filters = common.constant_input(graph, op, 1, "the filter")
    if len(filters.shape) != 4:
        raise UnsupportedOpError(op.name, f"filter of shape {list(filters.shape)}")
    out_c, k_h, k_w, filter_in_c = filters.shape
    if filter_in_c != common.nhwc(op, x)[3]:
        raise UnsupportedOpError(op.name, "grouped convolution")
    return _lower(graph, op, "conv2d", out_c, k_h, k_w, ())


def lower_depthwise(graph: Graph, op: Operator) -> KernelCall:
    x = common.activation_input(graph, op)
    filters = common.constant_input(graph, op, 1, "the filter")
    if len(filters.shape) != 4 or filters.shape[0] != 1:
        raise UnsupportedOpError(op.name, f"filter of shape {list(filters.shape)}")
    _, k_h, k_w, out_c = filters.shape
    in_c = common.nhwc(op, x)[3]
    if out_c % in_c:
        raise UnsupportedOpError(op.name, f"{out_c} output channels for {in_c} input channels")
    return _lower(graph, op, "depthwise_conv2d", out_c, k_h, k_w, (("depth_multiplier", out_c // in_c),))


def _lower(graph, op, kernel, out_c, k_h, k_w, extra_fields) -> KernelCall:
    x = common.activation_input(graph, op)
    y = common.output_tensor(graph, op)
    filters = common.constant_input(graph, op, 1, "the filter")
    bias = common.optional_input(graph, op, 2)
    batches, in_h, in_w, in_c = common.nhwc(op, x)
    _, out_h, out_w, y_c = common.nhwc(op, y)
    if y_c != out_c:
        raise UnsupportedOpError(op.name, f"output has {y_c} channels, filter {out_c}")
    o = op.options
    stride_h, stride_w = o.get("stride_h", 1), o.get("stride_w", 1)
    dil_h, dil_w = o.get("dilation_h_factor", 1), o.get("dilation_w_factor", 1)
    geometry = (
        (("batches", batches), ("in_h", in_h), ("in_w", in_w), ("in_c", in_c), ("out_h", out_h), ("out_w", out_w))
        + ((("out_c", out_c),) if kernel == "conv2d" else ())
        + extra_fields
        + (
            ("k_h", k_h),
            ("k_w", k_w),
            ("stride_h", stride_h),
            ("stride_w", stride_w),
            ("dilation_h", dil_h),
            ("dilation_w", dil_w),
            ("pad_h", common.same_padding(in_h, k_h, stride_h, dil_h, out_h)),
            ("pad_w", common.same_padding(in_w, k_w, stride_w, dil_w, out_w)),
        )
    )
    kind = common.data_kind(op, x, y)
    activation = common.fused_activation(op)
    if kind == "f32":
        return common.float_weighted_call(op, f"{kernel}_f32", x, y, geometry, "filter", filters, bias, activation)
    common.symmetric_weights(op, filters)
    biases = common.bias_values(op, bias, "int32")
    in_scale, in_zp = common.scale_and_zero_point(x)
    out_scale, out_zp = common.scale_and_zero_point(y)
    multipliers, shifts = q.per_channel_multipliers(in_scale, filters.scale, out_scale, out_c)
    act_min, act_max = q.activation_range_int8(activation, out_scale, out_zp)
    if kernel == "conv2d":
        quantization = {"input_offset": -in_zp, "output_offset": out_zp, "act_min": act_min, "act_max": act_max}
        call = conv1d.lower_conv1d(
            x.index, y.index, dict(geometry), filters.data, biases, multipliers, shifts, quantization
        )
        if call is not None:
            return call
    arrays = [ConstArray("filter", "int8_t", filters.data.reshape(-1))]
    if biases is not None:
        arrays.append(ConstArray("bias", "int32_t", biases))
    arrays += [
        ConstArray("multiplier", "int32_t", np.asarray(multipliers)),
        ConstArray("shift", "int32_t", np.asarray(shifts)),
    ]
    return KernelCall(
        kernel=f"{kernel}_s8",
        input=x.index,
        output=y.index,
        fields=geometry
        + (
            ("input_offset", -in_zp),
            ("output_offset", out_zp),
            ("act_min", act_min),
            ("act_max", act_max),
            ("filter", ArrayRef("filter")),
            ("bias", ArrayRef("bias") if biases is not None else None),
            ("multiplier", ArrayRef("multiplier")),
            ("shift", ArrayRef("shift")),
        ),
        arrays=tuple(arrays),
    )
