"""Server-Sent Events framing."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from typing import Any

from fastapi import Request
from fastapi.responses import StreamingResponse

KEEPALIVE_S = 15.0


def frame(event: dict[str, Any]) -> str:
    return f"event: {event.get('type', 'message')}\ndata: {json.dumps(event, default=str)}\n\n"


async def relay(
    request: Request, first: list[dict[str, Any]], events: AsyncIterator[dict[str, Any]], until=lambda ev: False
) -> AsyncIterator[str]:
    """Send `first`, then every non-empty event, with keep-alive comments; stop on disconnect or
    when `until(event)` says so."""
    for ev in first:
        yield frame(ev)
        if until(ev):
            return
    last_sent = time.monotonic()
    async for ev in events:
        if await request.is_disconnected():
            break
        if ev:
            yield frame(ev)
            last_sent = time.monotonic()
            if until(ev):
                break
        elif time.monotonic() - last_sent > KEEPALIVE_S:
            yield ": keep-alive\n\n"
            last_sent = time.monotonic()


def sse_response(body: AsyncIterator[str]) -> StreamingResponse:
    return StreamingResponse(
        body, media_type="text/event-stream", headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    )
