"""Live classification: which device, sensor and model a session uses, and saving its readings.

The session itself runs in the process holding the device's socket (backend/live/runner.py);
here are the rules checked before it starts, with the caller's rights and a database session.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from backend.activity.service import record
from backend.core.deps import ProjectContext
from backend.core.errors import Conflict, InvalidInput
from backend.device import service as devices
from backend.impulse import service as impulses
from backend.ingestion.formats.sample import ParsedSample, content_hash
from backend.ingestion.service import NewSample, store
from backend.live.schemas import LiveSave, LiveSaved, LiveStart

MAX_SESSION_S = 30 * 60.0
KEEP_S = 60.0  # the ring of readings "save as a test sample" reads from
# Faster sensors are not classified live: every window would be hundreds of thousands of readings.
MAX_LIVE_HZ = 100_000.0


def _pick_sensor(device, wanted: str | None) -> dict[str, Any]:
    """The sensor asked for, else the first that streams, else the first (recorded sample by sample)."""
    if not device.sensors:
        raise Conflict(f"Device '{device.device_id}' announced no sensors, so it cannot be classified live")
    if wanted is None:
        return next((s for s in device.sensors if s.get("live_stream")), device.sensors[0])
    sensor = next((s for s in device.sensors if s["name"] == wanted), None)
    if sensor is None:
        names = ", ".join(repr(s["name"]) for s in device.sensors)
        raise InvalidInput(f"Device '{device.device_id}' has no sensor {wanted!r}; it has {names}")
    return sensor


def prepare_start(session: Session, ctx: ProjectContext, device_id: str, body: LiveStart) -> dict[str, Any]:
    """Check device, sensor and model; returns the session's configuration for the holder."""
    device = devices.get_device(session, ctx, device_id)
    if not devices.is_connected(device):
        raise Conflict(f"Device '{device_id}' is not connected; connect it, then try again")
    sensor = _pick_sensor(device, body.sensor)
    trained = impulses.latest_trained(session, ctx, body.impulse_id)
    inp = (trained.params or {}).get("impulse", {}).get("input") or {}
    if not inp.get("axes"):
        raise Conflict(f"The model of impulse {body.impulse_id} has no input axes: train it again")
    freq = float(inp["frequency_hz"])
    offered = sensor["frequencies"]
    if offered and not any(abs(freq - f) <= 1e-6 * f for f in offered):
        freq = offered[0]  # the worker resamples each window to the impulse's rate
    if freq > MAX_LIVE_HZ:
        raise Conflict(
            f"Sensor {sensor['name']!r} samples at {freq:.0f} Hz; live classification takes sensors up to "
            f"{MAX_LIVE_HZ:.0f} Hz"
        )
    mode = "stream" if sensor.get("live_stream") else "sampling"
    # A device that only records samples is asked for one window and a stride at a time.
    sample_ms = float(inp["window_size_ms"]) + float(inp["window_increase_ms"])
    if mode == "sampling" and sample_ms > sensor["max_sample_length_s"] * 1000:
        raise Conflict(
            f"Sensor {sensor['name']!r} records at most {sensor['max_sample_length_s']:g} s, "
            f"shorter than the impulse's window ({inp['window_size_ms']:g} ms)"
        )
    record(session, ctx, "device.live_started", device_id=device_id, impulse_id=body.impulse_id, sensor=sensor["name"])
    session.commit()
    return {
        "session_id": secrets.token_hex(8),
        "mode": mode,
        "sample_ms": sample_ms,
        "hmac_key": ctx.project.hmac_key,
        "project_id": ctx.project.id,
        "device_id": device_id,
        "impulse_id": body.impulse_id,
        "train_job_id": trained.id,
        "variant": body.variant,
        "threshold": body.threshold,
        "sensor": sensor["name"],
        "axes": list(inp["axes"]),
        "interval_ms": 1000.0 / freq,
        "window_ms": float(inp["window_size_ms"]),
        "stride_ms": float(inp["window_increase_ms"]),
        "max_s": MAX_SESSION_S,
        "keep_s": KEEP_S,
        "started_by": ctx.actor_name,
        "started_at": time.time() * 1000.0,
    }


def save_readings(session: Session, ctx: ProjectContext, device_id: str, body: LiveSave, readings: dict) -> LiveSaved:
    """Store the streamed readings the holder sent back as one testing sample."""
    values = np.asarray(readings["values"], dtype=np.float32)
    axes: list[str] = readings["axes"]
    if values.ndim != 2 or values.shape[0] < 2:
        raise Conflict("Nothing to save yet: no readings have been streamed in this session")
    interval = float(readings["interval_ms"])
    sensors = [(a, "m/s2" if a.lower().startswith("acc") else "") for a in axes]
    parsed = ParsedSample(
        device_name=device_id,
        device_type="live classification",
        interval_ms=interval,
        sensors=sensors,
        values=np.ascontiguousarray(values),
        signature_status="unsigned",
        iat=None,
        content_hash=content_hash(interval, axes, values),
        format="json",
    )
    name = body.name or f"{body.label}.live.{secrets.token_hex(3)}"
    new = NewSample(
        name=name, category="testing", label=body.label, parsed=parsed, metadata={"source": "live", "device": device_id}
    )
    (outcome,) = store(session, ctx, [new], disallow_duplicates=False)
    if not isinstance(outcome, int):
        raise outcome
    record(session, ctx, "device.live_saved", device_id=device_id, name=name, label=body.label)
    session.commit()
    return LiveSaved(sample_id=outcome, name=name, label=body.label, rows=int(values.shape[0]), interval_ms=interval)
