"""How many big uploads one API process reads and parses at once.

Each big upload holds its body and its parsed values in memory; without a bound, a few
clients uploading at once could take the server's memory. Uploads that declare at most
SMALL_BODY_BYTES (what devices send) never wait; bigger ones (or ones of unknown length)
take a slot before their body is read, wait a little for one, and otherwise get 503 with
Retry-After.
"""

from __future__ import annotations

import asyncio
import math
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Request

from backend.core.config import get_settings
from backend.core.errors import ServiceBusy
from backend.ingestion.streaming import declared_length

SMALL_BODY_BYTES = 1024 * 1024
# One semaphore per event loop (tests run several loops in one process).
_slots: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = weakref.WeakKeyDictionary()


def _semaphore() -> asyncio.Semaphore:
    loop = asyncio.get_running_loop()
    if loop not in _slots:
        _slots[loop] = asyncio.Semaphore(get_settings().ingest_parallel_parses)
    return _slots[loop]


@asynccontextmanager
async def parse_slot(request: Request) -> AsyncIterator[None]:
    """Hold one of the process's parse slots while reading and parsing a big upload."""
    declared = declared_length(request)
    if declared is not None and declared <= SMALL_BODY_BYTES:
        yield
        return
    wait = get_settings().ingest_parse_wait_s
    semaphore = _semaphore()
    try:
        if semaphore.locked():
            await asyncio.wait_for(semaphore.acquire(), timeout=wait)
        else:
            await semaphore.acquire()
    except TimeoutError:
        raise ServiceBusy(
            "The server is busy parsing other large uploads; try again shortly", retry_after=max(1, math.ceil(wait))
        ) from None
    try:
        yield
    finally:
        semaphore.release()
