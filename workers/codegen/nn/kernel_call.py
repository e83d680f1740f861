"""What an operator lowers to: one call of a C kernel with a constant parameter struct."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class ArrayRef:
    """A struct field pointing at one of the call's constant arrays."""

    name: str


@dataclass(frozen=True)
class CFloat:
    value: float


@dataclass(frozen=True)
class CDouble:
    value: float


@dataclass(frozen=True)
class OnlyIn:
    """A struct field present in one kind of build only: "dsp" (TF_NN_DSP) or "portable"."""

    build: str
    value: int | CFloat | CDouble | ArrayRef | None


FieldValue = int | CFloat | CDouble | ArrayRef | OnlyIn | None


@dataclass(frozen=True)
class ConstArray:
    """Constant data emitted as a ``static const`` array (weights, biases, multipliers)."""

    name: str
    ctype: str  # "int8_t", "int32_t", "uint64_t" or "float"
    values: np.ndarray = field(compare=False)
    # "dsp": only in builds with the Cortex-M DSP-extension path (TF_NN_DSP), "portable": only in
    # the others, "": in both. The struct field pointing at it is conditional the same way.
    build: str = ""


@dataclass(frozen=True)
class KernelCall:
    """``tf_nn_<kernel>(&params, input, output)``; ``fields`` are the designated initializers.
    With ``scratch`` bytes the call gets a fourth argument: an int8_t buffer of that size in the
    arena, live during this call only."""

    kernel: str
    input: int
    output: int
    fields: tuple[tuple[str, FieldValue], ...]
    arrays: tuple[ConstArray, ...] = ()
    scratch: int = 0
