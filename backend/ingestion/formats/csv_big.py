"""Reading a big CSV file in blocks of lines, straight into float32 rows.

Read whole, a 99 MB CSV becomes Python lists of cell strings (gigabytes). Here the header and
separator are read as for a small file, then about a megabyte of lines at a time: a block of
plain numbers goes through numpy's C reader; any other block through the same row-by-row
checks as a small file (so errors name the same row and column). Memory: the body, the stored
values and one block.
"""

from __future__ import annotations

import io
import re

import numpy as np

from . import csv_format as small
from .errors import SampleFormatError
from .limits import too_many_sensors, too_many_values
from .sample import ParsedSample, finish_sample, to_float32
from .text import decode_utf8

BIG_CSV_BYTES = 1 << 20
BLOCK_BYTES = 1 << 20
_HEAD_BYTES = 64 * 1024
_BLANK_LINE = re.compile(rb"\n[ \t\r]*\n")  # starts with a literal: re scans for it quickly
_WHITESPACE = b" \t\r\n"


def _text(block: bytes, filename: str, offset: int) -> str:
    try:
        return block.decode("utf-8")
    except UnicodeDecodeError as exc:
        at = offset + exc.start
        raise SampleFormatError(
            filename,
            f"is not valid UTF-8 text (byte 0x{block[exc.start]:02x} at offset {at}); save the CSV file as UTF-8",
        ) from None


def _data_end(body: bytes, start: int) -> int:
    """Where the data ends once trailing blank lines are dropped (without copying the body)."""
    end = len(body)
    while end > start:
        tail = body[max(start, end - _HEAD_BYTES) : end]
        kept = tail.rstrip(_WHITESPACE)
        if kept:
            return end - len(tail) + len(kept)
        end -= len(tail)
    return start


def _block_end(body: bytes, start: int, limit: int) -> int:
    """A cut at a line end about BLOCK_BYTES on, outside quotes (an even count of them)."""
    end = body.find(b"\n", min(start + BLOCK_BYTES, limit))
    end = limit if end == -1 or end > limit else end
    while body.count(b'"', start, end) % 2 and end < limit:
        nxt = body.find(b"\n", end + 1, limit)
        end = limit if nxt == -1 else nxt
    return end


def _plain(block: bytes, separator: str) -> bool:
    allowed = "".join(sorted(small._PLAIN_CHARACTERS)).encode() + separator.encode() + b"\r\n"
    first_line = block[: block.find(b"\n")] if b"\n" in block else block
    return not block.translate(None, allowed) and bool(first_line.strip()) and not _BLANK_LINE.search(block)


def _fast_block(text: str, separator: str, columns: int) -> np.ndarray | None:
    try:
        matrix = np.loadtxt(io.StringIO(text), delimiter=separator, dtype=np.float64, ndmin=2, comments=None)
    except ValueError:
        return None
    if matrix.shape[1] != columns or not np.isfinite(matrix).all():
        return None
    return matrix


def _checked_block(text: str, separator: str, names: list[str], first_line: int, filename: str):
    rows = [(line + first_line - 1, row) for line, row in small._read_rows(text, separator, filename)]
    for line, row in rows:
        if small._is_blank(row):
            raise SampleFormatError(filename, f"row {line} is empty")
        if len(row) != len(names):
            raise SampleFormatError(
                filename,
                f"row {line} has {len(row)} values but the header names {len(names)} columns ({', '.join(names)})",
            )
    matrix = small._fast_matrix(rows)
    if matrix is None:
        matrix = small._checked_matrix(rows, names, filename)
    return matrix, np.array([line for line, _ in rows], dtype=np.int64)


def parse_big_csv(body: bytes, filename: str) -> ParsedSample:
    """Parse a CSV sample larger than BIG_CSV_BYTES (same rules as `parse_csv`)."""
    if body.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16: rare, so simply converted whole
        body = decode_utf8(body, filename, "CSV", allow_utf16=True).encode("utf-8", "surrogatepass")
    start = 3 if body.startswith(b"\xef\xbb\xbf") else 0
    if b"\x00" in body:
        raise SampleFormatError(filename, "contains NUL bytes, so it is not a text CSV file")
    head = body[start : start + _HEAD_BYTES]
    head_text = _text(head[: head.rfind(b"\n") + 1] or head, filename, start)
    separator = small._pick_separator(head_text, filename)
    header_end = body.find(b"\n", start)
    if header_end == -1:
        raise SampleFormatError(filename, "has a header but no data rows")
    header = small._read_rows(_text(body[start:header_end], filename, start), separator, filename, limit=1)
    names = [cell.strip() for cell in header[0][1]] if header else []
    if not names or all(small._NUMBER.fullmatch(name) for name in names):
        raise SampleFormatError(filename, "the first row must be a header naming the columns, but it holds numbers")
    has_timestamp = names[0].lower() == "timestamp"
    axes = names[1:] if has_timestamp else names
    message = too_many_sensors(len(axes), "columns")
    if message:
        raise SampleFormatError(filename, message)
    for i, name in enumerate(axes):
        if not name:
            raise SampleFormatError(filename, f"column {i + (2 if has_timestamp else 1)} of the header has no name")

    data_start, data_end = header_end + 1, _data_end(body, header_end + 1)
    if data_end <= data_start:
        raise SampleFormatError(filename, "has a header but no data rows")
    newlines = body.count(b"\n", data_start, data_end)
    if not has_timestamp:
        if newlines:
            raise SampleFormatError(
                filename,
                f"has {newlines + 1} data rows but no 'timestamp' first column; a CSV without timestamps holds "
                "a single reading (one data row). Add a timestamp column in milliseconds for a time series",
            )
        return small.parse_small_csv(body, filename)  # one (very wide-celled) reading
    # Rows end in \n, \r\n or a lone \r (old Macs): an upper bound of the rows.
    lone_cr = body.count(b"\r", data_start, data_end) - body.count(b"\r\n", data_start, data_end)
    upper = newlines + lone_cr + 1
    message = too_many_values(upper, len(axes))
    if message:
        raise SampleFormatError(filename, message)

    sensors = [(name, small.units_for_axis(name)) for name in axes]
    timestamps = np.empty(upper, dtype=np.float64)
    values = np.empty((upper, len(axes)), dtype=np.float32)
    lines = np.empty(upper, dtype=np.int64)
    count, line, pos = 0, 2, data_start
    while pos < data_end:
        end = _block_end(body, pos, data_end)
        block = body[pos:end]
        text = _text(block, filename, pos)
        matrix = _fast_block(text, separator, len(names)) if _plain(block, separator) else None
        if matrix is not None:
            block_lines = np.arange(line, line + len(matrix), dtype=np.int64)
        else:
            matrix, block_lines = _checked_block(text, separator, names, line, filename)
        n = len(matrix)
        if count + n > upper:  # a parser bug guard: the line count bounds the rows
            raise SampleFormatError(filename, "could not be read consistently (unusual line endings?)")
        timestamps[count : count + n] = matrix[:, 0]
        values[count : count + n] = to_float32(
            filename, matrix[:, 1:], sensors, lambda i, bl=block_lines: f"row {bl[i]}"
        )
        lines[count : count + n] = block_lines
        count += n
        line += block.count(b"\n") + 1
        pos = end + 1

    return finish_sample(
        filename,
        values=values[:count],
        sensors=sensors,
        interval_ms=small._interval(timestamps[:count], lines[:count], filename),
        device_name=None,
        device_type=small.CSV_DEVICE_TYPE,
        signature_status="unsigned",
        iat=None,
        format="csv",
        row_label=lambda i: f"row {lines[i]}",
    )
