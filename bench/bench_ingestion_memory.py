"""Memory and time of one big upload, against a real uvicorn process on the embedded SQLite.

    .venv/bin/python bench/bench_ingestion_memory.py [--mb 99] [--root /path/to/another/checkout]

Uploads a JSON acquisition file (POST /api/training/data) and a CSV file (POST
/api/training/files) of about --mb megabytes each, one after the other, and prints for each the
time until the answer and how far the server's peak resident memory (VmHWM in /proc) rose over
its resting size. `--root` runs the server from another checkout (e.g. the main branch, for a
before/after). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
MB = 1024 * 1024


def _kb(pid: int, field: str) -> int:
    line = next(x for x in Path(f"/proc/{pid}/status").read_text().splitlines() if x.startswith(field + ":"))
    return int(line.split()[1]) * 1024


def _rows(n: int = 10_000) -> list[str]:
    values = np.round(np.random.default_rng(7).standard_normal((n, 3)) * 5, 4).tolist()
    return [f"{x},{y},{z}" for x, y, z in values]


def big_json(size: int) -> bytes:
    pattern = [f"[{r}]" for r in _rows()]
    count = int(size / (sum(map(len, pattern)) / len(pattern) + 1))
    head = (
        b'{"protected":{"ver":"v1","alg":"none"},"signature":"' + b"0" * 64 + b'","payload":{"device_type":'
        b'"BENCH","interval_ms":10,"sensors":[{"name":"accX","units":"m/s2"},{"name":"accY","units":"m/s2"},'
        b'{"name":"accZ","units":"m/s2"}],"values":['
    )
    return head + ",".join(pattern[i % len(pattern)] for i in range(count)).encode() + b"]}}"


def big_csv(size: int) -> bytes:
    pattern = _rows()
    body = (
        "timestamp,accX,accY,accZ\n"
        + "\n".join(f"{i * 10},{pattern[i % len(pattern)]}" for i in range(int(size / 30)))
        + "\n"
    ).encode()
    return body[:size].rsplit(b"\n", 1)[0] + b"\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=float, default=99)
    parser.add_argument("--root", type=Path, default=ROOT)
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="tf-bench-mem-"))
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL")}
    env.update({"DATA_DIR": str(data_dir), "PYTHONPATH": str(args.root), "TINYFORGE_ENV": "development"})
    subprocess.run(
        [sys.executable, "-m", "backend.cli.main", "migrate"], cwd=args.root, env=env, check=True, capture_output=True
    )
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = open(data_dir / "api.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "backend.cli.main", "api", "--host", "127.0.0.1", "--port", str(port)],
        cwd=args.root,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                httpx.get(url + "/api/health", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        r = httpx.post(
            url + "/api/auth/signup",
            json={"username": f"bench_{secrets.token_hex(3)}", "password": "correct horse battery"},
        )
        auth = {"Authorization": f"Bearer {r.json()['token']}"}
        pid = httpx.post(url + "/api/projects", json={"name": "bench"}, headers=auth).json()["id"]
        key = httpx.post(f"{url}/api/projects/{pid}/apikeys", json={"role": "ingestiononly"}, headers=auth).json()[
            "key"
        ]
        resting = _kb(proc.pid, "VmRSS")
        size = int(args.mb * MB)
        for name, body, send in (
            (
                "JSON /data",
                big_json(size),
                lambda b: httpx.post(
                    url + "/api/training/data",
                    content=b,
                    timeout=600,
                    headers={"x-api-key": key, "x-file-name": "big.json", "content-type": "application/json"},
                ),
            ),
            (
                "CSV /files",
                big_csv(size),
                lambda b: httpx.post(
                    url + "/api/training/files",
                    files=[("data", ("big.csv", b, "text/csv"))],
                    timeout=600,
                    headers={"x-api-key": key},
                ),
            ),
        ):
            started = time.monotonic()
            r = send(body)
            took = time.monotonic() - started
            print(
                f"{name}: {len(body) / MB:.0f} MB -> {r.status_code} in {took:.1f} s; "
                f"peak RSS {(_kb(proc.pid, 'VmHWM') - resting) / MB:.0f} MB over resting "
                f"{resting / MB:.0f} MB (peak so far)"
            )
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


if __name__ == "__main__":
    main()
