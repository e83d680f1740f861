"""Round trip of a DSP preview (one window through the impulse's blocks, with graphs) through the
API and the interactive worker, on the embedded default (`tinyforge serve`: SQLite + filesystem
broker, replies through the database).

    .venv/bin/python bench/bench_preview.py [--calls 30]

Starts `tinyforge serve` on a scratch data folder, uploads 10 s of 3-axis data, saves the standard
motion impulse, and times the calls. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import math
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
IMPULSE = {
    "input": {
        "axes": ["accX", "accY", "accZ"],
        "window_size_ms": 2000,
        "window_increase_ms": 500,
        "frequency_hz": 62.5,
    },
    "processing": [
        {
            "id": "spectral",
            "type": "spectral-analysis",
            "axes": ["accX", "accY", "accZ"],
            "params": {"filter_type": "low", "filter_cutoff": 8, "filter_order": 6, "fft_length": 64},
        }
    ],
    "learning": [{"id": "classifier", "type": "keras-classifier", "inputs": ["spectral"]}],
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=30)
    args = ap.parse_args()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data = tempfile.mkdtemp(prefix="tinyforge-bench-preview-")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL")}
    env["DATA_DIR"] = data
    proc = subprocess.Popen(
        [sys.executable, "-m", "backend.cli.main", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        c = httpx.Client(base_url=url, timeout=30)
        for _ in range(300):
            try:
                if c.get("/api/health").json()["worker"]["connected"]:
                    break
            except (httpx.HTTPError, ValueError):
                pass
            time.sleep(0.2)
        c.post("/api/auth/signup", json={"username": "bench", "password": "correct horse battery"})
        pid = c.post("/api/projects", json={"name": "preview"}).json()["id"]
        values = [[math.sin(i / 5), math.cos(i / 7), 9.81 + 0.1 * math.sin(i / 3)] for i in range(625)]
        sample = {
            "protected": {"ver": "v1", "alg": "none"},
            "signature": "0" * 64,
            "payload": {
                "device_type": "BENCH",
                "interval_ms": 16,
                "sensors": [{"name": a, "units": "m/s2"} for a in ("accX", "accY", "accZ")],
                "values": values,
            },
        }
        r = c.post(f"/api/training/data?project_id={pid}", json=sample, headers={"x-file-name": "wave.1.json"})
        assert r.status_code == 200, r.text
        sample_id = c.get(f"/api/projects/{pid}/samples").json()["items"][0]["id"]
        imp = c.post(f"/api/projects/{pid}/impulses", json={"name": "motion", "config": IMPULSE}).json()
        times = []
        for i in range(args.calls + 3):
            t = time.perf_counter()
            r = c.post(
                f"/api/projects/{pid}/impulses/{imp['id']}/preview",
                json={"sample_id": sample_id, "window_start_ms": (i % 8) * 1000},
            )
            dt = time.perf_counter() - t
            assert r.status_code == 200, r.text
            if i >= 3:  # the first calls warm the worker's imports
                times.append(dt)
        times.sort()
        print(
            f"DSP preview round trip (embedded default, {args.calls} calls): p50 "
            f"{statistics.median(times) * 1000:.0f} ms, p90 {times[int(0.9 * (len(times) - 1))] * 1000:.0f} ms, "
            f"max {times[-1] * 1000:.0f} ms"
        )
    finally:
        proc.terminate()
        proc.wait(timeout=30)


if __name__ == "__main__":
    main()
