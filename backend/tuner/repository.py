"""All SQL of the tuner: runs, candidates and the compare-and-set changes the workers race on.

Like every repository it never commits; each compare-and-set is committed by its caller at once
so that other processes see it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from backend.core import task_names
from backend.models.base import utcnow
from backend.models.job import Job
from backend.models.sample import Artifact
from backend.models.tuner import TunerCandidate, TunerRun

OPEN = ("queued", "running")
# The artifact kind of a candidate round's network weights, kept for the next round.
ROUND_WEIGHTS = "keras.weights"


def get_run(session: Session, project_id: int, run_id: int) -> TunerRun | None:
    return session.scalar(select(TunerRun).where(TunerRun.project_id == project_id, TunerRun.id == run_id))


def list_runs(session: Session, project_id: int, limit: int = 50) -> list[TunerRun]:
    return list(
        session.scalars(
            select(TunerRun).where(TunerRun.project_id == project_id).order_by(TunerRun.id.desc()).limit(limit)
        )
    )


def candidates(session: Session, run_id: int) -> list[TunerCandidate]:
    # populate_existing: other processes change candidates all the time; never answer from the identity map
    q = select(TunerCandidate).where(TunerCandidate.run_id == run_id).order_by(TunerCandidate.number)
    return list(session.scalars(q.execution_options(populate_existing=True)))


def candidate(session: Session, run_id: int, candidate_id: int) -> TunerCandidate | None:
    return session.scalar(
        select(TunerCandidate).where(TunerCandidate.run_id == run_id, TunerCandidate.id == candidate_id)
    )


def _cas(session: Session, model, where: list, values: dict[str, Any]) -> bool:
    res = session.execute(update(model).where(*where).values(**values).execution_options(synchronize_session=False))
    return res.rowcount == 1


def claim_candidate(session: Session, candidate_id: int, round_: int, worker: str) -> bool:
    """Start (or, after a lost worker, restart) a candidate's round; False if its result is in already."""
    return _cas(
        session,
        TunerCandidate,
        [
            TunerCandidate.id == candidate_id,
            TunerCandidate.round == round_,
            TunerCandidate.result_round < round_,
            TunerCandidate.status.in_(OPEN),
        ],
        {"status": "running", "worker": worker, "runs": TunerCandidate.runs + 1, "started_at": utcnow()},
    )


def record_outcome(session: Session, candidate_id: int, round_: int, status: str, values: dict[str, Any]) -> bool:
    """Store a round's result (or failure) once: the compare-and-set on `result_round` makes a
    second report of the same round (a re-run after a lost worker) change nothing."""
    return _cas(
        session,
        TunerCandidate,
        [
            TunerCandidate.id == candidate_id,
            TunerCandidate.round == round_,
            TunerCandidate.result_round < round_,
            TunerCandidate.status.in_(OPEN),
        ],
        {**values, "status": status, "result_round": round_, "finished_at": utcnow()},
    )


def open_in_round(session: Session, run_id: int, round_: int) -> int:
    """Candidates of `round_` whose result is not in yet."""
    return int(
        session.scalar(
            select(func.count(TunerCandidate.id)).where(
                TunerCandidate.run_id == run_id,
                TunerCandidate.round == round_,
                TunerCandidate.result_round < round_,
                TunerCandidate.status.in_(OPEN),
            )
        )
        or 0
    )


def open_candidates(session: Session, run_id: int) -> list[TunerCandidate]:
    q = select(TunerCandidate).where(TunerCandidate.run_id == run_id, TunerCandidate.status.in_(OPEN))
    return list(session.scalars(q.execution_options(populate_existing=True)))


def advance_round(session: Session, run_id: int, from_round: int) -> bool:
    """running run at `from_round` -> the next round; True for exactly one caller."""
    return _cas(
        session,
        TunerRun,
        [TunerRun.id == run_id, TunerRun.round == from_round, TunerRun.status == "running"],
        {"round": from_round + 1},
    )


def finish_run(session: Session, run_id: int, status: str, **values: Any) -> bool:
    """End a running run (compare-and-set) and drop the network weights its rounds kept for the
    next round (workers/tasks/tuner.py); an applied candidate is trained again as an impulse."""
    done = _cas(
        session,
        TunerRun,
        [TunerRun.id == run_id, TunerRun.status == "running"],
        {"status": status, "finished_at": utcnow(), **values},
    )
    if done:
        jobs = select(Job.id).where(Job.kind == task_names.TUNER_CANDIDATE, Job.params["run_id"].as_integer() == run_id)
        session.execute(
            delete(Artifact)
            .where(Artifact.kind == ROUND_WEIGHTS, Artifact.job_id.in_(jobs))
            .execution_options(synchronize_session=False)
        )
    return done


def schedule(session: Session, candidate_id: int, from_round: int, job_id: int) -> bool:
    """A candidate with a result for `from_round` -> the next round with its job (compare-and-set:
    True for exactly one caller, so a candidate never gets two jobs for one round)."""
    return _cas(
        session,
        TunerCandidate,
        [
            TunerCandidate.id == candidate_id,
            TunerCandidate.round == from_round,
            TunerCandidate.result_round == from_round,
            TunerCandidate.status == "done",
        ],
        {"status": "queued", "round": from_round + 1, "job_id": job_id},
    )


def unschedule(session: Session, candidate_id: int, to_round: int, job_id: int | None) -> bool:
    """Take back a candidate sent on to the next round before it started there (the run ends at
    `to_round` after all): it is done with its `to_round` result again."""
    return _cas(
        session,
        TunerCandidate,
        [
            TunerCandidate.id == candidate_id,
            TunerCandidate.round == to_round + 1,
            TunerCandidate.result_round == to_round,
            TunerCandidate.status.in_(OPEN),
        ],
        {"status": "done", "round": to_round, "job_id": job_id},
    )


def prune(session: Session, candidate_ids: list[int], round_: int) -> None:
    if candidate_ids:
        session.execute(
            update(TunerCandidate)
            .where(
                TunerCandidate.id.in_(candidate_ids),
                TunerCandidate.status == "done",
                TunerCandidate.round == round_,
            )
            .values(status="pruned")
            .execution_options(synchronize_session=False)
        )


def close_open(session: Session, run_id: int, status: str, error: str) -> list[int]:
    """Open candidates -> `status` (cancelled/failed); their job ids."""
    rows = open_candidates(session, run_id)
    if rows:
        session.execute(
            update(TunerCandidate)
            .where(TunerCandidate.id.in_([c.id for c in rows]), TunerCandidate.status.in_(OPEN))
            .values(status=status, error=error, finished_at=utcnow())
            .execution_options(synchronize_session=False)
        )
    return [c.job_id for c in rows if c.job_id is not None]
