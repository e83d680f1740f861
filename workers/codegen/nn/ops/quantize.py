"""QUANTIZE (float to int8, or int8 rescale) and DEQUANTIZE (int8 to float)."""

from __future__ import annotations

from ...tflite_reader import Graph, Operator
from .. import quantization as q
from ..errors import UnsupportedOpError
from ..kernel_call import CDouble, CFloat, KernelCall
from . import common


def lower_quantize(graph: Graph, op: Operator) -> KernelCall:
    x = common.activation_input(graph, op)
    y = common.output_tensor(graph, op)
    if y.dtype != "int8" or not y.is_quantized:
        raise UnsupportedOpError(op.name, f"{y.dtype} output")
    out_scale, out_zp = common.scale_and_zero_point(y)
    if x.dtype == "float32":
        fields = (("size", x.size), ("scale", CFloat(out_scale)), ("zero_point", out_zp))
        return KernelCall(kernel="quantize_f32_s8", input=x.index, output=y.index, fields=fields)
    if x.dtype == "int8" and x.is_quantized:
        in_scale, in_zp = common.scale_and_zero_point(x)
        multiplier, shift = q.rescale_multiplier(in_scale, out_scale)
        return requantize_call(x.index, y.index, x.size, in_zp, out_zp, multiplier, shift, (q.INT8_MIN, q.INT8_MAX))
    raise UnsupportedOpError(op.name, f"{x.dtype} input")


def lower_dequantize(graph: Graph, op: Operator) -> KernelCall:
    x = common.activation_input(graph, op)
    y = common.output_tensor(graph, op)
    if x.dtype != "int8" or y.dtype != "float32" or not x.is_quantized:
        raise UnsupportedOpError(op.name, f"{x.dtype} input with {y.dtype} output")
    scale, zero_point = common.scale_and_zero_point(x)
    fields = (("size", x.size), ("scale", CDouble(scale)), ("zero_point", zero_point))
    return KernelCall(kernel="dequantize_s8_f32", input=x.index, output=y.index, fields=fields)


def requantize_call(
    input_index: int,
    output_index: int,
    size: int,
    in_zp: int,
    out_zp: int,
    multiplier: int,
    shift: int,
    limits: tuple[int, int],
) -> KernelCall:
    fields = (
        ("size", size),
        ("input_zero_point", in_zp),
        ("output_zero_point", out_zp),
        ("multiplier", multiplier),
        ("shift", shift),
        ("act_min", limits[0]),
        ("act_max", limits[1]),
    )
    return KernelCall(kernel="requantize_s8", input=input_index, output=output_index, fields=fields)
