"""The data page at 100k samples: list pages (first, deep via the cursor, filtered), counts,
metadata keys and the summary, through the real API in-process on PostgreSQL.

    .venv/bin/python bench/bench_data_page.py [--samples 100000] [--repeat 7]

Samples are bulk-inserted with SQL (not through HTTP): 4 labels, 80/20 training/testing, one
in 50 disabled, metadata {"site": one of 3, "session": one of 200}, each with a thumbnail
(values left empty: a list never reads them).
Uses a scratch database on the local PostgreSQL (dropped at the end). Prints the median and the
slowest of `--repeat` runs of each request in ms; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PG_ADMIN = os.environ.get("TINYFORGE_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
DB = f"tinyforge_bench_{secrets.token_hex(3)}"
os.environ.update(
    {
        "TINYFORGE_ENV": "test",
        "DATABASE_URL": PG_ADMIN.rsplit("/", 1)[0] + "/" + DB,
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        "INSTANCE_NAME": f"bench_{secrets.token_hex(3)}",
        "SECRET_KEY": "bench-" + "x" * 40,
        "DATA_DIR": f"/tmp/{DB}",
    }
)
LABELS = ["idle", "wave", "updown", "snake"]


def bulk_insert(project_id: int, n: int) -> None:
    import numpy as np
    from sqlalchemy import insert, text

    from backend.core.db import session_scope
    from backend.dataset.sparkline import envelope
    from backend.models.sample import Sample, SampleValues

    sensors = [{"name": a, "units": "m/s2"} for a in ("accX", "accY", "accZ")]
    shapes = [envelope(np.sin(np.arange(625 * 3) / (20 + k)).astype("<f4").tobytes(), 3) for k in range(16)]
    with session_scope() as s:
        for start in range(0, n, 10_000):
            ids = s.scalars(
                insert(Sample).returning(Sample.id, sort_by_parameter_order=True),
                [
                    {
                        "project_id": project_id,
                        "category": "training" if i % 5 else "testing",
                        "label": LABELS[i % 4],
                        "filename": f"{LABELS[i % 4]}.{i}",
                        "device_name": None,
                        "device_type": "BENCH",
                        "interval_ms": 16.0,
                        "sensors": sensors,
                        "n_rows": 625,
                        "n_axes": 3,
                        "length_ms": 10_000.0 + i % 7,
                        "content_hash": secrets.token_hex(32),
                        "signature_status": "valid",
                        "meta": {"site": f"site-{i % 3}", "session": f"s{i % 200}"},
                        "enabled": i % 50 != 0,
                    }
                    for i in range(start, min(n, start + 10_000))
                ],
            ).all()
            # The thumbnail as ingestion stores it; the values themselves are left out (a list never reads them).
            s.execute(insert(SampleValues), [{"sample_id": i, "values": b"", "sparkline": shapes[i % 16]} for i in ids])
    from backend.core.db import get_engine

    with get_engine().connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        c.execute(text("VACUUM ANALYZE samples, sample_values"))


def timed(client, url: str, params: dict, repeat: int) -> tuple[float, float, dict]:
    times, body = [], {}
    for _ in range(repeat):
        t0 = time.perf_counter()
        r = client.get(url, params=params)
        times.append((time.perf_counter() - t0) * 1000)
        r.raise_for_status()
        body = r.json()
    return statistics.median(times), max(times), body


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--samples", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    from fastapi.testclient import TestClient
    from sqlalchemy import create_engine, text

    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{DB}"'))
    try:
        from backend.apikey.service import create_key
        from backend.core import migrate
        from backend.core.db import session_scope
        from backend.main import create_app
        from backend.models.project import Project

        migrate.upgrade(os.environ["DATABASE_URL"])
        with session_scope() as s:
            project = Project(name="bench", hmac_key=secrets.token_hex(16))
            s.add(project)
            s.flush()
            _, raw = create_key(s, project, "admin", "bench")
            pid = project.id
        t0 = time.perf_counter()
        bulk_insert(pid, args.samples)
        print(f"inserted {args.samples} samples in {time.perf_counter() - t0:.1f} s")
        base = f"/api/projects/{pid}/samples"
        with TestClient(create_app(), headers={"x-api-key": raw}) as client:
            # A cursor 90% of the way down: walk there by id (what following next_cursor reaches).
            with session_scope() as s:
                deep = s.scalar(
                    text("SELECT id FROM samples WHERE project_id = :p ORDER BY id DESC OFFSET :o LIMIT 1"),
                    {"p": pid, "o": args.samples * 9 // 10},
                )
            cases = [
                ("first page (100)", base, {"limit": 100}),
                ("first page + exact total", base, {"limit": 100, "include_total": True}),
                ("deep page via cursor (90%)", base, {"limit": 100, "cursor": deep}),
                ("filter: label", base, {"limit": 100, "label": "wave", "include_total": True}),
                ("filter: 2 labels + testing", base, {"limit": 100, "label": ["wave", "idle"], "category": "testing"}),
                ("filter: disabled", base, {"limit": 100, "enabled": False, "include_total": True}),
                ("filter: metadata site", base, {"limit": 100, "metadata": "site=site-1", "include_total": True}),
                (
                    "filter: metadata session (rare)",
                    base,
                    {"limit": 100, "metadata": "session=s7", "include_total": True},
                ),
                (
                    "filter: label + metadata, deep",
                    base,
                    {"limit": 100, "label": "wave", "metadata": "site=site-2", "cursor": deep},
                ),
                ("filter: name search", base, {"limit": 100, "search": "updown.4242"}),
                ("metadata keys", base + "/metadata", {}),
                ("summary", base + "/summary", {}),
            ]
            timed(client, base, {"limit": 100}, 2)  # warm the connection pool and caches
            print(f"{'request':36s} {'median ms':>10s} {'max ms':>8s}  result")
            for name, url, params in cases:
                med, worst, body = timed(client, url, params, args.repeat)
                if "items" in body:
                    what = f"{len(body['items'])} items" + (f", total {body['total']}" if body.get("total") else "")
                elif "keys" in body:
                    what = f"{len(body['keys'])} keys"
                else:
                    what = f"{body.get('total')} samples"
                print(f"{name:36s} {med:10.1f} {worst:8.1f}  {what}")
    finally:
        from backend.core.db import get_engine

        get_engine().dispose()
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
