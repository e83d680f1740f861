"""SOFTMAX over the last axis."""

from __future__ import annotations

import numpy as np

from ...tflite_reader import Graph, Operator
from .. import quantization as q
from ..errors import UnsupportedOpError
from ..kernel_call import CFloat, KernelCall
from . import common


def lower(graph: Graph, op: Operator) -> KernelCall:
    x = common.activation_input(graph, op)
    y = common.output_tensor(graph, op)
    depth = x.shape[-1] if x.shape else 1
    rows = x.size // depth
    beta = float(op.options.get("beta", 1.0))
    kind = common.data_kind(op, x, y)
    if kind == "f32":
        fields = (("rows", rows), ("depth", depth), ("beta", CFloat(beta)))
        return KernelCall(kernel="softmax_f32", input=x.index, output=y.index, fields=fields)
    out_scale, out_zp = common.scale_and_zero_point(y)
    if out_zp != -128 or abs(out_scale - 1 / 256) > 0.001 / 256:
        raise UnsupportedOpError(op.name, "int8 output must have scale 1/256 and zero point -128")
    multiplier, left_shift, diff_min = q.softmax_int8_params(beta, float(np.float32(x.scale[0])))
    fields = (
        ("rows", rows),
        ("depth", depth),
        ("input_multiplier", multiplier),
        ("input_left_shift", left_shift),
        ("diff_min", diff_min),
    )
    return KernelCall(kernel="softmax_s8", input=x.index, output=y.index, fields=fields)
