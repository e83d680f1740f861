"""Registry: TFLite builtin operator name -> lowering to a C kernel call."""

from __future__ import annotations

from collections.abc import Callable

from ...tflite_reader import Graph, Operator
from ..kernel_call import KernelCall
from . import activation, conv, fully_connected, mean, pooling, quantize, softmax

Lowering = Callable[[Graph, Operator], KernelCall]

LOWERINGS: dict[str, Lowering] = {
    "FULLY_CONNECTED": fully_connected.lower,
    "CONV_2D": conv.lower_conv2d,
    "DEPTHWISE_CONV_2D": conv.lower_depthwise,
    "MAX_POOL_2D": pooling.lower_max_pool,
    "AVERAGE_POOL_2D": pooling.lower_average_pool,
    "SOFTMAX": softmax.lower,
    "MEAN": mean.lower,
    "QUANTIZE": quantize.lower_quantize,
    "DEQUANTIZE": quantize.lower_dequantize,
    "RELU": activation.lower,
    "RELU6": activation.lower,
    "RELU_N1_TO_1": activation.lower,
}

# Ops that only reinterpret the shape: the output aliases the input's bytes.
# Their extra inputs (the new shape, the axis) are not data dependencies, so
# SHAPE / STRIDED_SLICE / PACK chains feeding them (Keras Flatten) become dead.
RESHAPE_OPS = frozenset({"RESHAPE", "EXPAND_DIMS", "SQUEEZE"})

SUPPORTED_OPS = tuple(sorted(set(LOWERINGS) | RESHAPE_OPS))
