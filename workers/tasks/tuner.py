"""tuner.evaluate_candidate: one round of one tuner candidate (see backend/tuner/scheduler.py).

The job row gives the claim, heartbeats and the reaper's re-queue of a lost worker's job; the
candidate row's own compare-and-sets make its result count once, and the last result of a round
moves the search on (no coordinator waits in a worker).
"""

from __future__ import annotations

import os
from typing import Any

from backend.core import task_names
from backend.impulse.repository import add_artifact, artifact
from backend.models.base import utcnow
from backend.models.tuner import TunerCandidate, TunerRun
from backend.tuner import repository, scheduler
from workers.celery_app import app
from workers.tasks.base import JobCancelled, JobContext, JobFailed, JobTask


def _should_stop(ctx: JobContext):
    def should_stop() -> bool:
        try:
            ctx.check_cancelled()
        except JobCancelled:
            return True
        return False

    return should_stop


def tf_threads() -> int:
    """TensorFlow threads per candidate: TUNER_TF_THREADS, default 1 (0 = TensorFlow's own choice,
    one thread per core). Candidates are small networks that several worker processes train side by
    side on one host; each process's TensorFlow taking every core made them compete (docs/tuner.md)."""
    raw = os.environ.get("TUNER_TF_THREADS", "1").strip() or "1"
    try:
        return max(0, int(raw))
    except ValueError:
        return 1


def limit_tf_threads(n: int) -> bool:
    """Set TensorFlow's intra- and inter-op threads to n before it starts; False when it ran already
    in this process (it then keeps its threads) or n is 0."""
    if n <= 0:
        return False
    import tensorflow as tf

    threading = tf.config.threading
    if threading.get_intra_op_parallelism_threads() == n and threading.get_inter_op_parallelism_threads() == n:
        return True
    try:
        threading.set_intra_op_parallelism_threads(n)
        threading.set_inter_op_parallelism_threads(n)
    except RuntimeError:  # "cannot be modified after initialization"
        return False
    return True


WEIGHTS = repository.ROUND_WEIGHTS


def _info(p: dict[str, Any]) -> dict[str, Any]:
    return {"tuner_run_id": p["run_id"], "tuner_candidate_id": p["candidate_id"], "round": p["round"]}


def _previous_weights(s, p: dict[str, Any]) -> bytes | None:
    """The network weights the candidate's previous round stored (None in round 1, or when gone)."""
    if "continue_from_job" not in p:
        return None
    row = artifact(s, p["continue_from_job"], WEIGHTS)
    return row.data if row is not None else None


class EvaluateCandidate(JobTask):
    name = task_names.TUNER_CANDIDATE

    def run(self, job_id: int) -> None:
        # TensorFlow's first import holds the GIL for seconds (more on a busy host), which would
        # starve the job's heartbeat thread and let the reaper hand a live candidate to another
        # worker: import it before claiming the job, while nothing is waiting on a heartbeat.
        import keras  # noqa: F401

        limit_tf_threads(tf_threads())
        super().run(job_id)

    def _close(self, ctx: JobContext, status: str, values: dict[str, Any]) -> bool:
        """Store this round's outcome once, announce it, and let the run move on."""
        p = ctx.params
        with ctx.session() as s:
            counted = repository.record_outcome(s, p["candidate_id"], p["round"], status, values)
            s.commit()
            if counted:
                scheduler.announce_candidate(s.get(TunerCandidate, p["candidate_id"]))
            scheduler.advance(s, p["run_id"])
        return counted

    def run_job(self, ctx: JobContext) -> dict[str, Any]:
        from workers.learn.errors import TrainingCancelled, TrainingDataError
        from workers.tuner.evaluate import evaluate_candidate

        p = ctx.params
        with ctx.session() as s:
            run = s.get(TunerRun, p["run_id"])
            if run is None or run.status != "running":
                return {"skipped": "the run is over"}
            if run.deadline_at is not None and utcnow() >= run.deadline_at:
                # a later round's candidate keeps the result of the round before (it stays in the ranking)
                c = s.get(TunerCandidate, p["candidate_id"])
                if p["round"] > 1 and c is not None and scheduler.take_back(s, run, p["round"] - 1, [c], cancel=False):
                    scheduler.advance(s, p["run_id"])
                    return {"skipped": f"time budget spent: the candidate keeps its round {p['round'] - 1} result"}
                self._close(ctx, "cancelled", {"error": "the run's time budget was spent before it started"})
                return {"skipped": "time budget spent"}
            if not repository.claim_candidate(s, p["candidate_id"], p["round"], ctx.worker):
                s.rollback()
                return {"skipped": "this round's result is in already"}
            s.commit()
            c = s.get(TunerCandidate, p["candidate_id"])
            config, constraints = c.config, dict(run.constraints)
            scheduler.announce_candidate(c)
            previous = _previous_weights(s, p)
        epochs, before = p["epochs"], 0
        if "continue_from_job" in p:
            if previous is None:
                ctx.log("the previous round's weights are gone: training this round from scratch")
                epochs = p["epochs_from_scratch"]
            else:
                before = p["epochs_before"]
        ctx.log(f"candidate {c.number} round {p['round']}: {c.label}, {epochs} epochs")
        try:
            measured, weights = evaluate_candidate(
                ctx.session,
                ctx.project_id,
                config,
                epochs,
                constraints,
                should_stop=_should_stop(ctx),
                log=ctx.log,
                continue_from=previous,
            )
        except (TrainingCancelled, JobCancelled):
            self._close(ctx, "cancelled", {"error": "cancelled"})
            raise JobCancelled() from None
        except (TrainingDataError, ValueError, LookupError) as e:
            self._close(ctx, "failed", {"error": str(e)})
            raise JobFailed(str(e)) from None
        except Exception as e:  # a bug: the candidate fails with the reason, the search goes on
            self._close(ctx, "failed", {"error": f"{type(e).__name__}: {e}"})
            raise
        measured["epochs_done"] += before
        if weights is not None:  # for the next round, stored before the result makes it start
            with ctx.session() as s:
                add_artifact(s, ctx.project_id, ctx.job_id, WEIGHTS, "weights.npz", weights, info=_info(p))
                s.commit()
        counted = self._close(ctx, "done", measured)
        ctx.log(f"int8 accuracy {measured['accuracy_int8']}, {measured.get('instructions')} instructions")
        return {**measured, "candidate_id": p["candidate_id"], "round": p["round"], "counted": counted}


evaluate_candidate_task = app.register_task(EvaluateCandidate())
