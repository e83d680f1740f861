"""diagnostics.selftest: a small real job that proves the worker pipeline end to end.

It hashes a block of data round after round (real CPU work), reports progress and log lines,
and obeys cancel; the studio's health page and the tests use it.
"""

from __future__ import annotations

import hashlib
import time

from backend.core import task_names
from workers.celery_app import app
from workers.tasks.base import JobContext, JobTask


class SelfTest(JobTask):
    name = task_names.SELFTEST

    def run_job(self, ctx: JobContext) -> dict:
        steps = int(ctx.params.get("steps", 20))
        pause = float(ctx.params.get("step_seconds", 0.1))
        digest = hashlib.sha256(f"job-{ctx.job_id}".encode()).digest()
        for i in range(steps):
            ctx.check_cancelled()
            for _ in range(2000):
                digest = hashlib.sha256(digest).digest()
            _pause(ctx, pause)
            ctx.progress((i + 1) / steps, f"step {i + 1}/{steps}")
        return {"steps": steps, "digest": digest.hex()}


def _pause(ctx: JobContext, seconds: float) -> None:
    """Sleep in short slices, so that a cancel is obeyed within half a second of any pause."""
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        time.sleep(min(left, 0.5))
        ctx.check_cancelled()


selftest = app.register_task(SelfTest())
