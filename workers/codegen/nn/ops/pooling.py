"""MAX_POOL_2D and AVERAGE_POOL_2D (Keras MaxPooling1D/2D, AveragePooling1D/2D)."""

from __future__ import annotations

from ...tflite_reader import Graph, Operator
from .. import quantization as q
from ..errors import UnsupportedOpError
from ..kernel_call import CFloat, KernelCall
from . import common


def lower_max_pool(graph: Graph, op: Operator) -> KernelCall:
    return _lower(graph, op, "max_pool2d")


def lower_average_pool(graph: Graph, op: Operator) -> KernelCall:
    return _lower(graph, op, "average_pool2d")


def _lower(graph: Graph, op: Operator, kernel: str) -> KernelCall:
    x = common.activation_input(graph, op)
    y = common.output_tensor(graph, op)
    batches, in_h, in_w, channels = common.nhwc(op, x)
    _, out_h, out_w, _ = common.nhwc(op, y)
    o = op.options
    k_h, k_w = o["filter_height"], o["filter_width"]
    stride_h, stride_w = o.get("stride_h", 1), o.get("stride_w", 1)
    fields = (
        ("batches", batches),
        ("in_h", in_h),
        ("in_w", in_w),
        ("channels", channels),
        ("out_h", out_h),
        ("out_w", out_w),
        ("k_h", k_h),
        ("k_w", k_w),
        ("stride_h", stride_h),
        ("stride_w", stride_w),
        ("pad_h", common.same_padding(in_h, k_h, stride_h, 1, out_h)),
        ("pad_w", common.same_padding(in_w, k_w, stride_w, 1, out_w)),
    )
    kind = common.data_kind(op, x, y)
    activation = common.fused_activation(op)
    if kind == "f32":
        act_min, act_max = q.activation_range_float(activation)
        limits = (("act_min", CFloat(act_min)), ("act_max", CFloat(act_max)))
    else:
        if common.scale_and_zero_point(x) != common.scale_and_zero_point(y):
            raise UnsupportedOpError(op.name, "input and output quantized differently")
        out_scale, out_zp = common.scale_and_zero_point(y)
        limits = tuple(
            zip(("act_min", "act_max"), q.activation_range_int8(activation, out_scale, out_zp), strict=False)
        )
    return KernelCall(kernel=f"{kernel}_{kind}", input=x.index, output=y.index, fields=fields + limits)
