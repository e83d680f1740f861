"""The embedded default under load: the broker's message hand-over, and interactive calls against
`tinyforge serve` pinned to one core. Prints figures; asserts nothing.

    .venv/bin/python bench/bench_embedded_default.py [--messages 2000] [--calls 2000] [--threads 16]

1. Writers and readers hammering the queue folder, with TinyForge's transport and, for comparison,
   kombu's stock filesystem transport (which loses messages and kills readers: JSONDecodeError).
2. DSP previews from many threads against `taskset -c 0 tinyforge serve`: answers, failures, worker
   restarts (serve's console) and messages set aside as unreadable.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


def broker(messages: int) -> None:
    for label, url in (("TinyForge transport", None), ("kombu filesystem transport", "filesystem://")):
        folder = tempfile.mkdtemp(prefix="tinyforge-bench-broker-")
        cmd = [sys.executable, str(ROOT / "tests" / "embedded_broker_stress.py"), folder, "4", str(messages // 4), "2"]
        done = subprocess.run(cmd + ([url] if url else []), capture_output=True, text=True, cwd=ROOT)
        f = json.loads(done.stdout.strip().splitlines()[-1])
        print(
            f"{label:>28}: sent {f['sent']}, received {f['received']}, duplicates {f['duplicates']}, "
            f"reader deaths {len(f['reader_errors'])} {f['reader_errors'][:1]}, {f['seconds']} s"
        )


def previews(calls: int, threads: int) -> None:
    from test_embedded_default import preview_setup

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data = Path(tempfile.mkdtemp(prefix="tinyforge-bench-serve-"))
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL")}
    env.update({"DATA_DIR": str(data / "data"), "PYTHONPATH": str(ROOT)})
    console = open(data / "console.txt", "w")
    proc = subprocess.Popen(
        ["taskset", "-c", "0", sys.executable, "-m", "backend.cli.main", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=console,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(url + "/api/health", timeout=5).json()["status"] == "ok":
                    break
            except (httpx.HTTPError, ValueError):
                pass
            time.sleep(0.2)
        c, path, body = preview_setup(url)

        def one(i: int) -> int:
            try:
                return httpx.post(
                    url + path, json={**body, "window_start_ms": (i % 8) * 1000}, cookies=c.cookies, timeout=60
                ).status_code
            except httpx.HTTPError:
                return 0

        started = time.perf_counter()
        with ThreadPoolExecutor(threads) as pool:
            answers = list(pool.map(one, range(calls)))
        elapsed = time.perf_counter() - started
        restarts = (data / "console.txt").read_text().count("stopped unexpectedly")
        unreadable = len(list((data / "data" / "broker" / "unreadable").iterdir()))
        codes = {code: answers.count(code) for code in sorted(set(answers))}
        print(
            f"DSP previews on one core ({threads} threads): {calls} calls in {elapsed:.1f} s "
            f"({calls / elapsed:.1f}/s), answers {codes}, worker restarts {restarts}, unreadable messages "
            f"{unreadable}, lost replies {calls - answers.count(200)}"
        )
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        console.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--messages", type=int, default=2000)
    ap.add_argument("--calls", type=int, default=2000)
    ap.add_argument("--threads", type=int, default=16)
    args = ap.parse_args()
    broker(args.messages)
    previews(args.calls, args.threads)


if __name__ == "__main__":
    main()
