"""Wall time of the tuner's 16-candidate search on the synthetic motion project with 1 worker
process and with N (default 2), and the speed-up. Real PostgreSQL and Redis on 127.0.0.1 (a
scratch database is created and dropped), real Celery worker processes, the API in process.
Prints figures; never asserts on time.

    python bench/bench_tuner.py [--workers 2] [--candidates 16] [--per-class 6] [--seconds 6] [--tf-threads 1]

--tf-threads sets the workers' TUNER_TF_THREADS (TensorFlow threads per candidate; 0 = TensorFlow's
own choice, as before the setting existed).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
RUN = secrets.token_hex(3)
DB = f"tinyforge_bench_tuner_{RUN}"

from testkit import PG_ADMIN_URL, REDIS_URL, Api, WorkerProcess, wait_for  # noqa: E402

os.environ.update(
    {
        "TINYFORGE_ENV": "test",
        "DATABASE_URL": PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + DB,
        "CELERY_BROKER_URL": REDIS_URL,
        "REDIS_URL": REDIS_URL,
        "INSTANCE_NAME": f"tfbench_{RUN}",
        "DATA_DIR": tempfile.mkdtemp(prefix="tinyforge-bench-"),
        "SECRET_KEY": "bench-secret-key-0123456789abcdef0123456789",
        "JOB_HEARTBEAT_TIMEOUT": "10",
    }
)


def _motion():
    spec = importlib.util.spec_from_file_location("bench_motion", ROOT / "tests/backend/impulse/motion_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _database(create: bool) -> None:
    from sqlalchemy import create_engine, text

    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{DB}"' if create else f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)'))
    admin.dispose()


def search(
    owner: Api, pid: int, impulse_id: int, n_workers: int, candidates: int, tf_threads: int
) -> tuple[float, dict]:
    workers = [WorkerProcess({"TUNER_TF_THREADS": str(tf_threads)}) for _ in range(n_workers)]
    try:
        for w in workers:  # warm, as a team server's long-running workers are
            w.wait_ready().wait_warm()
        t0 = time.perf_counter()
        body = {"impulse_id": impulse_id, "budget": {"candidates": candidates}}
        r = owner.post(f"/api/projects/{pid}/tuner/runs", json=body)
        assert r.status_code == 201, r.text
        url = f"/api/projects/{pid}/tuner/runs/{r.json()['id']}"
        detail = wait_for(
            lambda: (d := owner.get(url).json())["status"] != "running" and d, timeout=3600, interval=0.5, what="run"
        )
        return time.perf_counter() - t0, detail
    finally:
        for w in workers:
            w.stop()


def busy(run_id: int, seconds: float) -> str:
    """Each worker process's share of the search's wall time spent running candidate jobs."""
    from sqlalchemy import select

    from backend.core import task_names
    from backend.core.db import get_sessionmaker
    from backend.models.job import Job

    per_worker: dict[str, float] = {}
    with get_sessionmaker()() as s:
        for j in s.scalars(select(Job).where(Job.kind == task_names.TUNER_CANDIDATE)):
            if j.params.get("run_id") == run_id and j.started_at and j.finished_at and j.worker:
                per_worker[j.worker] = per_worker.get(j.worker, 0.0) + (j.finished_at - j.started_at).total_seconds()
    return ", ".join(f"{100 * v / seconds:.0f} %" for v in sorted(per_worker.values(), reverse=True))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--candidates", type=int, default=16)
    ap.add_argument("--per-class", type=int, default=6)
    ap.add_argument("--seconds", type=float, default=6.0)
    ap.add_argument("--tf-threads", type=int, default=1)
    args = ap.parse_args()

    from fastapi.testclient import TestClient

    from backend.core import migrate
    from backend.main import create_app

    _database(True)
    try:
        migrate.upgrade(os.environ["DATABASE_URL"])
        motion = _motion()
        with TestClient(create_app()) as client:
            r = client.post("/api/auth/signup", json={"username": f"bench_{RUN}", "password": "correct horse battery"})
            owner = Api(client, f"bench_{RUN}", r.json()["token"], r.json()["user"]["id"])
            client.cookies.clear()
            pid = owner.post("/api/projects", json={"name": "Tuner bench"}).json()["id"]
            motion.add_motion_dataset(pid, train_per_class=args.per_class, test_per_class=3, seconds=args.seconds)
            impulse = owner.post(f"/api/projects/{pid}/impulses", json={"name": "m", "config": motion.IMPULSE}).json()
            times = {}
            for n in sorted({1, args.workers}):
                times[n], detail = search(owner, pid, impulse["id"], n, args.candidates, args.tf_threads)
                done = [c for c in detail["candidates"] if c["status"] in ("done", "pruned")]
                jobs = sum(c["runs"] for c in detail["candidates"])
                print(
                    f"{n} worker process(es): {times[n]:.1f} s for {len(detail['candidates'])} candidates "
                    f"({jobs} candidate rounds, {len(done)} measured, run {detail['status']}); "
                    f"busy running candidates: {busy(detail['id'], times[n])}"
                )
        if args.workers > 1:
            print(
                f"speed-up 1 -> {args.workers} processes: {times[1] / times[args.workers]:.2f}x on {os.cpu_count()} cores "
                f"({args.tf_threads or 'default'} TensorFlow thread(s) per candidate)"
            )
    finally:
        from backend.core.db import get_engine

        get_engine().dispose()
        _database(False)


if __name__ == "__main__":
    main()
