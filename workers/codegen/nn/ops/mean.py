"""MEAN over contiguous axes (Keras GlobalAveragePooling1D/2D)."""

from __future__ import annotations

import math

from ...tflite_reader import Graph, Operator
from .. import quantization as q
from ..errors import UnsupportedOpError
from ..kernel_call import KernelCall
from . import common


def lower(graph: Graph, op: Operator) -> KernelCall:
    x = common.activation_input(graph, op)
    y = common.output_tensor(graph, op)
    axis_tensor = common.constant_input(graph, op, 1, "the axis")
    rank = len(x.shape)
    axes = sorted({int(a) + rank if int(a) < 0 else int(a) for a in axis_tensor.data.reshape(-1)})
    if not axes or axes != list(range(axes[0], axes[-1] + 1)):
        raise UnsupportedOpError(op.name, f"reduction over non-contiguous axes {axes}")
    outer = math.prod(x.shape[: axes[0]])
    reduce = math.prod(x.shape[axes[0] : axes[-1] + 1])
    inner = math.prod(x.shape[axes[-1] + 1 :])
    fields = (("outer", outer), ("reduce", reduce), ("inner", inner))
    kind = common.data_kind(op, x, y)
    if kind == "f32":
        return KernelCall(kernel="mean_f32", input=x.index, output=y.index, fields=fields)
    in_scale, in_zp = common.scale_and_zero_point(x)
    out_scale, out_zp = common.scale_and_zero_point(y)
    multiplier, shift = q.mean_int8_multiplier(in_scale, out_scale, reduce)
    fields += (
        ("input_zero_point_times_reduce", in_zp * reduce),
        ("output_offset", out_zp),
        ("multiplier", multiplier),
        ("shift", shift),
    )
    return KernelCall(kernel="mean_s8", input=x.index, output=y.index, fields=fields)
