"""FULLY_CONNECTED (Keras Dense)."""

from __future__ import annotations

import numpy as np

from ...tflite_reader import Graph, Operator
from .. import quantization as q
from ..errors import UnsupportedOpError
from ..kernel_call import ArrayRef, ConstArray, KernelCall
from . import common


def lower(graph: Graph, op: Operator) -> KernelCall:
    x = common.activation_input(graph, op)
    y = common.output_tensor(graph, op)
    weights = common.constant_input(graph, op, 1, "the weights")
    bias = common.optional_input(graph, op, 2)
    if op.options.get("weights_format", 0) != 0:
        raise UnsupportedOpError(op.name, "shuffled weights format")
    if len(weights.shape) != 2:
        raise UnsupportedOpError(op.name, f"weights of shape {list(weights.shape)}")
    out_depth, accum_depth = weights.shape
    if x.size % accum_depth:
        raise UnsupportedOpError(op.name, f"input of {x.size} values for {accum_depth} weights per unit")
    kind = common.data_kind(op, x, y)
    activation = common.fused_activation(op)
    shape = (("batches", x.size // accum_depth), ("accum_depth", accum_depth), ("out_depth", out_depth))
    if kind == "f32":
        return common.float_weighted_call(op, "fully_connected_f32", x, y, shape, "weights", weights, bias, activation)
    common.symmetric_weights(op, weights)
    biases = common.bias_values(op, bias, "int32")
    in_scale, in_zp = common.scale_and_zero_point(x)
    out_scale, out_zp = common.scale_and_zero_point(y)
    mantissas, exponents = q.double_scales(in_scale, weights.scale, out_scale, out_depth)
    act_min, act_max = q.activation_range_int8(activation, out_scale, out_zp)
    arrays = [ConstArray("weights", "int8_t", weights.data.reshape(-1))]
    if biases is not None:
        arrays.append(ConstArray("bias", "int32_t", biases))
    arrays += [
        ConstArray("scale_mantissa", "uint64_t", np.asarray(mantissas, dtype=np.uint64)),
        ConstArray("scale_exponent", "int32_t", np.asarray(exponents)),
    ]
    return KernelCall(
        kernel="fully_connected_s8",
        input=x.index,
        output=y.index,
        fields=shape
        + (
            ("input_offset", -in_zp),
            ("output_offset", out_zp),
            ("act_min", act_min),
            ("act_max", act_max),
            ("weights", ArrayRef("weights")),
            ("bias", ArrayRef("bias") if biases is not None else None),
            ("scale_mantissa", ArrayRef("scale_mantissa")),
            ("scale_exponent", ArrayRef("scale_exponent")),
        ),
        arrays=tuple(arrays),
    )
