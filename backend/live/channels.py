"""Where a live session's results are published, and how the API reaches the device's holder."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from typing import Any

from backend.core.errors import DomainError
from backend.core.events import publish, subscribe
from backend.device.service import device_channel

ANSWER_TIMEOUT_S = 10.0


class HolderNotAnswering(DomainError):
    status_code = 504


class HolderRefused(DomainError):
    def __init__(self, message: str, status_code: int = 409):
        super().__init__(message)
        self.status_code = status_code


def live_channel(project_id: int, device_id: str) -> str:
    return "live:" + device_channel(project_id, device_id)


def upload_channel(project_id: int, session_id: str) -> str:
    return f"live-upload:{project_id}:{session_id}"


def upload_path(project_id: int, session_id: str) -> str:
    """Where a device that only records samples uploads them during a live session (not stored)."""
    return f"/api/live/{project_id}/{session_id}/data"


def answer(reply_to: str, result: Any = None, *, error: str | None = None, status: int = 409) -> None:
    """The holder's reply to a command (`ask_holder` waits for it)."""
    publish(
        reply_to, {"ok": True, "result": result} if error is None else {"ok": False, "error": error, "status": status}
    )


async def ask_holder(
    project_id: int, device_id: str, command: dict[str, Any], timeout_s: float = ANSWER_TIMEOUT_S
) -> Any:
    """Send a live command to whichever process holds the device's socket; return its answer."""
    return await ask(device_channel(project_id, device_id), command, f"Device '{device_id}'", timeout_s)


async def ask(channel: str, command: dict[str, Any], who: str, timeout_s: float = ANSWER_TIMEOUT_S) -> Any:
    reply_to = f"live-reply:{uuid.uuid4().hex}"
    events = subscribe([reply_to], poll_s=0.05)
    try:
        await events.__anext__()
        publish(channel, {**command, "reply_to": reply_to})
        async with asyncio.timeout(timeout_s):
            async for ev in events:
                if not ev:
                    continue
                if ev.get("ok"):
                    return ev.get("result")
                raise HolderRefused(ev.get("error") or "the device refused", int(ev.get("status") or 409))
    except TimeoutError:
        raise HolderNotAnswering(f"{who} did not answer within {timeout_s:g} s; is it still connected?") from None
    finally:
        with contextlib.suppress(Exception):
            await events.aclose()
