"""`tinyforge forward`: the data forwarder. Turns a board printing readings on a serial port into
a studio device: it detects the rate and the axes, asks the axis names once (remembered per port),
connects over remote management and records + uploads signed samples when the studio asks.
With --label and --length-ms it records one sample right away, uploads it and exits.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import socket
import sys
import time
from pathlib import Path
from typing import Any

from backend.cli.client import (
    MissingSetting,
    ServerError,
    StudioClient,
    add_studio_args,
    remote_management_url,
    studio_settings,
)
from backend.cli.serial_board import MIN_DETECTABLE_HZ, BoardError, SerialBoard

DEVICE_TYPE = "DATA_FORWARDER"
MAX_SAMPLE_LENGTH_S = 600
AXIS_NAME = re.compile(r"^[A-Za-z0-9_.\- ]{1,64}$")
RECONNECT_MAX_S = 10.0


def default_config_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "tinyforge" / "forwarder.json"


def load_config(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text())
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def save_config(path: Path, config: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(config, indent=2))
    tmp.replace(path)


def parse_axis_names(text: str, count: int) -> list[str]:
    names = [n.strip() for n in text.split(",")]
    if len(names) != count:
        raise ValueError(f"give {count} names separated by ',' (got {len(names)})")
    for n in names:
        if not AXIS_NAME.match(n):
            raise ValueError(f"axis name {n!r} may only hold letters, digits, space, '_', '-' and '.'")
    if len(set(names)) != count:
        raise ValueError("axis names must differ")
    return names


def ask(prompt: str) -> str:
    print(prompt, end="", flush=True)
    line = sys.stdin.readline()
    if not line:
        raise BoardError("no answer on standard input (pass the value as an option instead)")
    return line.strip()


def ask_axis_names(count: int) -> list[str]:
    while True:
        try:
            return parse_axis_names(
                ask(
                    f"{count} sensor axes detected. Name them, separated by ',' "
                    f"(e.g. {','.join(f'acc{c}' for c in 'XYZ'[:count]) or 'value'}): "
                ),
                count,
            )
        except ValueError as e:
            print(f"  {e}", flush=True)


def units_for(axis: str) -> str:
    return "m/s2" if axis.lower().startswith("acc") else "N/A"


def acquisition_file(
    rows: list[list[float]], axes: list[str], frequency: float, device_id: str, hmac_key: str | None
) -> bytes:
    from backend.ingestion.formats import sign_acquisition_json  # numpy: only when recording

    payload = {
        "device_name": device_id,
        "device_type": DEVICE_TYPE,
        "interval_ms": 1000.0 / frequency,
        "sensors": [{"name": a, "units": units_for(a)} for a in axes],
        "values": rows,
    }
    return sign_acquisition_json(payload, hmac_key, iat=int(time.time()))


class Forwarder:
    def __init__(self, board: SerialBoard, client: StudioClient, device_id: str, axes: list[str], frequency: float):
        self.board, self.client, self.device_id = board, client, device_id
        self.axes, self.frequency = axes, frequency

    @property
    def sensor_name(self) -> str:
        return f"Sensor with {len(self.axes)} axes ({', '.join(self.axes)})"

    def record_and_upload(
        self, label: str, length_ms: float, path: str, hmac_key: str | None, progress=None, uploading=None
    ) -> str:
        rows = self.board.record(self.frequency, len(self.axes), length_ms, progress)
        body = acquisition_file(rows, self.axes, self.frequency, self.device_id, hmac_key)
        if uploading:
            uploading()
        name = f"{label}.{secrets.token_hex(4)}.json"
        return self.client.upload_data(path, name, body, label=label)

    # ---- remote management ----
    def hello(self) -> dict[str, Any]:
        return {
            "hello": {
                "version": 3,
                "apiKey": self.client.api_key,
                "deviceId": self.device_id,
                "deviceType": DEVICE_TYPE,
                "connection": "daemon",
                "sensors": [
                    {"name": self.sensor_name, "frequencies": [self.frequency], "maxSampleLengthS": MAX_SAMPLE_LENGTH_S}
                ],
                "supportsSnapshotStreaming": False,
            }
        }

    def serve(self, ws_url: str, once: bool = False) -> int:
        """Stay connected (reconnecting with back-off) and record when asked."""
        from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI
        from websockets.sync.client import connect

        wait = 1.0
        while True:
            try:
                with connect(ws_url, open_timeout=10, ping_interval=10, ping_timeout=10) as ws:
                    ws.send(json.dumps(self.hello()))
                    answer = json.loads(ws.recv(timeout=10))
                    if answer.get("hello") is not True:
                        print(f"error: the studio refused this device: {answer.get('err') or answer}", flush=True)
                        return 2
                    print(
                        f"Connected as device {self.device_id!r} ({self.sensor_name}, {self.frequency:g} Hz); "
                        "waiting for the studio to ask for samples",
                        flush=True,
                    )
                    wait = 1.0
                    self._session(ws)
            except (ConnectionClosed, OSError, TimeoutError, InvalidHandshake, ValueError) as e:
                print(f"Connection to {ws_url} lost ({type(e).__name__}: {e}); retrying in {wait:g} s", flush=True)
            except InvalidURI as e:
                print(f"error: {e}", flush=True)
                return 2
            if once:
                return 1
            time.sleep(wait)
            wait = min(wait * 2, RECONNECT_MAX_S)

    def _session(self, ws) -> None:
        while True:
            try:
                raw = ws.recv(timeout=1.0)
            except TimeoutError:
                continue
            if isinstance(raw, str) and raw.strip() == "pong":
                continue
            try:
                message = json.loads(raw)
            except ValueError:
                continue
            if isinstance(message, dict) and isinstance(message.get("sample"), dict):
                self._sample(ws, message["sample"])
            elif isinstance(message, dict) and message.get("err"):
                print(f"studio: {message['err']}", flush=True)

    def _sample(self, ws, request: dict[str, Any]) -> None:
        def send(msg: dict[str, Any]) -> None:
            ws.send(json.dumps(msg))

        try:
            label, length = str(request["label"]), float(request["length"])
            path, interval = str(request["path"]), float(request["interval"])
        except (KeyError, TypeError, ValueError):
            send({"sample": False, "error": "sample request lacks label, length, path or interval"})
            return
        asked_hz = 1000.0 / interval if interval > 0 else 0.0
        if abs(asked_hz - self.frequency) > 0.05 * self.frequency:
            send({"sample": False, "error": f"this board sends at {self.frequency:g} Hz, not {asked_hz:g} Hz"})
            return
        if not path.startswith("/api/"):
            send({"sample": False, "error": f"unexpected upload path {path!r}"})
            return
        print(f"Recording {length:g} ms of {label!r} ...", flush=True)
        send({"sample": True})
        send({"sampleStarted": True})
        try:
            name = self.record_and_upload(
                label,
                length,
                path,
                request.get("hmacKey"),
                progress=lambda p: send({"sampleReading": True, "progressPercentage": round(p)}),
                uploading=lambda: (send({"sampleProcessing": True}), send({"sampleUploading": True})),
            )
        except (BoardError, ServerError) as e:
            print(f"  failed: {e}", flush=True)
            send({"sample": False, "error": str(e)})
            return
        send({"sampleFinished": True})
        print(f"  uploaded as {name}", flush=True)


def _setup(args: argparse.Namespace, board: SerialBoard) -> tuple[str, list[str], float]:
    """Detect the rate and axes, and settle the axis names and device id (remembered per port)."""
    config_path = Path(args.config) if args.config else default_config_path()
    config = load_config(config_path)
    remembered = config.setdefault("ports", {}).setdefault(args.port, {})
    detected = board.detect(args.frequency)
    frequency = args.frequency or detected.frequency
    print(
        f"Detected {detected.axes} axes"
        + (
            ""
            if args.frequency
            else f" at {detected.frequency:g} Hz"
            if detected.frequency
            else " at a rate too slow to measure"
        ),
        flush=True,
    )
    if not frequency or frequency < MIN_DETECTABLE_HZ and not args.frequency:
        frequency = float(ask("What is the sampling frequency in Hz? "))
    if args.axes:
        axes = parse_axis_names(args.axes, detected.axes)
    elif len(remembered.get("axes") or []) == detected.axes:
        axes = remembered["axes"]
    else:
        axes = ask_axis_names(detected.axes)
    device_id = (
        args.device_id
        or remembered.get("device_id")
        or f"{socket.gethostname()[:40]}-{Path(args.port).name}-{secrets.token_hex(3)}"
    )
    remembered.update(axes=axes, device_id=device_id)
    save_config(config_path, config)
    return device_id, axes, frequency


def cmd_forward(args: argparse.Namespace) -> int:
    try:
        server, api_key = studio_settings(args)
    except MissingSetting as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if (args.label is None) != (args.length_ms is None):
        print("error: direct recording needs both --label and --length-ms", file=sys.stderr)
        return 2
    try:
        client = StudioClient(server, api_key)
        board = SerialBoard(args.port, args.baud)
    except (ServerError, BoardError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    try:
        keys = client.device_key()
        print(f"Project: {keys['project_name']} (id {keys['project_id']})", flush=True)
        device_id, axes, frequency = _setup(args, board)
        forwarder = Forwarder(board, client, device_id, axes, frequency)
        if args.label is not None:
            name = forwarder.record_and_upload(
                args.label, args.length_ms, f"/api/{args.category}/data", keys["hmac_key"]
            )
            print(f"OK  {name} -> {args.category}/{args.label}", flush=True)
            return 0
        return forwarder.serve(remote_management_url(server))
    except (ServerError, BoardError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    finally:
        board.close()
        client.close()


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("forward", help="forward a serial board's readings to a studio (data forwarder)")
    add_studio_args(p)
    p.add_argument("--port", required=True, help="serial port, e.g. /dev/ttyACM0")
    p.add_argument("--baud", type=int, default=115200)
    p.add_argument("--frequency", type=float, default=None, help="Hz (default: measured)")
    p.add_argument("--axes", default=None, help="axis names separated by ',' (default: asked once, remembered)")
    p.add_argument("--device-id", default=None, help="id shown in the studio (default: remembered per port)")
    p.add_argument("--config", default=None, help="settings file (default ~/.config/tinyforge/forwarder.json)")
    p.add_argument("--label", default=None, help="direct mode: record one sample with this label, then exit")
    p.add_argument("--length-ms", type=float, default=None, help="direct mode: how long to record")
    p.add_argument("--category", choices=("training", "testing", "anomaly"), default="training")
    p.set_defaults(func=cmd_forward)
