"""Exact, deterministic C literals for generated code: numbers that read back to the same
value, and user text (project, impulse, labels, axes) that can never end a string or a comment."""

from __future__ import annotations

import math
import re

import numpy as np

_VALUES_PER_LINE = {"int8_t": 16, "int16_t": 12, "int32_t": 8, "uint64_t": 4, "float": 6}


class NonFiniteConstantError(ValueError):
    """A weight or parameter is NaN or infinite and cannot be emitted."""


def c_int(value: int) -> str:
    return "(-2147483647 - 1)" if value == -(2**31) else str(value)


def c_float(value: float) -> str:
    """A float32 literal that reads back to the same float32 (9 significant digits)."""
    as_float32 = float(np.float32(value))  # a finite double can overflow float32
    if not math.isfinite(as_float32):
        raise NonFiniteConstantError(f"non-finite constant {value}")
    text = f"{as_float32:.9g}"
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


def c_index_array(name: str, indices) -> str:
    """``static const unsigned char name[n] = { ... };``: indices in the smallest unsigned type that
    holds them (flash is scarce; plain C types, so no header is needed)."""
    values = [int(i) for i in indices]
    top = max(values)
    ctype = "unsigned char" if top < 256 else "unsigned short" if top < 65536 else "unsigned long"
    return f"static const {ctype} {name}[{len(values)}] = {{ {', '.join(map(str, values))} }};\n"


# Escapes every C and C++ compiler reads the same way. `?` is escaped so that no `??x` trigraph
# forms (C99 compilers in strict mode replace `??/` by a backslash).
_STRING_ESCAPES = {ord("\\"): "\\\\", ord('"'): '\\"', ord("?"): "\\?", ord("\n"): "\\n", ord("\t"): "\\t"}


def c_string(text: str) -> str:
    """A C/C++ string literal, quotes included, of `text`'s UTF-8 bytes: printable ASCII as is,
    the rest as 3-digit octal escapes (an octal escape never swallows the next character)."""
    out = []
    for byte in text.encode("utf-8", "replace"):  # a lone surrogate becomes "?"
        if byte in _STRING_ESCAPES:
            out.append(_STRING_ESCAPES[byte])
        else:
            out.append(chr(byte) if 32 <= byte < 127 else f"\\{byte:03o}")
    return '"' + "".join(out) + '"'


# Between `*` and `/` (either order) and between two `?`: a space keeps `*/`, `/*` and trigraphs
# from forming, also where matches overlap (`*/*`, `???`).
_COMMENT_BREAKS = re.compile(r"(?<=\*)(?=/)|(?<=/)(?=\*)|(?<=\?)(?=\?)")


def c_comment(text: str) -> str:
    """`text` for a C/C++ comment (`/* */` or `//`): one line, no `*/` or `/*`, no trigraph, and
    characters a compiler warns about (controls, bidirectional overrides) as `<U+XXXX>`.
    Printable non-ASCII stays as UTF-8. Place it before other text on its line: a backslash
    that ends a line joins the next line to a `//` comment."""
    chars = [ch if ch.isprintable() or ch == " " else " " if ch in "\t\n\r" else f"<U+{ord(ch):04X}>" for ch in text]
    return _COMMENT_BREAKS.sub(" ", "".join(chars))
