"""Reading a big JSON acquisition file without a Python object per number.

A 99 MB file holds ~10^7 numbers; decoded whole they become float objects and row lists
(2+ GB). Instead the `values` array is located in the bytes, the rest of the document (small)
is decoded as usual with a placeholder in its place, and the array is decoded in pieces of
about a megabyte, each turned into float32 rows of one preallocated array. Memory: the body,
the stored array and one piece.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

try:
    import orjson
except ImportError:  # optional, as for small files
    orjson = None

from .errors import SampleFormatError
from .limits import too_many_values

BIG_DOCUMENT_BYTES = 1 << 20
PIECE_BYTES = 1 << 20
_VALUES_KEY = re.compile(rb'"values"\s*:\s*\[')
_MAX_CANDIDATES = 4
_OPEN, _CLOSE, _COMMA, _QUOTE, _BRACE = (ord(c) for c in '[],"{')


@dataclass
class ValuesSpan:
    """Where `values` is in the body: the array's brackets and the top-level commas to cut at."""

    start: int  # index of '['
    end: int  # index of the matching ']'
    cuts: list[int]  # top-level commas, about PIECE_BYTES apart
    rows: int  # top-level items


def _scan(body, start: int) -> ValuesSpan | None:
    """Find the end of the array opening at `start`, if it holds only numbers and arrays
    (no strings or objects, so every bracket is structure)."""
    depth = 0
    cuts: list[int] = []
    commas = 0
    pos = start
    while pos < len(body):
        block = np.frombuffer(body, dtype=np.uint8, count=min(PIECE_BYTES, len(body) - pos), offset=pos)
        steps = (block == _OPEN).astype(np.int8) - (block == _CLOSE).astype(np.int8)
        level = depth + np.cumsum(steps, dtype=np.int64)
        closed = np.flatnonzero(level == 0)
        stop = int(closed[0]) if closed.size else len(block)
        region = block[:stop]
        if (region == _QUOTE).any() or (region == _BRACE).any():
            return None
        top = np.flatnonzero((region == _COMMA) & (level[:stop] == 1))
        commas += top.size
        if top.size:
            cuts.append(pos + int(top[-1]))
        if closed.size:
            end = pos + stop
            empty = commas == 0 and end - start < 4096 and not bytes(body[start + 1 : end]).strip()
            return ValuesSpan(start, end, cuts, 0 if empty else commas + 1)
        depth = int(level[-1])
        pos += len(block)
    return None


def split_document(body: bytes, decode: Callable[[bytes], object]) -> tuple[object, ValuesSpan] | None:
    """(the document with a placeholder for payload.values, the span) or None if not found."""
    for found, match in enumerate(_VALUES_KEY.finditer(body)):
        if found >= _MAX_CANDIDATES:
            break
        span = _scan(body, match.end() - 1)
        if span is None:
            continue
        marker = "tinyforge-values-" + secrets.token_hex(8)
        try:
            document = decode(body[: span.start] + f'"{marker}"'.encode() + body[span.end + 1 :])
        except SampleFormatError:
            continue
        payload = document.get("payload") if isinstance(document, dict) else None
        if isinstance(payload, dict) and payload.get("values") == marker:
            return document, span
    return None


def _byte(c: str) -> int:
    return ord(c)


_NUMBER_BYTES = b"0123456789+-.eE,[] \t\r\n"
_SPACE = np.frombuffer(b" \t\r\n", dtype=np.uint8)
_SEPARATORS = np.frombuffer(b" \t\r\n,[]", dtype=np.uint8)


def _strict_numbers(b: np.ndarray) -> bool:
    """The spots where C's strtod takes more than JSON's number grammar (+1, 01, .5, 5., 1e)."""
    digit = (b >= _byte("0")) & (b <= _byte("9"))
    prev = np.concatenate(([_byte(",")], b[:-1]))
    nxt = np.concatenate((b[1:], [_byte(",")]))
    prev_digit, next_digit = np.roll(digit, 1), np.roll(digit, -1)
    prev_digit[0] = next_digit[-1] = False
    exponent = (b == _byte("e")) | (b == _byte("E"))
    prev_exp = (prev == _byte("e")) | (prev == _byte("E"))
    starts = ~(prev_digit | (prev == _byte(".")) | prev_exp | (prev == _byte("-")) | (prev == _byte("+")))
    bad = (
        ((b == _byte("+")) & ~prev_exp)
        | ((b == _byte("-")) & ~(next_digit & (prev_exp | ~prev_digit)))
        | ((b == _byte(".")) & ~(prev_digit & next_digit))
        | (exponent & ~(prev_digit & (next_digit | (nxt == _byte("+")) | (nxt == _byte("-")))))
        | ((b == _byte("0")) & next_digit & (starts | (prev == _byte("-"))))
    )
    return not bad.any()


