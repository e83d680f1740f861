"""Live commands as the device's holder process receives them (called from DeviceSession).

One live session per device at a time. Starting again with the same impulse and sensor joins
the running session (a second viewer); anything else must stop it first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from backend.live.channels import answer
from backend.live.runner import LiveRunner
from backend.live.windowing import ChunkError

if TYPE_CHECKING:
    from backend.device.hub import DeviceSession

COMMANDS = ("live.start", "live.stop", "live.status", "live.readings")
# Device -> server messages of a live stream (our extension of remote management).
STREAM_MESSAGES = ("streamData", "streamError")


async def on_command(device: DeviceSession, ev: dict[str, Any]) -> None:
    kind, reply_to = ev["type"], ev["reply_to"]
    live: LiveRunner | None = device.live if device.live is not None and device.live.ended is None else None
    if kind == "live.start":
        config = ev["config"]
        if live is not None:
            same = all(live.config[k] == config[k] for k in ("impulse_id", "train_job_id", "sensor", "variant"))
            if not same:
                answer(reply_to, error="This device is already live with another impulse or sensor; stop it first")
                return
            answer(reply_to, live.public())
            return
        if device.request is not None:
            answer(reply_to, error="The device is recording a sample; start live classification when it is done")
            return
        device.live = LiveRunner(config, device.send)
        await device.live.start()
        answer(reply_to, device.live.public())
    elif kind == "live.stop":
        if live is None or (ev.get("session_id") and ev["session_id"] != live.session_id):
            answer(reply_to, error="No live session is running on this device", status=404)
            return
        await live.stop(f"stopped by {ev.get('by') or 'the studio'}")
        answer(reply_to, {"stopped": live.session_id})
    elif kind == "live.status":
        answer(reply_to, None if live is None else {"session": live.public(), "recent": list(live.recent)})
    elif kind == "live.readings":
        if live is None and device.live is None:
            answer(reply_to, error="No live session ran on this device since it connected", status=404)
            return
        answer(reply_to, (live or device.live).readings(float(ev["seconds"])))


async def on_stream_message(device: DeviceSession, message: dict[str, Any]) -> None:
    live = device.live
    if live is None or live.ended is not None:
        await device.send({"streamStop": {}, "err": "no live session is running on this device"})
        return
    if "streamError" in message:
        await live.stop(f"the device stopped streaming: {str(message['streamError'])[:200]}", tell_device=False)
        return
    try:
        live.feed(message["streamData"])
    except ChunkError as e:
        await device.send({"err": str(e)})
        live.tell_viewers(f"The device sent readings that cannot be used: {e}")


async def on_disconnect(device: DeviceSession) -> None:
    if device.live is not None:
        await device.live.stop("the device disconnected", tell_device=False)
