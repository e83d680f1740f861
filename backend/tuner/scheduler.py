"""The tuner's coordinator: successive halving without a process that waits.

Round 1 evaluates every candidate at `schedule[0]` epochs; each later round trains the better
half of the previous round again at its own (larger) epoch count. Nobody holds a worker to wait
for a round: whoever stores a result (a worker, or the API when it notices a candidate whose job
was lost for good) calls `advance`. While a round still has jobs out, a candidate whose place in
the better half is already certain (whatever the missing results turn out to be) goes on to the
next round at once, so a worker that runs out of this round's jobs is not left idle at the round's
end. Whoever stores the round's last result sends the rest of the better half on, or finishes the
run; compare-and-sets on the run's `round` and on each candidate's round let exactly one process
make each of these moves.
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
    """Within the limits first, then int8 test accuracy, then fewer instructions (then the
    candidate's number, so that the order is total and every process ranks alike)."""
    return (
        c.fits is False,
        -(c.accuracy_int8 or 0.0),
        c.instructions if c.instructions is not None else 1 << 62,
        c.number,
    )


def better_half(searched: int) -> int:
    """How many of `searched` measured candidates go on to the next round."""
    return max(1, math.ceil(searched / 2))


def certain_of_next_round(ranked: list[TunerCandidate], ahead: int, pending: int) -> list[TunerCandidate]:
    """The measured candidates of a round that will be in its better half whatever the `pending`
    results (still out) turn out to be. `ranked`: the measured candidates not yet sent on, best
    first; `ahead`: measured candidates sent on already (counted as ranking above every one here).
    A candidate is certain when the candidates that could end up above it (those ranked above, the
    ones sent on, every pending one) are fewer than the smallest the better half can be (when every
    pending job fails). This only grows as results come in, so a candidate sent on early is one
    the round's end would have chosen too."""
    smallest = better_half(len(ranked) + ahead)
    return [c for i, c in enumerate(ranked) if ahead + i + pending < smallest]


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


def _send_on(session: Session, run: TunerRun, chosen: list[TunerCandidate], round_: int) -> list[int]:
    """Candidates measured in `round_` -> the next round (each a compare-and-set: one that another
    process sent on or pruned meanwhile is left alone); the new jobs' ids, to send after the commit."""
    new = []
    for c in longest_first(session, chosen):
        job = new_job(session, run, c, round_ + 1)
        if repository.schedule(session, c.id, round_, job.id):
            new.append(job.id)
        else:
            session.delete(job)
            session.flush()
    return new


def _announce_all(session: Session, run: TunerRun) -> None:
    session.refresh(run)
    announce_run(run)
    for c in repository.candidates(session, run.id):
        announce_candidate(c)


def _send_certain_on(session: Session, run: TunerRun, round_: int) -> None:
    """While `round_` has results out: send on the candidates already certain of the better half."""
    rows = repository.candidates(session, run.id)
    measured = [c for c in rows if c.round == round_ and c.status == "done" and c.result_round == round_]
    ahead = sum(1 for c in rows if c.round == round_ + 1 and not c.baseline)
    pending = sum(1 for c in rows if c.round == round_ and c.status in repository.OPEN and not c.baseline)
    ranked = sorted((c for c in measured if not c.baseline), key=rank_key)
    chosen = certain_of_next_round(ranked, ahead, pending) + [c for c in measured if c.baseline]
    if not chosen:
        return
    new = _send_on(session, run, chosen, round_)
    session.commit()
    if new:
        _announce_all(session, run)
        send_jobs(session, new)


def take_back(session: Session, run: TunerRun, round_: int, sent: list[TunerCandidate], cancel: bool = True) -> int:
    """The run ends at `round_` (or its time is up before these candidates' next round started):
    candidates sent on return to their `round_` result, done, and (with `cancel`) their next-round
    jobs are cancelled. How many were taken back."""
    cancelled = []
    for c in sent:
        job = session.get(Job, c.job_id) if c.job_id else None
        previous = job.params.get("continue_from_job") if job is not None else None
        if repository.unschedule(session, c.id, round_, previous):
            cancelled.append(c.job_id)
    session.commit()
    for c in sent:
        session.refresh(c)
        announce_candidate(c)
    if cancel:
        cancel_jobs(session, [j for j in cancelled if j is not None], "the tuner run ended before this round")
    return len(cancelled)


def advance(session: Session, run_id: int) -> None:
    """Send certain candidates on early; schedule the next round or finish the run once the
    current round has every result."""
    run = session.get(TunerRun, run_id)
    if run is None or run.status != "running":
        return
    session.refresh(run)
    _settle_lost(session, run)
    round_ = run.round
    out_of_time = run.deadline_at is not None and utcnow() >= run.deadline_at
    more = round_ < len(run.schedule) and not out_of_time
    if repository.open_in_round(session, run.id, round_):
        if more:
            _send_certain_on(session, run, round_)
        return
    rows = repository.candidates(session, run.id)
    measured = [c for c in rows if c.status == "done" and c.round == round_]
    sent = [c for c in rows if c.round == round_ + 1]  # sent on early, while the round had results out
    if more and len(measured) + len(sent) > 1:
        if not repository.advance_round(session, run.id, round_):
            session.rollback()
            return  # another process advanced it
        searched = sorted((c for c in measured if not c.baseline), key=rank_key)
        ahead = sum(1 for c in sent if not c.baseline)
        keep = searched[: max(0, better_half(len(searched) + ahead) - ahead)]
        keep += [c for c in measured if c.baseline]  # the yardstick goes to the last round too
        repository.prune(session, [c.id for c in measured if c not in keep], round_)
        new = _send_on(session, run, keep, round_)
        session.commit()
        _announce_all(session, run)
        send_jobs(session, new)
        return
    if sent:
        take_back(session, run, round_, sent)
        rows = repository.candidates(session, run.id)
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
