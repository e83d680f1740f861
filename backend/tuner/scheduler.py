"""The tuner's coordinator: successive halving without a process that waits.

Round 1 evaluates every candidate at `schedule[0]` epochs; each later round trains the better
half of the previous round again at its own (larger) epoch count. Nobody holds a worker to wait
for a round: whoever stores the last result of a round (a worker, or the API when it notices a
candidate whose job was lost for good) calls `advance`, and the compare-and-set on the run's
`round` lets exactly one of them schedule the next round or finish the run.
"""

from __future__ import annotations

import logging
import math
from typing import Any

from sqlalchemy.orm import Session

from backend.core import task_names
from backend.core.config import get_settings
from backend.core.events import project_channel, publish
from backend.core.jobs import BrokerUnavailable, celery_client, send_task
from backend.job import repository as jobs
from backend.models.base import utcnow
from backend.models.job import FINISHED_STATUSES, Job
from backend.models.tuner import TunerCandidate, TunerRun
from backend.tuner import repository
from backend.tuner.schemas import TunerCandidatePublic, TunerRunPublic

log = logging.getLogger(__name__)


def task_id(job_id: int) -> str:
    """The Celery id of a candidate job's message, so a cancel can revoke it."""
    return f"{get_settings().instance_name}-tuner-job-{job_id}"


def rank_key(c: TunerCandidate) -> tuple:
    """Within the limits first, then int8 test accuracy, then fewer instructions."""
    return (c.fits is False, -(c.accuracy_int8 or 0.0), c.instructions if c.instructions is not None else 1 << 62)


def round_params(run: TunerRun, c: TunerCandidate, round_: int) -> dict[str, Any]:
    """A candidate job's parameters. Round 1 trains `schedule[0]` epochs from scratch; a later round
    continues from the weights the candidate's previous job stored, for the epochs its round adds
    (so a finalist is trained `schedule[-1]` epochs in all, not the sum of the rounds)."""
    params: dict[str, Any] = {"run_id": run.id, "candidate_id": c.id, "round": round_}
    if round_ == 1 or c.job_id is None:
        return {**params, "epochs": run.schedule[round_ - 1]}
    return {
        **params,
        "epochs": max(1, run.schedule[round_ - 1] - c.epochs_done),
        "continue_from_job": c.job_id,
        "epochs_before": c.epochs_done,
        # without the previous weights (e.g. that job's artifacts are gone) the round starts afresh
        "epochs_from_scratch": run.schedule[round_ - 1],
    }


def new_job(session: Session, run: TunerRun, c: TunerCandidate, round_: int) -> Job:
    job = Job(
        project_id=run.project_id,
        kind=task_names.TUNER_CANDIDATE,
        params=round_params(run, c, round_),
        status="queued",
        queue=get_settings().instance_name,
        created_by_id=run.created_by_id,
    )
    session.add(job)
    session.flush()
    return job


def send_jobs(session: Session, job_ids: list[int]) -> None:
    """Send committed candidate jobs; one the broker refuses is failed at once (never left queued)."""
    failure: BrokerUnavailable | None = None
    queue = get_settings().instance_name
    for job_id in job_ids:
        try:
            send_task(task_names.TUNER_CANDIDATE, args=[job_id], queue=queue, task_id=task_id(job_id))
        except BrokerUnavailable as e:
            failure = e
            jobs.finish(session, job_id, None, "failed", error=f"not started: {e.message}", from_status="queued")
            session.commit()
    if failure is not None:
        raise failure


def revoke(job_ids: list[int]) -> None:
    """Drop queued candidate messages (best effort: a delivered one finds its job cancelled anyway)."""
    if not job_ids:
        return
    try:
        celery_client().control.revoke([task_id(j) for j in job_ids])
    except Exception as e:  # a revoke is an optimisation; the jobs' cancelled status is what counts
        log.warning("could not revoke tuner jobs: %s", e)


def cancel_jobs(session: Session, job_ids: list[int], reason: str) -> None:
    for job_id in job_ids:
        jobs.request_cancel(session, job_id)
        jobs.finish(session, job_id, None, "cancelled", error=reason, from_status="queued")
    session.commit()
    revoke(job_ids)


