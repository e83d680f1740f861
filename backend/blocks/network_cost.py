"""What a network costs on the device: the network part of the cost model, shared by the API (the
estimate while a network is edited, from network.trace) and the workers (the estimate of a trained
model, from its .tflite graph: workers/codegen/estimate.py, whose docstring explains the fit).

Pure Python. Instructions are Cortex-M4 instructions as qemu counts them; a board turns them into
milliseconds (backend/blocks/boards.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from backend.blocks.network import LayerTrace

NN_CODE_BYTES = {"nn_int8": 1350, "nn_float32": 900}  # kernels and glue at -Os (measured)
NN_PER_MAC = {"int8": 7.0, "float32": 5.0}
NN_PER_OUTPUT = 90.0  # bias, fixed-point requantization, activation, store
NN_PER_INPUT = 45.0  # float -> int8 quantization of one feature
NN_PER_CLASS_SOFTMAX = 700.0
# measured / modelled instructions of the standard motion network (dense 20 -> dense 10 -> 4):
# the unit costs above are first guesses from the kernels' inner loops
NN_CALIBRATION = {"nn_int8": 12_080 / 13_645, "nn_float32": 8_040 / 10_360}

# The int8 DSP-extension kernels whose work is not the dense layers' mix, priced by their own
# measured unit costs (Cortex-M4F, -Os, qemu; bench/bench_audio.py's keyword net: conv1d 8 x 3 over
# 50 x 13 and 16 x 3 over 25 x 8, each with a max pool of 2): the one-row conv kernel (conv1d_s8) per
# step of its inner loop (4 inputs x 4 channels: 15 instructions + the loop's share), per pass of
# 4 channels over one pixel (accumulators, the 4 requantizations, the loop) and per pixel (the
# pixel loop and, shared out, the padding copies of edge pixels); a max pool per output value.
ROW_CONV_PER_STEP = 16.0
ROW_CONV_PER_PASS = 36.9
ROW_CONV_PER_PIXEL = 37.0
MAX_POOL_PER_OUTPUT = 19.0


@dataclass(frozen=True)
class NetworkWork:
    """What one inference computes, as the cost model counts it (from network.trace or a .tflite)."""

    macs: int  # multiply-accumulates of every layer
    outputs: int  # values computed by the kernels (conv, dense, pooling), softmax excepted
    inputs: int  # features quantized to int8 (int8 networks)
    classes: int  # softmax outputs
    # one-row conv layers (conv1d_s8 in int8): (output pixels, output channels, inputs per output)
    row_convs: tuple[tuple[int, int, int], ...] = ()
    max_pool_outputs: int = 0


def _row_conv(pixels: int, channels: int, span: int) -> tuple[float, int, int]:
    """(instructions, MACs, outputs) of one conv1d_s8 layer on the DSP path."""
    passes = pixels * -(-channels // 4)
    steps = passes * -(-span // 4)
    cost = steps * ROW_CONV_PER_STEP + passes * ROW_CONV_PER_PASS + pixels * ROW_CONV_PER_PIXEL
    return cost, pixels * channels * span, pixels * channels


def portable_network_instructions(work: NetworkWork, variant: str) -> float:
    """Instructions of one inference priced with the unit costs of the dense layers' mix for every
    layer, calibrated: what the cores without the DSP extension scale from (their measured ratio to
    it, backend/blocks/boards.py), and the float32 network's price."""
    return NN_CALIBRATION[f"nn_{variant}"] * (
        work.macs * NN_PER_MAC[variant]
        + work.outputs * NN_PER_OUTPUT
        + work.classes * NN_PER_CLASS_SOFTMAX
        + (work.inputs * NN_PER_INPUT if variant == "int8" else 0)
    )


def network_instructions(work: NetworkWork, variant: str) -> float:
    """Cortex-M4F instructions of one inference with the DSP-extension kernels: the one-row convs
    and max pools of an int8 network at their measured unit costs, the rest as the portable price."""
    if variant != "int8":
        return portable_network_instructions(work, variant)
    own, macs, outputs = 0.0, 0, 0
    for layer in work.row_convs:
        cost, m, o = _row_conv(*layer)
        own, macs, outputs = own + cost, macs + m, outputs + o
    own += work.max_pool_outputs * MAX_POOL_PER_OUTPUT
    rest = NetworkWork(work.macs - macs, work.outputs - outputs - work.max_pool_outputs, work.inputs, work.classes)
    return own + portable_network_instructions(rest, variant)


