"""What a network costs on the device: the network part of the cost model, shared by the API (the
estimate while a network is edited, from network.trace) and the workers (the estimate of a trained
model, from its .tflite graph: workers/codegen/estimate.py, whose docstring explains the fit).

Pure Python. Instructions are Cortex-M4 instructions as qemu counts them; a board turns them into
milliseconds (backend/blocks/boards.py).
"""

from __future__ import annotations

import math
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


def network_instructions(macs: int, outputs: int, inputs: int, classes: int, variant: str) -> float:
    """Modelled instructions of one inference, before calibration (NN_CALIBRATION)."""
    return (
        macs * NN_PER_MAC[variant]
        + outputs * NN_PER_OUTPUT
        + classes * NN_PER_CLASS_SOFTMAX
        + (inputs * NN_PER_INPUT if variant == "int8" else 0)
    )


def _aligned(n: int) -> int:
    return (n + 3) // 4 * 4


def _shape_values(shape: tuple[int, ...] | None) -> int:
    return math.prod(shape) if shape else 0


def estimate_network(
    layers: list[LayerTrace], features: int, classes: int, variant: str = "int8", normalized: bool = True
) -> dict[str, Any]:
    """Instructions, flash and RAM of the network traced by network.trace (with its output layer).

    Flash: the kernels' code + weights (int8: a byte each, 32-bit biases, a multiplier and shift
    per output channel; float32: 4 bytes each) + the features' mean and deviation when normalised.
    RAM: the network's input and output buffers + an arena holding the largest input + output
    pair of one layer between them (what the memory planner finds for a chain of layers; the
    generated library may place these in the DSP's scratch when they fit, so this is an upper
    bound of what the network adds).
    """
    size = 1 if variant == "int8" else 4
    macs = sum(t.macs for t in layers)
    outputs = sum(t.outputs for t in layers)
    softmax = classes if layers and layers[-1].index is None and classes > 1 else 0
    instructions = network_instructions(macs, outputs, features, softmax, variant) * NN_CALIBRATION[f"nn_{variant}"]
    weights = 0
    for t in layers:
        if t.params:
            kernel = t.params - t.channels
            weights += kernel + 12 * t.channels if variant == "int8" else 4 * t.params
    weights += 8 * features if normalized else 0
    # the network's input and output have their own buffers; the arena holds what is in between,
    # each layer's input and output at once (shape-only layers alias their input)
    # (int8 activations; float32 ones take 4 bytes)
    steps = [n for t in layers if t.output_shape is not None for n in t.buffers]
    arena, previous = 0, 0
    for j, n in enumerate(steps):
        # the last step writes the network's output, unless a softmax follows it
        now = 0 if j == len(steps) - 1 and not softmax else _aligned(size * n)
        arena = max(arena, previous + now)
        previous = now
    out_values = _shape_values(layers[-1].output_shape) if layers else 0
    ram = _aligned(size * features) + _aligned(size * out_values) + arena
    return {
        "parameters": sum(t.params for t in layers),
        "macs": macs,
        "instructions": int(round(instructions)),
        "flash_bytes": NN_CODE_BYTES[f"nn_{variant}"] + weights,
        "ram_bytes": int(ram),
        "arena_bytes": arena,
    }
