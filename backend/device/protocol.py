"""Edge Impulse's remote-management messages: pure parsing and encoding, no I/O.

The first frame a device sends fixes the session's encoding: a text frame means JSON, a binary
frame CBOR. We answer in that encoding and read either kind afterwards (lenient on input). A bare
text "ping" (the mobile client's keep-alive) is answered with "pong".
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any, Literal

import cbor2

Encoding = Literal["json", "cbor"]
MAX_ID_LEN = 255
MAX_SENSORS = 32
# Devices that do not say how long they can record get this limit (seconds).
DEFAULT_MAX_SAMPLE_LENGTH_S = 300.0
# Device progress messages and the stage each one announces on the project's event stream.
PROGRESS_STAGES = {
    "sampleStarted": "started",
    "sampleProcessing": "processing",
    "sampleReading": "reading",
    "sampleUploading": "uploading",
    "sampleFinished": "finished",
}


class ProtocolError(Exception):
    """A message the device sent that we cannot use; the text goes back to the device."""


@dataclass
class Hello:
    api_key: str
    device_id: str
    device_type: str
    connection: str = "ip"
    version: int = 1
    sensors: list[dict[str, Any]] = field(default_factory=list)


def decode(frame: dict[str, Any]) -> tuple[Encoding, Any]:
    """Decode an ASGI websocket.receive frame into (encoding, message)."""
    if frame.get("text") is not None:
        try:
            return "json", json.loads(frame["text"])
        except ValueError as e:
            raise ProtocolError(f"Failed to parse message as JSON: {e}") from None
    data = frame.get("bytes") or b""
    try:
        return "cbor", cbor2.loads(data)
    except Exception as e:  # cbor2 raises several types for broken input
        raise ProtocolError(f"Failed to parse message as CBOR: {e}") from None


def encode(encoding: Encoding, message: dict[str, Any]) -> dict[str, Any]:
    """The ASGI send kwargs for `message` in the session's encoding."""
    if encoding == "cbor":
        return {"bytes": cbor2.dumps(message)}
    return {"text": json.dumps(message)}


def _text(hello: dict, key: str, *, required: bool = True, default: str = "") -> str:
    value = hello.get(key)
    if value is None and not required:
        return default
    if not isinstance(value, str) or not value.strip():
        raise ProtocolError(f"hello.{key} must be a non-empty string")
    value = value.strip()
    if len(value) > MAX_ID_LEN:
        raise ProtocolError(f"hello.{key} is longer than {MAX_ID_LEN} characters")
    if any(ord(c) < 32 or c == "\x7f" for c in value):
        raise ProtocolError(f"hello.{key} contains control characters")
    return value


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _sensor(index: int, raw: Any) -> dict[str, Any]:
    if isinstance(raw, str):  # protocol version 1: a list of names
        raw = {"name": raw}
    if not isinstance(raw, dict):
        raise ProtocolError(f"hello.sensors[{index}] must be an object or a name")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_ID_LEN:
        raise ProtocolError(f"hello.sensors[{index}].name must be a non-empty string")
    freqs = raw.get("frequencies", [])
    if not isinstance(freqs, list) or not all(_number(f) and f > 0 for f in freqs):
        raise ProtocolError(f"hello.sensors[{index}].frequencies must be a list of positive numbers (Hz)")
    max_len = raw.get("maxSampleLengthS", DEFAULT_MAX_SAMPLE_LENGTH_S)
    if not _number(max_len) or max_len <= 0:
        raise ProtocolError(f"hello.sensors[{index}].maxSampleLengthS must be a positive number of seconds")
    live = raw.get("liveStream", False)  # ours: the device can stream readings for live classification
    if not isinstance(live, bool):
        raise ProtocolError(f"hello.sensors[{index}].liveStream must be true or false")
    return {
        "name": name.strip(),
        "frequencies": [float(f) for f in freqs[:64]],
        "max_sample_length_s": float(max_len),
        "live_stream": live,
    }


def parse_hello(message: Any) -> Hello:
    """Validate the device's first message; raises ProtocolError naming the bad field."""
    if not isinstance(message, dict) or not isinstance(message.get("hello"), dict):
        raise ProtocolError('The first message must be a hello: {"hello": {"apiKey": ..., "deviceId": ...}}')
    hello = message["hello"]
    version = hello.get("version", 1)
    if not _number(version):
        raise ProtocolError("hello.version must be a number")
    sensors = hello.get("sensors", [])
    if not isinstance(sensors, list):
        raise ProtocolError("hello.sensors must be a list")
    if len(sensors) > MAX_SENSORS:
        raise ProtocolError(f"hello.sensors lists more than {MAX_SENSORS} sensors")
    device_id = _text(hello, "deviceId")
    if "/" in device_id:
        raise ProtocolError("hello.deviceId must not contain '/'")
    connection = hello.get("connection", "ip")
    if connection not in ("ip", "daemon"):
        raise ProtocolError("hello.connection must be 'ip' or 'daemon'")
    return Hello(
        api_key=_text(hello, "apiKey"),
        device_id=device_id,
        device_type=_text(hello, "deviceType"),
        connection=connection,
        version=int(version),
        sensors=[_sensor(i, s) for i, s in enumerate(sensors)],
    )


def sample_request(
    *, label: str, length_ms: int, path: str, hmac_key: str, interval_ms: float, sensor: str
) -> dict[str, Any]:
    return {
        "sample": {
            "label": label,
            "length": length_ms,
            "path": path,
            "hmacKey": hmac_key,
            "interval": interval_ms,
            "sensor": sensor,
        }
    }


def _error_text(message: dict[str, Any]) -> str:
    err = message.get("error", message.get("err"))
    return str(err) if err not in (None, "") else "the device gave no reason"


def progress_of(message: Any) -> tuple[str, float | None, str | None] | None:
    """(stage, progress percent, error) for a device's sampling message, None if it is not one."""
    if not isinstance(message, dict):
        return None
    if "sample" in message:
        if message["sample"] is True:
            return "accepted", None, None
        return "failed", None, _error_text(message)
    for key, stage in PROGRESS_STAGES.items():
        if message.get(key):
            progress = message.get("progressPercentage")
            if stage == "finished":
                progress = 100.0
            return stage, float(progress) if _number(progress) else None, None
    if "err" in message or "error" in message:
        return "failed", None, _error_text(message)
    return None
