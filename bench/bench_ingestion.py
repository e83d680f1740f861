"""Ingestion throughput and list-page latency over HTTP, against a real uvicorn on PostgreSQL.

    .venv/bin/python bench/bench_ingestion.py [--workers 2] [--requests 400] [--list-samples 100000]

Uses a scratch database on the local PostgreSQL (dropped at the end) and the local Redis.
Uploads: 10 s of 3-axis data at 62.5 Hz (625 rows) as signed JSON to POST /api/training/data
with 1 and 16 concurrent clients; prints samples/s and p50/p99 latency. Listing: one page of
50 from a project holding `--list-samples` samples (bulk-inserted), newest first, with and
without a filter, and a page deep in the keyset. Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import os
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PG_ADMIN = os.environ.get("TINYFORGE_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
DB = f"tinyforge_bench_{secrets.token_hex(3)}"
os.environ.update({"TINYFORGE_ENV": "test", "DATABASE_URL": PG_ADMIN.rsplit("/", 1)[0] + "/" + DB,
                   "REDIS_URL": "redis://127.0.0.1:6379/0", "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
                   "INSTANCE_NAME": f"bench_{secrets.token_hex(3)}", "SECRET_KEY": "bench-" + "x" * 40,
                   "DATA_DIR": f"/tmp/{DB}"})


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def setup_project():
    from backend.apikey.service import create_key
    from backend.core.db import session_scope
    from backend.models.project import Project

    with session_scope() as s:
        project = Project(name="bench", hmac_key=secrets.token_hex(16))
        s.add(project)
        s.flush()
        _, raw = create_key(s, project, "admin", "bench")
        return project.id, project.hmac_key, raw


def start_server(workers: int) -> tuple[subprocess.Popen, str]:
    import httpx

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "backend.cli.main", "api", "--host", "127.0.0.1", "--port",
                             str(port), "--workers", str(workers)], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            if httpx.get(url + "/api/health", timeout=1).status_code in (200, 503):
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit("server did not start")


def run_clients(url: str, clients: int, total: int, make_request) -> tuple[float, list[float]]:
    import httpx

    latencies: list[float] = []
    lock = threading.Lock()
    counter = iter(range(total))

    def worker():
        with httpx.Client(base_url=url, timeout=60) as c:
            while True:
                with lock:
                    i = next(counter, None)
                if i is None:
                    return
                t = time.perf_counter()
                r = make_request(c, i)
                dt = time.perf_counter() - t
                if r.status_code != 200:
                    raise SystemExit(f"HTTP {r.status_code}: {r.text[:300]}")
                with lock:
                    latencies.append(dt)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - start, latencies


def bulk_insert(project_id: int, n: int) -> None:
    from sqlalchemy import insert, text

    from backend.core.db import session_scope
    from backend.models.sample import Sample

    labels = ["idle", "wave", "updown", "snake"]
    sensors = [{"name": a, "units": "m/s2"} for a in ("accX", "accY", "accZ")]
    with session_scope() as s:
        for start in range(0, n, 10_000):
            s.execute(insert(Sample), [{
                "project_id": project_id, "category": "training" if i % 5 else "testing", "label": labels[i % 4],
                "filename": f"{labels[i % 4]}.{i}", "device_name": None, "device_type": "BENCH", "interval_ms": 16.0,
                "sensors": sensors, "n_rows": 625, "n_axes": 3, "length_ms": 10_000.0 + i % 7,
                "content_hash": secrets.token_hex(32), "signature_status": "valid", "meta": {}, "enabled": True,
            } for i in range(start, min(n, start + 10_000))])
        s.execute(text("ANALYZE samples"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    ap.add_argument("--requests", type=int, default=400)
    ap.add_argument("--list-samples", type=int, default=100_000)
    ap.add_argument("--async-commit", action="store_true", help="run the server with INGEST_ASYNC_COMMIT=true")
    args = ap.parse_args()
    os.environ["INGEST_ASYNC_COMMIT"] = "true" if args.async_commit else "false"

    from sqlalchemy import create_engine, text

    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{DB}"'))
    proc = None
    try:
        from backend.core import migrate
        from backend.ingestion.formats import sign_acquisition_json

        migrate.upgrade(os.environ["DATABASE_URL"])
        pid, hmac_key, key = setup_project()
        proc, url = start_server(args.workers)
        values = [[round((i * 7 % 13) / 3.0, 3), round(-9.81 + i % 5 / 10, 3), round(i % 11 / 7, 3)] for i in range(625)]
        body = sign_acquisition_json({"device_name": "bench", "device_type": "BENCH", "interval_ms": 16,
                                      "sensors": [{"name": a, "units": "m/s2"} for a in ("accX", "accY", "accZ")],
                                      "values": values}, hmac_key)
        print(f"uvicorn workers: {args.workers}; INGEST_ASYNC_COMMIT={os.environ['INGEST_ASYNC_COMMIT']}; "
              f"body {len(body)} bytes (625 rows x 3 axes, signed JSON)")

        def upload(c, i):
            return c.post("/api/training/data", content=body, headers={
                "x-api-key": key, "x-file-name": f"wave.{i}.json", "content-type": "application/json"})

        run_clients(url, 4, 40, upload)  # warm up connections and caches
        for clients in (1, 16):
            n = args.requests if clients > 1 else max(100, args.requests // 3)
            wall, lat = run_clients(url, clients, n, upload)
            print(f"ingest  clients={clients:2d}: {n / wall:7.1f} samples/s   p50 {pct(lat, 50) * 1000:6.1f} ms"
                  f"   p99 {pct(lat, 99) * 1000:6.1f} ms   ({n} uploads in {wall:.1f} s)")

        batch = 25

        def upload_files(c, i):
            return c.post("/api/training/files", headers={"x-api-key": key}, files=[
                ("data", (f"wave.b{i}.{j}.json", body, "application/json")) for j in range(batch)])

        n = max(8, args.requests // batch)
        wall, lat = run_clients(url, 16, n, upload_files)
        print(f"ingest /files x{batch} clients=16: {n * batch / wall:7.1f} samples/s   p50 {pct(lat, 50) * 1000:6.1f} ms"
              f" per request   p99 {pct(lat, 99) * 1000:6.1f} ms   ({n * batch} samples in {wall:.1f} s)")

        t = time.perf_counter()
        bulk_insert(pid, args.list_samples)
        print(f"bulk-inserted {args.list_samples} samples in {time.perf_counter() - t:.1f} s")
        deep = None
        for name, params in (("newest page", {"limit": 50}), ("label filter", {"limit": 50, "label": "wave"}),
                             ("testing+label", {"limit": 50, "category": "testing", "label": "idle"}),
                             ("deep cursor", "deep")):
            if params == "deep":
                params = {"limit": 50, "cursor": deep}
            _, lat = run_clients(url, 1, 200, lambda c, i, p=params: c.get(
                f"/api/projects/{pid}/samples", params=p, headers={"x-api-key": key}))
            print(f"list {name:14s}: p50 {pct(lat, 50) * 1000:5.1f} ms   p99 {pct(lat, 99) * 1000:5.1f} ms")
            if deep is None:
                from sqlalchemy import select

                from backend.core.db import session_scope
                from backend.models.sample import Sample

                with session_scope() as s:
                    deep = s.scalar(select(Sample.id).where(Sample.project_id == pid).order_by(Sample.id)
                                    .offset(args.list_samples // 2).limit(1))
        _, lat = run_clients(url, 1, 50, lambda c, i: c.get(f"/api/projects/{pid}/samples",
                                                               params={"limit": 50, "include_total": True},
                                                               headers={"x-api-key": key}))
        print(f"list with total    : p50 {pct(lat, 50) * 1000:5.1f} ms   p99 {pct(lat, 99) * 1000:5.1f} ms")
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=20)
        from backend.core.db import get_engine

        get_engine().dispose()
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
