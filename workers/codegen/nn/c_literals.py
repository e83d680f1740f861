"""Exact, deterministic C literals for generated code."""

from __future__ import annotations

import math

import numpy as np

_VALUES_PER_LINE = {"int8_t": 16, "int16_t": 12, "int32_t": 8, "uint64_t": 4, "float": 6}


class NonFiniteConstantError(ValueError):
    """A weight or parameter is NaN or infinite and cannot be emitted."""


def c_int(value: int) -> str:
    return "(-2147483647 - 1)" if value == -(2**31) else str(value)


def c_float(value: float) -> str:
    """A float32 literal that reads back to the same float32 (9 significant digits)."""
    if not math.isfinite(value):
        raise NonFiniteConstantError(f"non-finite constant {value}")
    text = f"{float(np.float32(value)):.9g}"
    if "." not in text and "e" not in text and "n" not in text:
        text += ".0"
    return text + "f"


def c_double(value: float) -> str:
    if not math.isfinite(value):
        raise NonFiniteConstantError(f"non-finite constant {value}")
    text = f"{value:.17g}"
    return text if ("." in text or "e" in text) else text + ".0"


def c_values(ctype: str, values: np.ndarray) -> list[str]:
    flat = np.asarray(values).reshape(-1)
    if ctype == "float":
        return [c_float(float(v)) for v in flat.astype(np.float32)]
    if ctype == "uint64_t":
        return [f"{int(v)}ULL" for v in flat]
    return [c_int(int(v)) for v in flat]


def c_array(qualifiers: str, ctype: str, name: str, values: np.ndarray) -> str:
    """``static const float name[n] = {...};`` wrapped at a fixed number of values per line."""
    items = c_values(ctype, values)
    per_line = _VALUES_PER_LINE[ctype]
    lines = [", ".join(items[i : i + per_line]) for i in range(0, len(items), per_line)]
    body = ",\n    ".join(lines)
    return f"{qualifiers} {ctype} {name}[{len(items)}] = {{\n    {body},\n}};\n"
