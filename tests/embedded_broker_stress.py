"""Writers and readers hammering the embedded broker's queue folder from separate processes.

    python tests/embedded_broker_stress.py FOLDER WRITERS MESSAGES READERS [BROKER_URL]

Prints one JSON line: how many messages were sent, received once, received twice, and the readers'
errors. Used by tests/test_embedded_default.py and bench/bench_embedded_broker.py.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import sys
import time
from queue import Empty

PAYLOAD = "x" * 64 * 1024  # big messages: a writer takes long enough for a reader to catch it mid-write


def _connection(url: str | None):
    from kombu import Connection

    from backend.core.broker import broker_options, celery_broker_url
    from backend.core.config import get_settings

    settings = get_settings()
    return Connection(url or celery_broker_url(settings), transport_options=broker_options(settings))


def _write(url, writer: int, count: int) -> None:
    with _connection(url) as conn:
        q = conn.SimpleQueue("stress")
        for i in range(count):
            q.put({"id": f"{writer}-{i}", "pad": PAYLOAD})


def _read(url, out, errors, done) -> None:
    try:
        with _connection(url) as conn:
            q = conn.SimpleQueue("stress")
            while not done.is_set():
                try:
                    msg = q.get(timeout=0.2)
                except Empty:
                    continue
                out.put(msg.payload["id"])
                msg.ack()
    except Exception as e:  # a reader dying is what we count
        errors.put(f"{type(e).__name__}: {e}")


def main() -> None:
    folder, writers, messages, readers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    url = sys.argv[5] if len(sys.argv) > 5 else None
    os.environ["DATA_DIR"] = folder
    os.environ.pop("CELERY_BROKER_URL", None)
    ctx = mp.get_context("spawn")
    out, errors, done = ctx.Queue(), ctx.Queue(), ctx.Event()
    total = writers * messages
    started = time.perf_counter()
    procs = [ctx.Process(target=_read, args=(url, out, errors, done)) for _ in range(readers)]
    procs += [ctx.Process(target=_write, args=(url, w, messages)) for w in range(writers)]
    for p in procs:
        p.start()
    seen: dict[str, int] = {}
    last = time.time()
    while sum(seen.values()) < total and time.time() - last < 15:  # 15 s without a message: lost
        if not any(p.is_alive() for p in procs[:readers]):
            break
        try:
            ident = out.get(timeout=0.5)
        except Empty:
            continue
        seen[ident], last = seen.get(ident, 0) + 1, time.time()
    elapsed = time.perf_counter() - started
    done.set()
    for p in procs:
        p.join(timeout=10)
        if p.is_alive():
            p.kill()
    errs = []
    while True:
        try:
            errs.append(errors.get(timeout=0.2))
        except Empty:
            break
    print(
        json.dumps(
            {
                "sent": total,
                "received": len(seen),
                "duplicates": sum(n > 1 for n in seen.values()),
                "reader_errors": errs,
                "seconds": round(elapsed, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
