"""The parsed sample every format produces, and the checks all formats share."""

from __future__ import annotations

import hashlib
import math
import struct
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from .errors import SampleFormatError
from .limits import (
    MAX_INTERVAL_MS,
    MAX_SENSOR_NAME_CHARS,
    MAX_UNITS_CHARS,
    MIN_INTERVAL_MS,
    too_many_sensors,
    too_many_values,
)

SignatureStatus = Literal["valid", "invalid", "unsigned"]
SampleFormat = Literal["json", "cbor", "csv", "wav", "binary"]

# Interval stored for a single reading (a CSV without timestamps, a one-row JSON file):
# it has no time axis, so there is no sampling interval to speak of.
SINGLE_READING_INTERVAL_MS = 0.0

_HASH_DOMAIN = b"tinyforge.sample.v1\x00"


@dataclass(frozen=True, eq=False)
class ParsedSample:
    """One validated sample, whatever file it came from.

    `values` is float32, C-contiguous, shape [rows, axes]; `sensors[i]` is (name, units) of
    column i. `interval_ms` is 0 only for a single reading. `content_hash` identifies the data
    itself (see `content_hash`), not the bytes of the file. `warnings` tell the uploader what
    was changed to make the file a sample.
    """

    device_name: str | None
    device_type: str
    interval_ms: float
    sensors: list[tuple[str, str]]
    values: np.ndarray
    signature_status: SignatureStatus
    iat: int | None
    content_hash: str
    format: SampleFormat
    warnings: tuple[str, ...] = ()  # what the parser changed (e.g. a stereo WAV down-mixed)

    @property
    def frequency_hz(self) -> float | None:
        return 1000.0 / self.interval_ms if self.interval_ms > 0 else None

    @property
    def length_ms(self) -> float:
        return self.interval_ms * self.values.shape[0]


def content_hash(interval_ms: float, sensor_names: list[str], values: np.ndarray) -> str:
    """Hex sha256 of the sample's canonical form, independent of file format and layout.

    Hashed, in order: a domain tag, the interval printed with 6 significant digits (so 16,
    16.0 and a CSV-inferred 16.0000001 agree), rows and axes as two uint64 LE, each sensor name
    as uint64 LE byte length + UTF-8, then the values as float32 LE with -0.0 folded into 0.0.
    Units, device, signature and `iat` are left out: re-signing or re-exporting the same
    recording gives the same hash, so `x-disallow-duplicates` and the 80/20 split see it as one.
    """
    h = hashlib.sha256(_HASH_DOMAIN)
    h.update(f"{interval_ms:.6g}".encode("ascii"))
    rows, axes = values.shape
    h.update(struct.pack("<QQ", rows, axes))
    for name in sensor_names:
        encoded = name.encode("utf-8", "surrogatepass")
        h.update(struct.pack("<Q", len(encoded)))
        h.update(encoded)
    # In blocks of rows: hashing a 100 MB sample must not copy it whole (twice).
    step = max(1, (1 << 20) // max(axes, 1))
    for start in range(0, rows, step):
        block = values[start : start + step].astype("<f4") + np.float32(0.0)
        h.update(np.ascontiguousarray(block).data)
    return h.hexdigest()


def describe_value(value: Any) -> str:
    """How to name a value that is not a number in an error message."""
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if value is None:
        return "null"
    if isinstance(value, str):
        shown = value if len(value) <= 30 else value[:27] + "..."
        return f"the text {shown!r}"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, (bytes, bytearray)):
        return "binary data"
    return f"a value of type {type(value).__name__}"


def is_number(value: Any) -> bool:
    kind = type(value)
    return kind is int or kind is float


def check_interval(filename: str, interval_ms: Any, rows: int, field: str = "interval_ms") -> float:
    """A time series needs a finite positive interval; a single reading may give 0."""
    if not is_number(interval_ms):
        raise SampleFormatError(filename, f"{field} must be a number, not {describe_value(interval_ms)}")
    try:
        interval = float(interval_ms)
    except OverflowError:
        raise SampleFormatError(filename, f"{field} is too large") from None
    if not math.isfinite(interval):
        raise SampleFormatError(filename, f"{field} must be a finite number, not {interval}")
    if rows == 1 and interval == 0:
        return SINGLE_READING_INTERVAL_MS
    if interval <= 0:
        raise SampleFormatError(
            filename, f"{field} must be greater than 0 (got {interval:g}); only a single reading may have 0"
        )
    if not MIN_INTERVAL_MS <= interval <= MAX_INTERVAL_MS:
        raise SampleFormatError(
            filename,
            f"{field} is {interval:g} ms; it must be between {MIN_INTERVAL_MS:g} ms (1 MHz) and "
            f"{MAX_INTERVAL_MS:g} ms (one reading a day)",
        )
    return interval