def _vector_rows(raw: bytes, axes: int) -> np.ndarray | None:
    """Rows of plain JSON numbers without a Python object per number: the brackets and commas are
    checked to make a rectangle, the numbers' spelling against JSON's grammar, and the numbers are
    read by numpy's C parser. None for anything else (the other readers look at it)."""
    if raw.translate(None, _NUMBER_BYTES) or _long_digit_run(raw):
        return None
    b = np.frombuffer(raw, dtype=np.uint8)[1:-1]
    if not b.size:
        return None
    opens, closes = np.flatnonzero(b == _OPEN), np.flatnonzero(b == _CLOSE)
    commas = np.flatnonzero(b == _COMMA)
    if opens.size == 0 and closes.size == 0 and axes == 1:  # a flat list for one axis
        rows = commas.size + 1
    else:
        rows = opens.size
        if rows == 0 or closes.size != rows or not (opens < closes).all() or not (closes[:-1] < opens[1:]).all():
            return None
        row = np.searchsorted(opens, commas, side="right") - 1
        inside = (row >= 0) & (commas < closes[np.maximum(row, 0)])
        if (np.bincount(row[inside], minlength=rows) != axes - 1).any():
            return None
        between = commas[~inside]  # exactly one comma in each gap between rows, nothing else outside
        if between.size != rows - 1 or (between.size and not ((between > closes[:-1]) & (between < opens[1:])).all()):
            return None
        depth = np.cumsum((b == _OPEN).astype(np.int8) - (b == _CLOSE).astype(np.int8), dtype=np.int8)
        outside = b[(depth == 0) & (b != _CLOSE)]
        if not np.isin(outside, np.concatenate((_SPACE, [_COMMA]))).all():
            return None
    # One number between each pair of separators (numpy reads "" as -1, so count them first).
    spelled = ~np.isin(b, _SEPARATORS)
    if int((spelled & ~np.concatenate(([False], spelled[:-1]))).sum()) != rows * axes or not _strict_numbers(b):
        return None
    text = raw.translate(_BRACKETS_TO_SPACES)
    try:
        numbers = np.fromstring(text, dtype=np.float64, sep=",")
    except ValueError:
        return None
    # A number too large for a double (1e999) is an error for JSON readers: let the checked path say so.
    if numbers.size != rows * axes or not np.isfinite(numbers).all():
        return None
    return numbers.reshape(rows, axes)


_BRACKETS_TO_SPACES = bytes.maketrans(b"[]", b"  ")


def _long_digit_run(raw: bytes) -> bool:
    digits = np.frombuffer(raw, dtype=np.uint8)
    breaks = np.flatnonzero((digits < ord("0")) | (digits > ord("9")))
    return bool(np.diff(breaks).max(initial=0) > 19)


def _plain_rows(raw: bytes, axes: int) -> np.ndarray | None:
    """Rows of plain numbers in one conversion; None for anything the checks must look at
    (true/false/null, integers past 64 bits, ragged rows, nesting)."""
    if orjson is None or b"t" in raw or b"f" in raw or b"n" in raw:
        return None
    digits = np.frombuffer(raw, dtype=np.uint8)
    breaks = np.flatnonzero((digits < ord("0")) | (digits > ord("9")))
    if np.diff(breaks).max(initial=0) > 19:
        return None
    try:
        array = np.array(orjson.loads(raw), dtype=np.float64)
    except (orjson.JSONDecodeError, ValueError, TypeError, OverflowError):
        return None
    if array.ndim == 1 and axes == 1:
        array = array.reshape(-1, 1)
    return array if array.ndim == 2 and array.shape[1] == axes else None


def read_values(
    body: bytes,
    span: ValuesSpan,
    axes: int,
    filename: str,
    decode: Callable[[bytes], object],
    to_rows: Callable[[object, int], np.ndarray],
    to_float32: Callable[[np.ndarray, int], np.ndarray],
) -> np.ndarray:
    """Decode the array piece by piece into one float32 [rows, axes] array.

    `to_rows(piece, first_row)` checks a decoded piece and gives float64 rows; `to_float32`
    refuses what float32 cannot hold."""
    if span.rows == 0:
        raise SampleFormatError(filename, "has no data rows (payload.values is empty)")
    message = too_many_values(span.rows, axes)
    if message:
        raise SampleFormatError(filename, message)
    out = np.empty((span.rows, axes), dtype=np.float32)
    row = 0
    begin = span.start + 1
    for cut in [*span.cuts, span.end]:
        if not bytes(body[begin:cut]).strip():
            raise SampleFormatError(filename, f"is not valid JSON: an empty item in payload.values (row {row + 1})")
        raw = b"[" + body[begin:cut] + b"]"
        rows = _vector_rows(raw, axes)
        if rows is None:
            rows = _plain_rows(raw, axes)
        if rows is None:  # anything unusual: the checks of a small file, which name the problem
            rows = to_rows(decode(raw), row)
        rows = to_float32(rows, row)
        out[row : row + len(rows)] = rows
        row += len(rows)
        begin = cut + 1
    if row != span.rows:  # a parser bug guard: the cuts and the decoder disagree
        raise SampleFormatError(filename, "payload.values could not be read consistently")
    return out
