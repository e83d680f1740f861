"""Data acquisition files: JSON, CBOR, CBOR followed by a binary payload, multipart messages."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Sequence
from itertools import chain
from typing import Any

import cbor2
import numpy as np

try:
    import orjson
except ImportError:  # optional: the standard library reads the same documents, slower
    orjson = None

from . import json_values
from .errors import SampleFormatError
from .limits import MAX_CBOR_DOCUMENT_BYTES, MAX_SENSORS, too_many_values
from .multipart import MessagePart
from .sample import (
    ParsedSample,
    SampleFormat,
    check_interval,
    describe_value,
    finish_sample,
    is_number,
    to_float32,
)
from .signature import read_protected, verify_signature
from .text import check_text, decode_utf8

# Ref-BINARY-<type> -> little-endian dtype of the samples appended after the CBOR header.
BINARY_TYPES = {
    "i8": np.dtype("i1"),
    "u8": np.dtype("u1"),
    "i16": np.dtype("<i2"),
    "u16": np.dtype("<u2"),
    "i32": np.dtype("<i4"),
    "u32": np.dtype("<u4"),
    "f32": np.dtype("<f4"),
}
_REF_PREFIX = "ref-binary-"
# Where orjson would read a document differently from json.loads: integers past 64 bits (orjson
# makes them floats; any run of 19 digits sends the document to the standard decoder) and
# nesting near the recursion limit (json.loads refuses it, orjson reads up to 1024 levels).
_LONG_DIGITS = 19
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_SAFE_DEPTH = 900
_IMAGES_UNSUPPORTED = "images are not supported yet; upload time series (JSON, CBOR, CSV) or audio (WAV)"


def _row_label(i: int) -> str:
    return f"row {i + 1} (values[{i}])"


def _offset_label(first_row: int):
    return lambda i: _row_label(first_row + i)


def _json_depth(body: bytes) -> int:
    """How deep the containers of a JSON text nest (brackets inside strings do not count)."""
    raw = np.frombuffer(_JSON_STRING.sub(b"", body), dtype=np.uint8)
    steps = (raw == ord("[")).astype(np.int32) + (raw == ord("{")) - (raw == ord("]")) - (raw == ord("}"))
    return int(np.cumsum(steps).max(initial=0))


def _has_long_digit_run(body: bytes) -> bool:
    # numpy rather than a regular expression: 4x faster on a 14 kB document, and then it costs
    # less than half of orjson's own decode.
    raw = np.frombuffer(body, dtype=np.uint8)
    others = np.flatnonzero((raw < ord("0")) | (raw > ord("9")))
    return bool(np.diff(others, prepend=-1, append=len(body)).max() > _LONG_DIGITS)


def _orjson_reads_it_alike(body: bytes) -> bool:
    if _has_long_digit_run(body):
        return False
    return body.count(b"[") + body.count(b"{") < _SAFE_DEPTH or _json_depth(body) < _SAFE_DEPTH


def decode_json_document(body: bytes, filename: str) -> Any:
    if orjson is not None and _orjson_reads_it_alike(body):
        # orjson reads strict RFC 8259 JSON in UTF-8, a subset of what json.loads takes (no NaN,
        # \ud800 escapes or BOM): what it refuses goes on to the standard decoder, which accepts
        # or refuses it with the messages users know.
        try:
            return orjson.loads(body)
        except orjson.JSONDecodeError:
            pass
    text = decode_utf8(body, filename, "JSON")
    try:
        return json.loads(text)
    except RecursionError:
        raise SampleFormatError(filename, "is not usable JSON: nested too deeply") from None
    except ValueError as exc:  # JSONDecodeError, and integers longer than Python's digit limit
        raise SampleFormatError(filename, f"is not valid JSON: {exc}") from None


def decode_cbor_document(body: bytes, filename: str) -> tuple[Any, int]:
    """Decode the first CBOR item; return it and the offset where it ends."""
    if not body:
        raise SampleFormatError(filename, "is empty")
    # Decoded CBOR numbers are Python objects (~10x their encoded size), so the document itself
    # is bounded; a Ref-BINARY payload after it is not, it is read straight into an array.
    stream = io.BytesIO(body[: MAX_CBOR_DOCUMENT_BYTES + 1])
    try:
        document = cbor2.CBORDecoder(stream).decode()
    except Exception:
        if len(body) > MAX_CBOR_DOCUMENT_BYTES and stream.tell() > MAX_CBOR_DOCUMENT_BYTES - 64:
            raise SampleFormatError(
                filename,
                f"is a CBOR document over {MAX_CBOR_DOCUMENT_BYTES // 1024 // 1024} MB; send long "
                "recordings as a Ref-BINARY payload after a small CBOR header, or as JSON or CSV",
            ) from None
        return _decode_cbor(body, filename)
    return document, stream.tell()


def _decode_cbor(body: bytes, filename: str) -> tuple[Any, int]:
    stream = io.BytesIO(body)
    try:
        document = cbor2.CBORDecoder(stream).decode()
    except RecursionError:
        raise SampleFormatError(filename, "is not usable CBOR: nested too deeply") from None
    except cbor2.CBORDecodeEOF:
        raise SampleFormatError(filename, "is not valid CBOR: the file ends in the middle of a value") from None
    except Exception as exc:  # a third-party decoder fed untrusted bytes: all of its failures mean "bad file"
        raise SampleFormatError(filename, f"is not valid CBOR: {exc}") from None
    return document, stream.tell()


def _refuse_shared_values(document: Any, size: int, filename: str) -> None:
    """CBOR can put one value in many places (shared references, tags 28/29): 0.3 MB that
    expand to 10^8 numbers. Without sharing every item costs at least a byte, so a document with
    more items than bytes shares; it is refused before anything walks the expansion."""
    budget = size
    stack = [document] if isinstance(document, (list, dict, tuple)) else []
    while stack:
        node = stack.pop()
        children = node.values() if isinstance(node, dict) else node
        budget -= len(children)
        if budget < 0:
            raise SampleFormatError(
                filename, "uses CBOR shared references (tags 28/29), which are not accepted: write each value out"
            )
        stack.extend(child for child in children if isinstance(child, (list, dict, tuple)))


def _binary_reference(values: Any, filename: str) -> str | None:
    """'i16' etc. if `values` is a single Ref-BINARY reference, None if it holds data."""
    if not isinstance(values, list) or len(values) != 1 or not isinstance(values[0], str):
        strings = isinstance(values, list) and values and all(isinstance(v, str) for v in values)
        if strings and any(v.strip().lower().startswith(_REF_PREFIX + "image/") for v in values):
            raise SampleFormatError(filename, _IMAGES_UNSUPPORTED)
        return None
    ref = values[0].strip().lower()
    if not ref.startswith(_REF_PREFIX):
        return None
    kind = ref[len(_REF_PREFIX) :]
    if kind.startswith("image/"):
        raise SampleFormatError(filename, _IMAGES_UNSUPPORTED)
    if kind not in BINARY_TYPES:
        raise SampleFormatError(
            filename,
            f"values refers to binary data of unknown type {values[0]!r}; "
            f"use one of {', '.join('Ref-BINARY-' + k for k in BINARY_TYPES)}",
        )
    return kind


def _sensors(payload: dict[Any, Any], filename: str) -> list[tuple[str, str]]:
    sensors = payload.get("sensors")
    if sensors is None:
        raise SampleFormatError(filename, "payload.sensors is missing")
    if not isinstance(sensors, list) or not sensors:
        raise SampleFormatError(filename, "payload.sensors must be a non-empty list of {name, units}")
    if len(sensors) > MAX_SENSORS:
        raise SampleFormatError(filename, f"has {len(sensors)} sensors; a sample may have at most {MAX_SENSORS} axes")
    out = []
    for i, sensor in enumerate(sensors):
        if not isinstance(sensor, dict):
            raise SampleFormatError(filename, f"sensor {i + 1} must be an object with name and units")
        name = sensor.get("name")
        if name is None:
            raise SampleFormatError(filename, f"sensor {i + 1} has no name")
        if not isinstance(name, str):
            raise SampleFormatError(filename, f"sensor {i + 1} name must be text, not {describe_value(name)}")
        units = sensor.get("units", "N/A")  # the reference clients do not validate units either
        if not isinstance(units, str):
            raise SampleFormatError(filename, f"sensor {name!r} units must be text, not {describe_value(units)}")
        check_text(filename, f"sensor {i + 1} name", name)
        out.append((name, check_text(filename, f"sensor {name!r} units", units)))
    return out


def _fast_rows(values: list[Any], axes: int) -> np.ndarray | None:
    """The common case in one C-level conversion: a rectangular list of plain numbers. None sends
    anything else (ragged rows, strings, booleans, huge integers) to the checking path, which
    names the problem."""
    try:
        arr = np.array(values)
    except (ValueError, OverflowError):
        return None
    if arr.dtype.kind not in "fi":
        return None
    if arr.ndim == 1 and axes == 1:
        arr = arr.reshape(-1, 1)
    if arr.ndim != 2 or arr.shape[1] != axes:
        return None
    # numpy turns True/False into 1/0 silently: refuse them on the checking path.
    items = values if arr.ndim == 1 or values and not isinstance(values[0], list) else chain.from_iterable(values)
    if bool in set(map(type, items)):
        return None
    return arr.astype(np.float64, copy=False)


def rows_to_array(values: Any, axes: int, filename: str, sensor_names: list[str], first_row: int = 0) -> np.ndarray:
    """Turn `values` (rows of numbers, or a flat list for one axis) into a float64 [n, axes] array.

    `first_row`: where these rows start in the file (a big file is read in pieces)."""
    if not isinstance(values, list):
        raise SampleFormatError(filename, f"payload.values must be a list of rows, not {describe_value(values)}")
    if not values:
        raise SampleFormatError(filename, "has no data rows (payload.values is empty)")
    message = too_many_values(len(values), axes)
    if message:
        raise SampleFormatError(filename, message)
    label = _offset_label(first_row)
    fast = _fast_rows(values, axes)
    if fast is not None:
        return fast
    out = np.empty((len(values), axes), dtype=np.float64)
    for i, row in enumerate(values):
        if is_number(row):
            if axes != 1:
                raise SampleFormatError(filename, f"{label(i)} is a single number but there are {axes} sensors")
            row = [row]
        elif not isinstance(row, list):
            raise SampleFormatError(filename, f"{label(i)} is {describe_value(row)}, not a row of numbers")
        if len(row) != axes:
            raise SampleFormatError(filename, f"{label(i)} has {len(row)} values but there are {axes} sensors")
        for j, value in enumerate(row):
            if not is_number(value):
                raise SampleFormatError(
                    filename, f"{label(i)}, {sensor_names[j]}: {describe_value(value)} is not a number"
                )
        try:
            out[i] = row
        except OverflowError:
            raise SampleFormatError(
                filename, f"{label(i)} holds a number too large to store (values are 32-bit floats)"
            ) from None
    return out


def _binary_values(trailing: bytes, kind: str, filename: str) -> np.ndarray:
    dtype = BINARY_TYPES[kind]
    if not trailing:
        raise SampleFormatError(filename, f"values refers to Ref-BINARY-{kind} data but no samples follow the header")
    if len(trailing) % dtype.itemsize:
        raise SampleFormatError(
            filename,
            f"the binary payload has {len(trailing)} bytes, not a whole number of {kind} samples "
            f"({dtype.itemsize} bytes each); the file may be truncated",
        )
    message = too_many_values(len(trailing) // dtype.itemsize, 1)
    if message:
        raise SampleFormatError(filename, message)
    return np.frombuffer(trailing, dtype=dtype).astype(np.float32).reshape(-1, 1)


def sample_from_document(
    document: Any,
    body: bytes,
    filename: str,
    hmac_key: str | None,
    fmt: SampleFormat,
    trailing: bytes = b"",
    read_values: Callable[[list[tuple[str, str]]], np.ndarray] | None = None,
) -> ParsedSample:
    """Validate a decoded acquisition envelope; `body` is the exact signed bytes.

    `read_values(sensors)`: reads payload.values, left out of `document` (a big JSON file)."""
    if not isinstance(document, dict):
        raise SampleFormatError(
            filename, f"must hold an object with protected, signature and payload, not {describe_value(document)}"
        )
    payload = document.get("payload")
    if payload is None:
        raise SampleFormatError(filename, "has no 'payload' (expected {protected, signature, payload})")
    if not isinstance(payload, dict):
        raise SampleFormatError(filename, f"'payload' must be an object, not {describe_value(payload)}")
    alg, signature, iat = read_protected(filename, document)

    device_type = payload.get("device_type")
    if device_type is None:
        raise SampleFormatError(filename, "payload.device_type is missing")
    if not isinstance(device_type, str) or not device_type.strip():
        raise SampleFormatError(filename, "payload.device_type must be non-empty text")
    check_text(filename, "payload.device_type", device_type)
    device_name = payload.get("device_name")
    if device_name is not None:
        if not isinstance(device_name, str):
            raise SampleFormatError(filename, f"payload.device_name must be text, not {describe_value(device_name)}")
        check_text(filename, "payload.device_name", device_name)
    if "interval_ms" not in payload:
        raise SampleFormatError(filename, "payload.interval_ms is missing")
    sensors = _sensors(payload, filename)
    names = [name for name, _ in sensors]
    if "values" not in payload:
        raise SampleFormatError(filename, "payload.values is missing")
    values = payload["values"]

    kind = None if read_values else _binary_reference(values, filename)
    if read_values is not None:
        array = read_values(sensors)
    elif kind is not None:
        if fmt != "cbor":
            raise SampleFormatError(
                filename, f"values refers to Ref-BINARY-{kind} data, which only CBOR files can carry"
            )
        if len(sensors) != 1:
            raise SampleFormatError(filename, f"a binary payload carries one sensor, but {len(sensors)} are declared")
        array = _binary_values(trailing, kind, filename)
        fmt = "binary"
    else:
        if trailing:
            raise SampleFormatError(filename, f"has {len(trailing)} unexpected bytes after the CBOR data")
        array = rows_to_array(values, len(sensors), filename, names)

    interval = check_interval(filename, payload["interval_ms"], array.shape[0], "payload.interval_ms")
    return finish_sample(
        filename,
        values=array,
        sensors=sensors,
        interval_ms=interval,
        device_name=device_name,
        device_type=device_type,
        signature_status=verify_signature(body, alg, signature, hmac_key),
        iat=iat,
        format=fmt,
        row_label=_row_label,
    )


def parse_acquisition_json(body: bytes, filename: str, hmac_key: str | None) -> ParsedSample:
    """Parse a data acquisition file in JSON (a big one without decoding its values whole)."""
    if len(body) <= json_values.BIG_DOCUMENT_BYTES:
        return sample_from_document(decode_json_document(body, filename), body, filename, hmac_key, "json")

    def decode(text: bytes) -> Any:
        return decode_json_document(text, filename)

    found = json_values.split_document(body, decode)
    if found is None:
        raise SampleFormatError(
            filename,
            f"is larger than {json_values.BIG_DOCUMENT_BYTES // 1024} kB and its payload.values could not "
            "be read as one array of rows of numbers (is it valid JSON, with no text or objects in values?)",
        )
    document, span = found

    def read_values(sensors: list[tuple[str, str]]) -> np.ndarray:
        names = [name for name, _ in sensors]
        return json_values.read_values(
            body,
            span,
            len(sensors),
            filename,
            decode,
            to_rows=lambda piece, first: rows_to_array(piece, len(sensors), filename, names, first),
            to_float32=lambda rows, first: to_float32(filename, rows, sensors, _offset_label(first)),
        )

    return sample_from_document(document, body, filename, hmac_key, "json", read_values=read_values)


def parse_acquisition_cbor(body: bytes, filename: str, hmac_key: str | None) -> ParsedSample:
    """Parse a CBOR acquisition file, including one whose values are a Ref-BINARY payload."""
    document, end = decode_cbor_document(body, filename)
    _refuse_shared_values(document, end, filename)
    return sample_from_document(document, body, filename, hmac_key, "cbor", trailing=body[end:])


def parse_message_multipart(
    message: MessagePart, attachments: Sequence[MessagePart], filename: str, hmac_key: str | None
) -> ParsedSample:
    """Parse the `message` part of a multipart upload (JSON or CBOR) with its attachments.

    Attachments are only referenced by image samples, which are not supported yet, so any
    reference to one is refused; a message carrying its own values parses like a /data body.
    """
    if any(part.media_type.startswith("image/") for part in attachments):
        raise SampleFormatError(filename, _IMAGES_UNSUPPORTED)
    media = message.media_type
    # Clients label the part loosely (octet-stream, none at all): JSON starts with '{', CBOR never does.
    looks_json = message.body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{"
    if media in ("application/json", "text/json") or (media != "application/cbor" and looks_json):
        return parse_acquisition_json(message.body, filename, hmac_key)
    return parse_acquisition_cbor(message.body, filename, hmac_key)