def network_work(work: NetworkWork, variant: str) -> dict[str, float]:
    """What the board catalogue needs beyond the Cortex-M4F count to price the network on other
    cores (backend/blocks/boards.py): its price with the portable kernels and the features it
    quantizes (int8)."""
    return {
        "portable": round(portable_network_instructions(work, variant), 1),
        "inputs": work.inputs if variant == "int8" else 0,
    }


def row_conv_weight_bytes(channels: int, span: int) -> int:
    """Constant bytes of a conv1d_s8 layer in the DSP build (its larger one): the doubled weights as
    int16 pairs padded to blocks of 4 inputs and groups of 4 channels, 16 words of constants a group."""
    groups, blocks = -(-channels // 4), -(-span // 4)
    return groups * blocks * 32 + groups * 64


def _aligned(n: int) -> int:
    return (n + 3) // 4 * 4


def _shape_values(shape: tuple[int, ...] | None) -> int:
    return math.prod(shape) if shape else 0


def estimate_network(
    layers: list[LayerTrace], features: int, classes: int, variant: str = "int8", normalized: bool = True
) -> dict[str, Any]:
    """Instructions, flash and RAM of the network traced by network.trace (with its output layer).

    Flash: the kernels' code + weights (int8: a byte each, 32-bit biases, a multiplier and shift
    per output channel, a one-row conv's in the DSP build's layout; float32: 4 bytes each) + the
    features' mean and deviation when normalised.
    RAM: the network's input and output buffers + an arena holding the largest input + output
    pair of one layer between them (+ a one-row conv's scratch; what the memory planner finds for a
    chain of layers; the generated library may place these in the DSP's scratch when they fit, so
    this is an upper bound of what the network adds).
    """
    size = 1 if variant == "int8" else 4
    macs = sum(t.macs for t in layers)
    outputs = sum(t.outputs for t in layers)
    softmax = classes if layers and layers[-1].index is None and classes > 1 else 0
    row = variant == "int8"  # the one-row conv kernel (and its scratch, its weight layout) is int8's
    work = NetworkWork(
        macs,
        outputs,
        features,
        softmax,
        tuple((*t.row_filter[:1], t.channels, t.row_filter[1]) for t in layers if t.row_filter and row),
        sum(t.pool_outputs for t in layers) if row else 0,
    )
    instructions = network_instructions(work, variant)
    weights = 0
    for t in layers:
        if t.params:
            kernel = t.params - t.channels
            if t.row_filter and row:
                weights += row_conv_weight_bytes(t.channels, t.row_filter[1])
            else:
                weights += kernel + 12 * t.channels if variant == "int8" else 4 * t.params
    weights += 8 * features if normalized else 0
    # the network's input and output have their own buffers; the arena holds what is in between,
    # each layer's input and output at once (shape-only layers alias their input) and a one-row
    # conv's scratch (a pixel's inputs, padded to blocks of 4, beside its input and output)
    # (int8 activations; float32 ones take 4 bytes)
    steps = [
        (n, 4 * -(-t.row_filter[1] // 4) if (t.row_filter and row and j == 0) else 0)
        for t in layers
        if t.output_shape is not None
        for j, n in enumerate(t.buffers)
    ]
    arena, previous = 0, 0
    for j, (n, scratch) in enumerate(steps):
        # the last step writes the network's output, unless a softmax follows it
        now = 0 if j == len(steps) - 1 and not softmax else _aligned(size * n)
        arena = max(arena, previous + now + scratch)
        previous = now
    out_values = _shape_values(layers[-1].output_shape) if layers else 0
    ram = _aligned(size * features) + _aligned(size * out_values) + arena
    return {
        "parameters": sum(t.params for t in layers),
        "macs": macs,
        "instructions": int(round(instructions)),
        "work": network_work(work, variant),
        "flash_bytes": NN_CODE_BYTES[f"nn_{variant}"] + weights,
        "ram_bytes": int(ram),
        "arena_bytes": arena,
    }
