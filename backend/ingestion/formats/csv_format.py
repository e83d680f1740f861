"""CSV samples: a header row, then a time series with a `timestamp` column, or one reading.

Decisions:
- Separator: `,`, `;` or TAB, taken from the header row; when the header holds several, the
  one that splits the first rows into the same number (>1) of columns wins, else it is an error.
- Time series: first column `timestamp` (any case) in milliseconds. interval_ms is the mean step
  (last - first) / (rows - 1); each step must be within max(5 %, 1 ms) of the median step (1 ms
  absorbs timestamps rounded to whole milliseconds) and never negative.
- Without a timestamp column: exactly one data row, a single reading with interval_ms 0.
- Units: `m/s2` for columns whose name starts with `acc` (any case), `N/A` otherwise, as the
  data forwarder does.
- Row numbers in errors are line numbers of the file (the header is row 1), which is what a
  spreadsheet or editor shows. Trailing empty lines are ignored; an empty line inside is an error.
- UTF-8 with or without BOM; UTF-16 with a BOM (what spreadsheets export as "Unicode text").
"""

from __future__ import annotations

import csv
import io
import re

import numpy as np

from .errors import SampleFormatError
from .sample import ParsedSample, finish_sample
from .text import decode_utf8

CSV_DEVICE_TYPE = "CSV"
STEP_TOLERANCE_RELATIVE = 0.05
STEP_TOLERANCE_MS = 1.0
_SEPARATORS = (",", ";", "\t")
_SEPARATOR_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")
_PLAIN_CHARACTERS = frozenset("0123456789.eE+- \t")
_NON_FINITE = {"nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"}


def units_for_axis(name: str) -> str:
    return "m/s2" if name.lower().startswith("acc") else "N/A"


def _read_rows(text: str, separator: str, filename: str, limit: int | None = None) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=False)
    rows = []
    try:
        for row in reader:
            rows.append((reader.line_num, row))
            if limit is not None and len(rows) >= limit:
                break
    except csv.Error as exc:
        raise SampleFormatError(filename, f"is not a readable CSV file (line {reader.line_num}: {exc})") from None
    return rows


def _pick_separator(text: str, filename: str) -> str:
    header_line = text.split("\n", 1)[0]
    present = [s for s in _SEPARATORS if s in header_line]
    if len(present) <= 1:
        return present[0] if present else ","
    consistent = []
    for separator in present:
        rows = [row for _, row in _read_rows(text, separator, filename, limit=20) if row]
        if rows and len(rows[0]) > 1 and all(len(row) == len(rows[0]) for row in rows):
            consistent.append(separator)
    if len(consistent) != 1:
        names = " and ".join(_SEPARATOR_NAMES[s] for s in present)
        raise SampleFormatError(
            filename, f"the header mixes {names} separators; use one separator (a comma) throughout"
        )
    return consistent[0]


def _is_blank(row: list[str]) -> bool:
    return all(not cell.strip() for cell in row)


def _number(cell: str, filename: str, where: str) -> float:
    text = cell.strip()
    if not text:
        raise SampleFormatError(filename, f"{where} is empty")
    if _NUMBER.fullmatch(text):
        number = float(text)
        if number in (float("inf"), float("-inf")):
            raise SampleFormatError(filename, f"{where}: {text} is too large")
        return number
    if text.lower() in _NON_FINITE:
        raise SampleFormatError(filename, f"{where}: {text} is not allowed; values must be finite numbers")
    hint = "; use '.' as the decimal separator" if _DECIMAL_COMMA.fullmatch(text) else ""
    shown = text if len(text) <= 30 else text[:27] + "..."
    raise SampleFormatError(filename, f"{where}: {shown!r} is not a number{hint}")


def parse_csv(body: bytes, filename: str) -> ParsedSample:
    """Parse a CSV sample (see the module docstring for the accepted shapes)."""
    from .csv_big import BIG_CSV_BYTES, parse_big_csv  # it builds on this module's row checks

    if len(body) > BIG_CSV_BYTES:
        return parse_big_csv(body, filename)
    return parse_small_csv(body, filename)


