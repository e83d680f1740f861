"""The tuner: start a search over impulse configurations, follow it, cancel it, apply a candidate.

A run stores its candidates (validated impulse configurations) and one job per candidate and
round; the jobs are sent to the workers after the commit. The search logic of later rounds is
in backend/tuner/scheduler.py (run by whoever stores a round's last result).
"""

from __future__ import annotations

import copy
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.activity.service import record
from backend.core.deps import ProjectContext
from backend.core.errors import Conflict, NotFound
from backend.impulse import repository as impulses
from backend.impulse import service as impulse_service
from backend.impulse.schemas import ImpulseCreate
from backend.impulse.validation import DataFacts
from backend.models.base import utcnow
from backend.models.impulse import Impulse
from backend.models.tuner import TunerCandidate, TunerRun
from backend.tuner import repository, scheduler, space
from backend.tuner.schemas import TunerRunCreate


def _base_impulse(session: Session, ctx: ProjectContext, impulse_id: int | None) -> Impulse:
    if impulse_id is not None:
        return impulse_service.get_impulse(session, ctx, impulse_id)
    latest = session.scalar(select(Impulse).where(Impulse.project_id == ctx.project.id).order_by(Impulse.id.desc()))
    if latest is None:
        raise Conflict("The tuner starts from an impulse's input (axes, frequency, window): create an impulse first")
    return latest


def _baseline(config: dict) -> dict | None:
    """The base impulse as a candidate (its classifier only), or None when it has no classifier."""
    learning = [b for b in config["learning"] if b["type"] == "keras-classifier"]
    if len(learning) != 1:
        return None
    return {**copy.deepcopy(config), "learning": copy.deepcopy(learning)}


def start_run(session: Session, ctx: ProjectContext, body: TunerRunCreate) -> TunerRun:
    base = _base_impulse(session, ctx, body.impulse_id)
    inp = dict(base.config["input"])
    preset = space.detect_preset(inp) if body.preset == "auto" else body.preset
    if preset == "audio" and space.detect_preset(inp) != "audio":
        raise space.SearchSpaceError("preset", "audio needs an impulse with one axis sampled at 8 kHz or more")
    if body.budget.final_epochs < body.budget.first_epochs:
        raise space.SearchSpaceError("budget.final_epochs", "must be at least budget.first_epochs")
    axes, longest = impulses.data_facts(session, ctx.project.id)
    if longest is None:
        raise Conflict("The project has no enabled samples to tune on: add training and test data first")
    chosen = space.candidates(
        preset,
        inp,
        body.space.model_dump(exclude_none=True),
        DataFacts(axes=axes, longest_ms=longest),
        body.budget.candidates,
        body.seed,
    )
    baseline = _baseline(base.config)
    if baseline is not None:
        chosen = [("your impulse: " + base.name, baseline), *chosen[: body.budget.candidates - 1]]
    now = utcnow()
    run = TunerRun(
        project_id=ctx.project.id,
        base_impulse_id=base.id,
        status="running",
        preset=preset,
        space={**body.space.model_dump(mode="json"), "seed": body.seed},
        constraints=body.constraints.resolved(),
        budget=body.budget.model_dump(mode="json"),
        # equal epochs in both rounds would measure nothing new: then one round, no halving
        schedule=[body.budget.first_epochs]
        if body.budget.final_epochs == body.budget.first_epochs
        else [body.budget.first_epochs, body.budget.final_epochs],
        round=1,
        created_by_id=ctx.user.id if ctx.user else None,
        created_at=now,
        deadline_at=now + timedelta(minutes=body.budget.minutes) if body.budget.minutes else None,
    )
    session.add(run)
    session.flush()
    job_ids = []
    for number, (label, config) in enumerate(chosen, start=1):
        config = copy.deepcopy(config)
        config["learning"][0]["params"]["epochs"] = body.budget.final_epochs  # what "apply" keeps
        c = TunerCandidate(
            run_id=run.id,
            project_id=ctx.project.id,
            number=number,
            label=label[:200],
            config=config,
            baseline=baseline is not None and number == 1,
        )
        session.add(c)
        session.flush()
        job = scheduler.new_job(session, run, c, 1)
        c.job_id = job.id
        job_ids.append(job.id)
    record(session, ctx, "tuner.started", run_id=run.id, candidates=len(chosen), preset=preset)
    session.commit()
    scheduler.announce_run(run)
    scheduler.send_jobs(session, job_ids)
    return run


def get_run(session: Session, ctx: ProjectContext, run_id: int) -> TunerRun:
    run = repository.get_run(session, ctx.project.id, run_id)
    if run is None:
        raise NotFound(f"Tuner run {run_id} not found")
    return run


def run_detail(session: Session, ctx: ProjectContext, run_id: int) -> tuple[TunerRun, list[TunerCandidate]]:
    run = get_run(session, ctx, run_id)
    if run.status == "running":
        scheduler.advance(session, run.id)  # settles candidates whose job was lost for good
        session.expire_all()  # what the workers changed meanwhile, not what this session saw
    return run, repository.candidates(session, run.id)


def cancel_run(session: Session, ctx: ProjectContext, run_id: int) -> TunerRun:
    run = get_run(session, ctx, run_id)
    if not repository.finish_run(session, run.id, "cancelled", error="cancelled by a user"):
        raise Conflict(f"Tuner run {run_id} has {run.status} already")
    job_ids = repository.close_open(session, run.id, "cancelled", "the run was cancelled")
    record(session, ctx, "tuner.cancelled", run_id=run.id)
    session.commit()
    scheduler.cancel_jobs(session, job_ids, "the tuner run was cancelled")
    session.refresh(run)
    scheduler.announce_run(run)
    return run


def apply_candidate(session: Session, ctx: ProjectContext, run_id: int, candidate_id: int, name: str | None) -> Impulse:
    """A new impulse with the candidate's configuration (versioned like every impulse)."""
    run = get_run(session, ctx, run_id)
    c = repository.candidate(session, run.id, candidate_id)
    if c is None:
        raise NotFound(f"Candidate {candidate_id} not found in tuner run {run_id}")
    if c.status not in ("done", "pruned"):
        raise Conflict(f"Candidate {candidate_id} has no result ({c.status}): apply a measured candidate")
    impulse = impulse_service.create_impulse(
        session, ctx, ImpulseCreate(name=name or f"tuner {run.id} candidate {c.number}", config=c.config)
    )
    record(session, ctx, "tuner.applied", run_id=run.id, candidate_id=c.id, impulse_id=impulse.id)
    session.commit()
    return impulse
