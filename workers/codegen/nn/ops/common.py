"""Shared checks and shape arithmetic for the operator lowerings."""

from __future__ import annotations

import numpy as np

from ...tflite_reader import Graph, Operator, Tensor
from .. import quantization as q
from ..errors import UnsupportedOpError
from ..kernel_call import ArrayRef, CFloat, ConstArray, KernelCall

SUPPORTED_ACTIVATIONS = ("NONE", "RELU", "RELU6", "RELU_N1_TO_1")


def activation_input(graph: Graph, op: Operator) -> Tensor:
    return graph.tensors[op.inputs[0]]


def output_tensor(graph: Graph, op: Operator) -> Tensor:
    return graph.tensors[op.outputs[0]]


def optional_input(graph: Graph, op: Operator, position: int) -> Tensor | None:
    if len(op.inputs) <= position or op.inputs[position] < 0:
        return None
    return graph.tensors[op.inputs[position]]


def constant_input(graph: Graph, op: Operator, position: int, what: str) -> Tensor:
    tensor = optional_input(graph, op, position)
    if tensor is None or not tensor.is_constant:
        raise UnsupportedOpError(op.name, f"{what} must be a constant tensor")
    return tensor


def data_kind(op: Operator, input_tensor: Tensor, output_tensor: Tensor) -> str:
    """``"s8"`` for int8 in and out, ``"f32"`` for float32 in and out."""
    if input_tensor.dtype == "int8" and output_tensor.dtype == "int8":
        if not (input_tensor.is_quantized and output_tensor.is_quantized):
            raise UnsupportedOpError(op.name, "int8 tensors without quantization parameters")
        return "s8"
    if input_tensor.dtype == "float32" and output_tensor.dtype == "float32":
        return "f32"
    raise UnsupportedOpError(op.name, f"{input_tensor.dtype} input with {output_tensor.dtype} output")


def scale_and_zero_point(tensor: Tensor) -> tuple[float, int]:
    """Per-tensor quantization of an activation tensor."""
    assert tensor.scale is not None and tensor.zero_point is not None
    return float(tensor.scale[0]), int(tensor.zero_point[0])


def fused_activation(op: Operator) -> str:
    activation = op.options.get("fused_activation", "NONE")
    if activation not in SUPPORTED_ACTIVATIONS:
        raise UnsupportedOpError(op.name, f"fused activation {activation}")
    return activation


def nhwc(op: Operator, tensor: Tensor) -> tuple[int, int, int, int]:
    if len(tensor.shape) != 4:
        raise UnsupportedOpError(op.name, f"expects a 4-D tensor, got shape {list(tensor.shape)}")
    b, h, w, c = tensor.shape
    return b, h, w, c


def same_padding(in_size: int, kernel: int, stride: int, dilation: int, out_size: int) -> int:
    """TFLite's ComputePaddingWithOffset (the leading pad; any odd pixel goes at the end)."""
    effective = (kernel - 1) * dilation + 1
    total = (out_size - 1) * stride + effective - in_size
    return max(total, 0) // 2


def symmetric_weights(op: Operator, tensor: Tensor) -> None:
    if tensor.dtype != "int8":
        raise UnsupportedOpError(op.name, f"{tensor.dtype} weights with int8 activations")
    if tensor.zero_point is None or np.any(tensor.zero_point != 0):
        raise UnsupportedOpError(op.name, "int8 weights with a non-zero zero point")


def bias_values(op: Operator, bias: Tensor | None, dtype: str) -> np.ndarray | None:
    if bias is None:
        return None
    if bias.data is None:
        raise UnsupportedOpError(op.name, "bias must be a constant tensor")
    if bias.dtype != dtype:
        raise UnsupportedOpError(op.name, f"{bias.dtype} bias")
    return bias.data.reshape(-1)


def float_weighted_call(
    op: Operator,
    kernel: str,
    x: Tensor,
    y: Tensor,
    fields: tuple,
    name: str,
    weights: Tensor,
    bias: Tensor | None,
    activation: str,
) -> KernelCall:
    """The float32 call shared by FC, conv and depthwise conv: weights, optional bias, clamp."""
    if weights.dtype != "float32":
        raise UnsupportedOpError(op.name, "hybrid (dynamic range) quantized weights")
    biases = bias_values(op, bias, "float32")
    act_min, act_max = q.activation_range_float(activation)
    arrays = [ConstArray(name, "float", weights.data.reshape(-1))]
    if biases is not None:
        arrays.append(ConstArray("bias", "float", biases))
    return KernelCall(
        kernel=kernel,
        input=x.index,
        output=y.index,
        fields=fields
        + (
            ("act_min", CFloat(act_min)),
            ("act_max", CFloat(act_max)),
            (name, ArrayRef(name)),
            ("bias", ArrayRef("bias") if biases is not None else None),
        ),
        arrays=tuple(arrays),
    )