def parse_small_csv(body: bytes, filename: str) -> ParsedSample:
    """Parse a CSV file read whole (small files; and a big one holding one reading)."""
    text = decode_utf8(body, filename, "CSV", allow_utf16=True)
    if not text.strip():
        raise SampleFormatError(filename, "is empty")
    if "\x00" in text:
        raise SampleFormatError(filename, "contains NUL bytes, so it is not a text CSV file")
    separator = _pick_separator(text, filename)
    rows = _read_rows(text, separator, filename)
    while rows and _is_blank(rows[-1][1]):
        rows.pop()
    if not rows:
        raise SampleFormatError(filename, "has no header row")
    (_, header), data = rows[0], rows[1:]
    names = [cell.strip() for cell in header]
    if all(_NUMBER.fullmatch(name) for name in names):
        raise SampleFormatError(filename, "the first row must be a header naming the columns, but it holds numbers")
    has_timestamp = names[0].lower() == "timestamp"
    axes = names[1:] if has_timestamp else names
    if not axes:
        raise SampleFormatError(filename, "has no sensor columns (only a timestamp column)")
    for i, name in enumerate(axes):
        column = i + (2 if has_timestamp else 1)
        if not name:
            raise SampleFormatError(filename, f"column {column} of the header has no name")
    if not data:
        raise SampleFormatError(filename, "has a header but no data rows")
    if not has_timestamp and len(data) > 1:
        raise SampleFormatError(
            filename,
            f"has {len(data)} data rows but no 'timestamp' first column; a CSV without timestamps holds "
            "a single reading (one data row). Add a timestamp column in milliseconds for a time series",
        )

    for line, row in data:
        if _is_blank(row):
            raise SampleFormatError(filename, f"row {line} is empty")
        if len(row) != len(names):
            raise SampleFormatError(
                filename,
                f"row {line} has {len(row)} values but the header names {len(names)} columns ({', '.join(names)})",
            )
    matrix = _fast_matrix(data)
    if matrix is None:
        matrix = _checked_matrix(data, names, filename)
    timestamps, values = (matrix[:, 0], matrix[:, 1:]) if has_timestamp else (None, matrix)

    interval = _interval(timestamps, [line for line, _ in data], filename) if timestamps is not None else 0.0
    return finish_sample(
        filename,
        values=values,
        sensors=[(name, units_for_axis(name)) for name in axes],
        interval_ms=interval,
        device_name=None,
        device_type=CSV_DEVICE_TYPE,
        signature_status="unsigned",
        iat=None,
        format="csv",
        row_label=lambda i: f"row {data[i][0]}",
    )


def _fast_matrix(data: list[tuple[int, list[str]]]) -> np.ndarray | None:
    """numpy's bulk conversion, when every cell is plain digits/sign/point/exponent.

    numpy also takes '1_000', 'nan' and non-ASCII digits, hence the character check; anything
    unusual goes to the cell-by-cell path, which names the row and column.
    """
    if not set("".join(cell for _, row in data for cell in row)) <= _PLAIN_CHARACTERS:
        return None
    try:
        matrix = np.array([row for _, row in data], dtype=np.float64)
    except ValueError:
        return None
    return matrix if np.isfinite(matrix).all() else None


def _checked_matrix(data: list[tuple[int, list[str]]], names: list[str], filename: str) -> np.ndarray:
    matrix = np.empty((len(data), len(names)), dtype=np.float64)
    for i, (line, row) in enumerate(data):
        for j, cell in enumerate(row):
            matrix[i, j] = _number(cell, filename, f"row {line}, {names[j]}")
    return matrix


def _interval(timestamps: np.ndarray, lines: list[int], filename: str) -> float:
    if not np.isfinite(timestamps).all():
        raise SampleFormatError(filename, "timestamps must be finite numbers of milliseconds")
    if len(timestamps) == 1:
        return 0.0
    steps = np.diff(timestamps)
    backwards = np.flatnonzero(steps < 0)
    if backwards.size:
        i = int(backwards[0]) + 1
        raise SampleFormatError(
            filename,
            f"row {lines[i]}: timestamp {timestamps[i]:g} is earlier than the previous row's "
            f"{timestamps[i - 1]:g}; timestamps must increase",
        )
    mean = float(timestamps[-1] - timestamps[0]) / (len(timestamps) - 1)
    if not mean > 0:
        raise SampleFormatError(filename, "all timestamps are equal; they must increase at a constant interval")
    # Rows are checked against the median step so a single gap is blamed on its own row.
    typical = float(np.median(steps))
    tolerance = max(STEP_TOLERANCE_RELATIVE * typical, STEP_TOLERANCE_MS)
    uneven = np.flatnonzero(np.abs(steps - typical) > tolerance)
    if uneven.size:
        i = int(uneven[0]) + 1
        raise SampleFormatError(
            filename,
            f"row {lines[i]}: timestamp {timestamps[i]:g} is {steps[i - 1]:g} ms after the previous row, "
            f"but rows are {typical:g} ms apart; timestamps must be evenly spaced (within 5 % or 1 ms)",
        )
    return mean