def announce_candidate(c: TunerCandidate) -> None:
    publish(
        project_channel(c.project_id),
        {
            "type": "tuner.candidate",
            "run_id": c.run_id,
            "candidate": TunerCandidatePublic.model_validate(c).model_dump(mode="json"),
        },
    )


def announce_run(run: TunerRun) -> None:
    publish(
        project_channel(run.project_id),
        {"type": "tuner.run", "run": TunerRunPublic.model_validate(run).model_dump(mode="json")},
    )


def _settle_lost(session: Session, run: TunerRun) -> None:
    """A candidate whose job ended without reporting (failed for good after lost workers, or
    cancelled) is closed with the job's reason, so its round can complete."""
    for c in repository.open_candidates(session, run.id):
        job = session.get(Job, c.job_id) if c.job_id else None
        if job is not None and job.status in FINISHED_STATUSES and job.params.get("round") == c.round:
            status = "cancelled" if job.status == "cancelled" else "failed"
            if repository.record_outcome(session, c.id, c.round, status, {"error": job.error or f"job {job.status}"}):
                session.commit()
                session.refresh(c)
                announce_candidate(c)


def longest_first(session: Session, rows: list[TunerCandidate]) -> list[TunerCandidate]:
    """Candidates by their last round's run time, longest first: with several workers taking jobs in
    the order they were sent, the round's slowest jobs start first and the round ends sooner (the
    next round waits for its last result)."""

    def seconds(c: TunerCandidate) -> float:
        job = session.get(Job, c.job_id) if c.job_id else None
        if job is None or job.started_at is None:
            return 0.0
        # the job that stores a round's last result calls this before its row is finished
        return ((job.finished_at or utcnow()) - job.started_at).total_seconds()

    return sorted(rows, key=seconds, reverse=True)


def advance(session: Session, run_id: int) -> None:
    """Schedule the next round or finish the run once the current round has every result."""
    run = session.get(TunerRun, run_id)
    if run is None or run.status != "running":
        return
    session.refresh(run)
    _settle_lost(session, run)
    round_ = run.round
    if repository.open_in_round(session, run.id, round_):
        return
    rows = repository.candidates(session, run.id)
    measured = [c for c in rows if c.status == "done" and c.round == round_]
    out_of_time = run.deadline_at is not None and utcnow() >= run.deadline_at
    if round_ < len(run.schedule) and len(measured) > 1 and not out_of_time:
        if not repository.advance_round(session, run.id, round_):
            session.rollback()
            return  # another process advanced it
        searched = [c for c in measured if not c.baseline]
        keep = sorted(searched, key=rank_key)[: max(1, math.ceil(len(searched) / 2))]
        keep += [c for c in measured if c.baseline]  # the yardstick goes to the last round too
        repository.prune(session, [c.id for c in measured if c not in keep])
        new = []
        for c in longest_first(session, keep):
            job = new_job(session, run, c, round_ + 1)
            repository.schedule(session, c.id, round_ + 1, job.id)
            new.append(job.id)
        session.commit()
        session.refresh(run)
        announce_run(run)
        for c in repository.candidates(session, run.id):
            session.refresh(c)
            announce_candidate(c)
        send_jobs(session, new)
        return
    finish(session, run, rows)


def finish(session: Session, run: TunerRun, rows: list[TunerCandidate]) -> None:
    measured = [c for c in rows if c.status in ("done", "pruned") and c.accuracy_int8 is not None]
    # the latest round's results are the better-trained ones: prefer them, then rank
    best = min(measured, key=lambda c: (-c.result_round, *rank_key(c))) if measured else None
    values: dict[str, Any] = {"best_candidate_id": best.id if best else None}
    if best is None:
        values["error"] = "no candidate produced a result"
    if repository.finish_run(session, run.id, "succeeded" if best else "failed", **values):
        session.commit()
        session.refresh(run)
        announce_run(run)
    else:
        session.rollback()
