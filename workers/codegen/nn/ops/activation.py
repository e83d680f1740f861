"""Standalone RELU, RELU6 and RELU_N1_TO_1 (converters usually fuse them)."""

from __future__ import annotations

import numpy as np

from ...tflite_reader import Graph, Operator
from .. import quantization as q
from ..kernel_call import CFloat, KernelCall
from . import common
from .quantize import requantize_call

_ACTIVATION_OF_OP = {"RELU": "RELU", "RELU6": "RELU6", "RELU_N1_TO_1": "RELU_N1_TO_1"}


def lower(graph: Graph, op: Operator) -> KernelCall:
    x = common.activation_input(graph, op)
    y = common.output_tensor(graph, op)
    activation = _ACTIVATION_OF_OP[op.name]
    if common.data_kind(op, x, y) == "f32":
        act_min, act_max = q.activation_range_float(activation)
        fields = (("size", x.size), ("act_min", CFloat(act_min)), ("act_max", CFloat(act_max)))
        return KernelCall(kernel="relu_f32", input=x.index, output=y.index, fields=fields)
    in_scale, in_zp = common.scale_and_zero_point(x)
    out_scale, out_zp = common.scale_and_zero_point(y)
    # TFLite's ReluPrepare divides in float32 before widening to double.
    multiplier, shift = q.quantize_multiplier(float(np.float32(in_scale) / np.float32(out_scale)))
    limits = q.activation_range_int8(activation, out_scale, out_zp)
    return requantize_call(x.index, y.index, x.size, in_zp, out_zp, multiplier, shift, limits)
