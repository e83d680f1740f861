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


FieldValue = int | CFloat | CDouble | ArrayRef | None


@dataclass(frozen=True)
class ConstArray:
    """Constant data emitted as a ``static const`` array (weights, biases, multipliers)."""

    name: str
    ctype: str  # "int8_t", "int32_t", "uint64_t" or "float"
    values: np.ndarray = field(compare=False)


@dataclass(frozen=True)
class KernelCall:
    """``tf_nn_<kernel>(&params, input, output)``; ``fields`` are the designated initializers."""

    kernel: str
    input: int
    output: int
    fields: tuple[tuple[str, FieldValue], ...]
    arrays: tuple[ConstArray, ...] = ()
