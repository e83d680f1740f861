"""Fast request/reply calls to the workers over the event bus (DSP preview, classify one sample).

The API never imports TensorFlow or `workers`, yet some answers must come back in well under a
second. The API subscribes to a fresh reply channel, sends the task by name to the interactive
queue (its own worker process, so a long training never delays it), and waits for the reply the
task publishes. No Celery result backend is involved.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from backend.core.config import get_settings
from backend.core.errors import DomainError
from backend.core.events import subscribe
from backend.core.jobs import send_task

DEFAULT_TIMEOUT_S = 15.0


class GatewayTimeout(DomainError):
    status_code = 504


class RemoteError(DomainError):
    """The worker refused the request; carries the HTTP status it chose."""

    def __init__(self, message: str, status_code: int = 422):
        super().__init__(message)
        self.status_code = status_code


def interactive_queue() -> str:
    return f"{get_settings().instance_name}.interactive"


def reply(channel: str, result: Any = None, *, error: str | None = None, status: int = 422) -> None:
    """Used by worker tasks: send the answer (or the refusal) to the waiting API."""
    from backend.core.events import publish

    event = {"ok": True, "result": result} if error is None else {"ok": False, "error": error, "status": status}
    publish(channel, event)


async def call(task: str, payload: dict[str, Any], timeout: float = DEFAULT_TIMEOUT_S) -> Any:
    """Run `task(reply_to=..., payload=...)` on the interactive queue and return its result."""
    channel = f"rpc:{uuid.uuid4().hex}"
    events = subscribe([channel], poll_s=0.05)
    try:
        await events.__anext__()  # subscribed: the reply cannot be missed now
        await asyncio.to_thread(
            send_task,
            task,
            kwargs={"reply_to": channel, "payload": payload},
            queue=interactive_queue(),
            expires=timeout,
        )
        async with asyncio.timeout(timeout):
            async for event in events:
                if not event:
                    continue
                if event.get("ok"):
                    return event.get("result")
                raise RemoteError(
                    event.get("error") or "the worker refused the request", int(event.get("status") or 422)
                )
    except TimeoutError:
        raise GatewayTimeout(
            f"No worker answered within {timeout:g} s: is a worker for the "
            f"'{interactive_queue()}' queue running (tinyforge serve starts one; on a team "
            "server run `tinyforge worker --queues interactive`)?"
        ) from None
    finally:
        await events.aclose()
