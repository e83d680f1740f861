"""Ingestion throughput and list-page latency over HTTP, against a real uvicorn on PostgreSQL.

    .venv/bin/python bench/bench_ingestion.py [--workers 2] [--requests 400] [--list-samples 100000]
                                              [--client-procs 4] [--async-commit]

Uses a scratch database on the local PostgreSQL (dropped at the end) and the local Redis.
Uploads: 10 s of 3-axis data at 62.5 Hz (625 rows) as signed JSON to POST /api/training/data
with 1 and 16 concurrent clients; prints samples/s and p50/p99 latency. Listing: one page of
50 from a project holding `--list-samples` samples (bulk-inserted), newest first, with and
without a filter, and a page deep in the keyset. Prints figures; asserts nothing.

What is measured: the server under load from stdlib keep-alive clients spread over
`--client-procs` processes (16 threads in one Python process measured mostly the client's GIL).
Client and server share the machine's cores, so the figures are a floor for the server alone.
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

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
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "backend.cli.main",
            "api",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            if httpx.get(url + "/api/health", timeout=1).status_code in (200, 503):
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit("server did not start")


def cpu_seconds(server_pgid: int) -> tuple[float, float]:
    """CPU time used so far by the API processes (its process group) and by this database's
    PostgreSQL backends: a figure that the other load on a shared machine disturbs less. A backend
    that exits during a run (a pool's overflow connection) drops out, so PostgreSQL's share can
    read low with many clients on one worker."""
    tick = os.sysconf("SC_CLK_TCK")
    api = db = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmd = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        used = (int(fields[11]) + int(fields[12])) / tick
        if int(fields[2]) == server_pgid:
            api += used
        elif cmd.startswith(b"postgres: ") and f" {DB} ".encode() in cmd:
            db += used
    return api, db


def _client_proc(host: str, port: int, indices: list[int], threads: int, make_request, go, out) -> None:
    """One load-generator process: `threads` keep-alive connections sharing `indices`."""
    import http.client

    latencies: list[float] = []
    lock = threading.Lock()
    todo = iter(indices)
    failure: list[str] = []

    def worker():
        conn = http.client.HTTPConnection(host, port, timeout=60)
        while not failure:
            with lock:
                i = next(todo, None)
            if i is None:
                break
            method, path, headers, body = make_request(i)
            t = time.perf_counter()
            conn.request(method, path, body=body, headers=headers)
            r = conn.getresponse()
            data = r.read()
            dt = time.perf_counter() - t
            if r.status != 200:
                failure.append(f"HTTP {r.status}: {data[:300]!r}")
            latencies.append(dt)
        conn.close()

    go.wait()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    out.put((latencies, failure[:1]))


def run_clients(url: str, clients: int, total: int, make_request, procs: int = 4) -> tuple[float, list[float]]:
    """`clients` concurrent keep-alive connections spread over up to `procs` processes (forked),
    each request built by make_request(i) -> (method, path, headers, body). Lean stdlib clients
    in several processes, so the figures are the server's and not the load generator's GIL."""
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    host, port = url.removeprefix("http://").split(":")
    procs = max(1, min(procs, clients))
    go, out = ctx.Event(), ctx.Queue()
    shares = [list(range(total))[k::procs] for k in range(procs)]
    threads = [clients // procs + (k < clients % procs) for k in range(procs)]
    workers = [
        ctx.Process(target=_client_proc, args=(host, int(port), shares[k], threads[k], make_request, go, out))
        for k in range(procs)
    ]
    for w in workers:
        w.start()
    time.sleep(0.3)  # let the processes start before the clock does
    start = time.perf_counter()
    go.set()
    latencies: list[float] = []
    for _ in workers:
        lat, failure = out.get()
        if failure:
            raise SystemExit(failure[0])
        latencies += lat
    wall = time.perf_counter() - start
    for w in workers:
        w.join()
    return wall, latencies


def multipart(files: list[tuple[str, bytes, str]], field: str = "data") -> tuple[bytes, str]:
    boundary = secrets.token_hex(16)
    parts = [
        b'--%s\r\nContent-Disposition: form-data; name="%s"; filename="%s"\r\n'
        b"Content-Type: %s\r\n\r\n%s\r\n" % (boundary.encode(), field.encode(), name.encode(), ctype.encode(), data)
        for name, data, ctype in files
    ]
    return b"".join(parts) + b"--%s--\r\n" % boundary.encode(), f"multipart/form-data; boundary={boundary}"


def bulk_insert(project_id: int, n: int) -> None:
    from sqlalchemy import insert, text

    from backend.core.db import session_scope
    from backend.models.sample import Sample

    labels = ["idle", "wave", "updown", "snake"]
    sensors = [{"name": a, "units": "m/s2"} for a in ("accX", "accY", "accZ")]
    with session_scope() as s:
        for start in range(0, n, 10_000):
            s.execute(
                insert(Sample),
                [
                    {
                        "project_id": project_id,
                        "category": "training" if i % 5 else "testing",
                        "label": labels[i % 4],
                        "filename": f"{labels[i % 4]}.{i}",
                        "device_name": None,
                        "device_type": "BENCH",
                        "interval_ms": 16.0,
                        "sensors": sensors,
                        "n_rows": 625,
                        "n_axes": 3,
                        "length_ms": 10_000.0 + i % 7,
                        "content_hash": secrets.token_hex(32),
                        "signature_status": "valid",
                        "meta": {},
                        "enabled": True,
                    }
                    for i in range(start, min(n, start + 10_000))
                ],
            )
        s.execute(text("ANALYZE samples"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    ap.add_argument("--requests", type=int, default=400)
    ap.add_argument("--list-samples", type=int, default=100_000)
    ap.add_argument(
        "--client-procs", type=int, default=4, help="load-generator processes the concurrent clients are spread over"
    )
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
        values = [
            [round((i * 7 % 13) / 3.0, 3), round(-9.81 + i % 5 / 10, 3), round(i % 11 / 7, 3)] for i in range(625)
        ]
        body = sign_acquisition_json(
            {
                "device_name": "bench",
                "device_type": "BENCH",
                "interval_ms": 16,
                "sensors": [{"name": a, "units": "m/s2"} for a in ("accX", "accY", "accZ")],
                "values": values,
            },
            hmac_key,
        )
        print(
            f"uvicorn workers: {args.workers}; INGEST_ASYNC_COMMIT={os.environ['INGEST_ASYNC_COMMIT']}; "
            f"body {len(body)} bytes (625 rows x 3 axes, signed JSON)"
        )

        def upload(i):
            return (
                "POST",
                "/api/training/data",
                {"x-api-key": key, "x-file-name": f"wave.{i}.json", "content-type": "application/json"},
                body,
            )

        procs = args.client_procs
        print(f"load generator: {procs} process(es), stdlib keep-alive HTTP clients")
        run_clients(url, 4, 40, upload, procs)  # warm up connections and caches
        for clients in (1, 16):
            n = args.requests if clients > 1 else max(100, args.requests // 3)
            cpu = cpu_seconds(proc.pid)
            wall, lat = run_clients(url, clients, n, upload, procs)
            cpu = [(b - a) / n * 1000 for a, b in zip(cpu, cpu_seconds(proc.pid), strict=False)]
            print(
                f"ingest  clients={clients:2d}: {n / wall:7.1f} samples/s   p50 {pct(lat, 50) * 1000:6.1f} ms"
                f"   p99 {pct(lat, 99) * 1000:6.1f} ms   ({n} uploads in {wall:.1f} s; CPU per sample:"
                f" API {cpu[0]:.2f} ms, PostgreSQL {cpu[1]:.2f} ms)"
            )

        batch = 25

        def upload_files(i):
            data, ctype = multipart([(f"wave.b{i}.{j}.json", body, "application/json") for j in range(batch)])
            return "POST", "/api/training/files", {"x-api-key": key, "content-type": ctype}, data

        n = max(48, args.requests // batch)
        cpu = cpu_seconds(proc.pid)
        wall, lat = run_clients(url, 16, n, upload_files, procs)
        cpu = [(b - a) / (n * batch) * 1000 for a, b in zip(cpu, cpu_seconds(proc.pid), strict=False)]
        print(
            f"ingest /files x{batch} clients=16: {n * batch / wall:7.1f} samples/s   p50 {pct(lat, 50) * 1000:6.1f} ms"
            f" per request   p99 {pct(lat, 99) * 1000:6.1f} ms   ({n * batch} samples in {wall:.1f} s; CPU per"
            f" sample: API {cpu[0]:.2f} ms, PostgreSQL {cpu[1]:.2f} ms)"
        )

        t = time.perf_counter()
        bulk_insert(pid, args.list_samples)
        print(f"bulk-inserted {args.list_samples} samples in {time.perf_counter() - t:.1f} s")
        deep = None
        for name, params in (
            ("newest page", {"limit": 50}),
            ("label filter", {"limit": 50, "label": "wave"}),
            ("testing+label", {"limit": 50, "category": "testing", "label": "idle"}),
            ("deep cursor", "deep"),
        ):
            if params == "deep":
                params = {"limit": 50, "cursor": deep}
            _, lat = run_clients(
                url,
                1,
                200,
                lambda i, p=params: ("GET", f"/api/projects/{pid}/samples?{urlencode(p)}", {"x-api-key": key}, None),
            )
            print(f"list {name:14s}: p50 {pct(lat, 50) * 1000:5.1f} ms   p99 {pct(lat, 99) * 1000:5.1f} ms")
            if deep is None:
                from sqlalchemy import select

                from backend.core.db import session_scope
                from backend.models.sample import Sample

                with session_scope() as s:
                    deep = s.scalar(
                        select(Sample.id)
                        .where(Sample.project_id == pid)
                        .order_by(Sample.id)
                        .offset(args.list_samples // 2)
                        .limit(1)
                    )
        _, lat = run_clients(
            url,
            1,
            50,
            lambda i: ("GET", f"/api/projects/{pid}/samples?limit=50&include_total=true", {"x-api-key": key}, None),
        )
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