def check_sensor_names(filename: str, names: list[str], where: str = "sensor") -> None:
    message = too_many_sensors(len(names))
    if message:
        raise SampleFormatError(filename, message)
    seen: set[str] = set()
    for i, name in enumerate(names):
        if not name.strip():
            raise SampleFormatError(filename, f"{where} {i + 1} has an empty name")
        if len(name) > MAX_SENSOR_NAME_CHARS:
            raise SampleFormatError(
                filename, f"{where} {i + 1} name is {len(name)} characters long; the limit is {MAX_SENSOR_NAME_CHARS}"
            )
        if name in seen:
            raise SampleFormatError(filename, f"{where} name {name!r} appears more than once")
        seen.add(name)


def check_units(filename: str, sensors: list[tuple[str, str]]) -> None:
    for name, units in sensors:
        if len(units) > MAX_UNITS_CHARS:
            raise SampleFormatError(
                filename, f"sensor {name[:40]!r} units are {len(units)} characters long; the limit is {MAX_UNITS_CHARS}"
            )


def to_float32(
    filename: str, values: np.ndarray, sensors: list[tuple[str, str]], row_label: Callable[[int], str]
) -> np.ndarray:
    """`values` as C-contiguous float32, refusing non-finite values and values float32 cannot hold."""
    with np.errstate(over="ignore", invalid="ignore"):
        finite = np.isfinite(values)
        converted = np.ascontiguousarray(values, dtype=np.float32)
    if not finite.all():
        row, col = (int(i) for i in np.argwhere(~finite)[0])
        raise SampleFormatError(
            filename,
            f"{row_label(row)}, {sensors[col][0]}: {values[row, col]} is not allowed; values must be finite numbers",
        )
    if converted is not values:
        overflow = ~np.isfinite(converted)
        if overflow.any():
            row, col = (int(i) for i in np.argwhere(overflow)[0])
            raise SampleFormatError(
                filename,
                f"{row_label(row)}, {sensors[col][0]}: {float(values[row, col]):g} is too large "
                "(values are stored as 32-bit floats, up to about 3.4e38)",
            )
    return converted


def finish_sample(
    filename: str,
    *,
    values: np.ndarray,
    sensors: list[tuple[str, str]],
    interval_ms: float,
    device_name: str | None,
    device_type: str,
    signature_status: SignatureStatus,
    iat: int | None,
    format: SampleFormat,
    row_label: Callable[[int], str] = lambda i: f"row {i + 1}",
    warnings: tuple[str, ...] = (),
) -> ParsedSample:
    """Check finiteness and shape, convert to float32 and hash: the last step of every parser."""
    if values.ndim != 2 or values.shape[1] != len(sensors):
        raise SampleFormatError(filename, "values do not match the sensors")  # a parser bug guard
    if values.shape[0] == 0:
        raise SampleFormatError(filename, "has no data rows")
    check_sensor_names(filename, [name for name, _ in sensors])
    check_units(filename, sensors)
    if interval_ms != 0 and not MIN_INTERVAL_MS <= interval_ms <= MAX_INTERVAL_MS:  # CSV timestamps, WAV rates
        raise SampleFormatError(
            filename,
            f"its readings are {interval_ms:g} ms apart; they must be between {MIN_INTERVAL_MS:g} ms "
            f"(1 MHz) and {MAX_INTERVAL_MS:g} ms (one reading a day)",
        )
    message = too_many_values(*values.shape)
    if message:
        raise SampleFormatError(filename, message)
    converted = to_float32(filename, values, sensors, row_label)
    return ParsedSample(
        device_name=device_name,
        device_type=device_type,
        interval_ms=float(interval_ms),
        sensors=list(sensors),
        values=converted,
        signature_status=signature_status,
        iat=iat,
        content_hash=content_hash(interval_ms, [name for name, _ in sensors], converted),
        format=format,
        warnings=warnings,
    )
