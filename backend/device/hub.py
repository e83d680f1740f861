"""The holder's side of a device socket, and how any API process reaches a device.

One `DeviceSession` per open socket: it reads the device's messages, turns its progress into
`device.sampling` events on the project channel, refreshes the heartbeat, and listens on the
device's channel for commands (record, replaced by a newer socket, deleted). `ask_device` is the
other end: it publishes a command and waits for the device's answer on the project channel.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
import time
from typing import Any

from fastapi import WebSocket

from backend.core.config import get_settings
from backend.core.errors import DomainError
from backend.core.events import project_channel, publish, subscribe
from backend.device import protocol, service
from backend.live import holder as live_holder

log = logging.getLogger(__name__)
# This process, as recorded in devices.holder.
HOLDER = f"{socket.gethostname()[:80]}:{os.getpid()}:{secrets.token_hex(4)}"
# Edge Impulse's data forwarder opens the socket, then asks the user for axis names and only then
# says hello: give people time to answer.
HELLO_TIMEOUT_S = 300.0
ANSWER_TIMEOUT_S = 10.0
CLOSE_POLICY, CLOSE_REPLACED, CLOSE_DELETED = 1008, 4001, 4004
CLOSE_TRY_AGAIN_LATER = 1013
# Sockets of this process waiting for their hello: nobody is authenticated before it, and the wait
# is long, so their number is capped (DEVICE_MAX_CONNECTING) rather than their time shortened.
_connecting = 0


class DeviceNotAnswering(DomainError):
    status_code = 504


class DeviceRefused(DomainError):
    status_code = 409


def sampling_event(
    request: dict[str, Any], stage: str, progress: float | None = None, error: str | None = None
) -> dict[str, Any]:
    return {
        "type": "device.sampling",
        "request_id": request["request_id"],
        "device_id": request["device_id"],
        "label": request["label"],
        "category": request["category"],
        "length_ms": request["length_ms"],
        "stage": stage,
        "progress": progress,
        "error": error,
    }


class DeviceSession:
    def __init__(self, ws: WebSocket):
        self.ws = ws
        self.encoding: protocol.Encoding = "json"
        self.token = secrets.token_hex(16)
        self.project_id = 0
        self.device_id = ""
        self.request: dict[str, Any] | None = None  # the sampling in progress
        self.request_deadline = 0.0
        self.close_code: int | None = None
        self.live = None  # the live classification session streaming from this device, if any
        self._send_lock = asyncio.Lock()

    async def send(self, message: dict[str, Any]) -> None:
        async with self._send_lock:
            await self.ws.send(protocol.encode(self.encoding, message) | {"type": "websocket.send"})

    async def send_text(self, text: str) -> None:
        async with self._send_lock:
            await self.ws.send_text(text)

    async def close(self, code: int, reason: str) -> None:
        self.close_code = code
        with contextlib.suppress(Exception):
            await self.ws.close(code=code, reason=reason)

    # ---- lifecycle ----
    async def run(self) -> None:
        global _connecting
        await self.ws.accept()
        if _connecting >= get_settings().device_max_connecting:
            await self.close(CLOSE_TRY_AGAIN_LATER, "too many devices are connecting; try again shortly")
            return
        _connecting += 1
        try:
            said_hello = await self._hello()
        finally:
            _connecting -= 1
        if not said_hello:
            return
        commands = subscribe([service.device_channel(self.project_id, self.device_id)])
        tasks: list[asyncio.Task] = []
        try:
            await commands.__anext__()  # listening before we say hello, so no command is missed
            await self.send({"hello": True})
            tasks = [asyncio.create_task(self._listen(commands)), asyncio.create_task(self._beat())]
            await self._read()
        finally:
            for t in tasks:
                t.cancel()
            for t in tasks:
                with contextlib.suppress(BaseException):
                    await t
            with contextlib.suppress(Exception):
                await commands.aclose()
            self._finish_request("failed", "the device disconnected")
            await live_holder.on_disconnect(self)
            await asyncio.to_thread(service.disconnect, self.project_id, self.device_id, self.token)

    async def _hello(self) -> bool:
        try:
            frame = await asyncio.wait_for(self.ws.receive(), HELLO_TIMEOUT_S)
        except TimeoutError:
            await self.close(CLOSE_POLICY, "no hello")
            return False
        if frame["type"] == "websocket.disconnect":
            return False
        try:
            if frame.get("bytes") is not None:
                self.encoding = "cbor"
            self.encoding, message = protocol.decode(frame)
            hello = protocol.parse_hello(message)
            reg = await asyncio.to_thread(service.connect, hello, HOLDER, self.token)
        except protocol.ProtocolError as e:
            await self.send({"hello": False, "err": str(e)})
            await self.close(CLOSE_POLICY, str(e)[:120])
            return False
        self.project_id, self.device_id = reg.project_id, reg.device_id
        if reg.replaced_session:
            # The same device connected again: its older socket (in any process) steps down.
            publish(
                service.device_channel(self.project_id, self.device_id),
                {"type": "device.replaced", "session": self.token},
            )
        return True

    async def _read(self) -> None:
        while True:
            frame = await self.ws.receive()
            if frame["type"] == "websocket.disconnect":
                return
            if frame.get("text") is not None and frame["text"].strip().lower() == "ping":
                await self.send_text("pong")
                continue
            try:
                _, message = protocol.decode(frame)
            except protocol.ProtocolError as e:
                await self.send({"err": str(e)})
                continue
            if isinstance(message, dict) and "hello" in message:
                await self.send({"hello": True})  # a repeated hello changes nothing
                continue
            if isinstance(message, dict) and any(k in message for k in live_holder.STREAM_MESSAGES):
                await live_holder.on_stream_message(self, message)
                continue
            progress = protocol.progress_of(message)
            if progress is not None and self.request is not None:
                stage, percent, error = progress
                if stage in ("failed", "finished"):
                    self._finish_request(stage, error, percent)
                else:
                    publish(project_channel(self.project_id), sampling_event(self.request, stage, percent, error))

    def _finish_request(self, stage: str, error: str | None, percent: float | None = None) -> None:
        if self.request is not None:
            publish(project_channel(self.project_id), sampling_event(self.request, stage, percent, error))
            self.request = None

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(service.HEARTBEAT_S)
            if not await asyncio.to_thread(service.heartbeat, self.project_id, self.device_id, self.token):
                await self.close(CLOSE_REPLACED, "this device connected again elsewhere")
                return

    async def _listen(self, commands) -> None:
        async for ev in commands:
            kind = ev.get("type")
            if kind == "device.replaced" and ev.get("session") != self.token:
                await self.close(CLOSE_REPLACED, "this device connected again elsewhere")
                return
            if kind == "device.deleted":
                await self.close(CLOSE_DELETED, "this device was deleted from the project")
                return
            if kind == "sample.request":
                await self._start_sampling(ev)
            if kind in live_holder.COMMANDS:
                await live_holder.on_command(self, ev)

    async def _start_sampling(self, command: dict[str, Any]) -> None:
        request = command["request"]
        if self.live is not None and self.live.ended is None:
            publish(
                project_channel(self.project_id),
                sampling_event(request, "failed", error="the device is streaming to live classification"),
            )
            return
        if self.request is not None and time.monotonic() < self.request_deadline:
            publish(
                project_channel(self.project_id),
                sampling_event(request, "failed", error="the device is busy recording another sample"),
            )
            return
        self.request = request
        # A device that goes quiet must not block the next request forever.
        self.request_deadline = time.monotonic() + request["length_ms"] / 1000 + 60
        publish(project_channel(self.project_id), sampling_event(request, "requested"))
        await self.send(command["message"])


async def ask_device(
    project_id: int, device_id: str, command: dict[str, Any], timeout_s: float = ANSWER_TIMEOUT_S
) -> dict[str, Any]:
    """Send a sample request to whichever process holds the device; return its answer event."""
    request_id = command["request_id"]
    events = subscribe([project_channel(project_id)])
    try:
        await events.__anext__()
        publish(service.device_channel(project_id, device_id), command)
        deadline = time.monotonic() + timeout_s
        while (left := deadline - time.monotonic()) > 0:
            try:
                ev = await asyncio.wait_for(events.__anext__(), left)
            except TimeoutError:
                break
            if ev.get("type") == "device.sampling" and ev.get("request_id") == request_id:
                if ev["stage"] == "failed":
                    raise DeviceRefused(f"Device '{device_id}' refused to record: {ev['error']}")
                if ev["stage"] != "requested":
                    return ev
    finally:
        with contextlib.suppress(Exception):
            await events.aclose()
    raise DeviceNotAnswering(f"Device '{device_id}' did not answer the sample request within {timeout_s:g} s")
