"""Tuner routes: start a search, follow it (the candidates also stream as project events), cancel, apply."""

from __future__ import annotations

from fastapi import APIRouter

from backend.core.deps import ProjectEditor, ProjectViewer, SessionDep
from backend.core.ids import PathId
from backend.impulse.schemas import ImpulsePublic
from backend.impulse.service import to_public
from backend.tuner import repository, service
from backend.tuner.schemas import (
    ApplyCandidate,
    TunerCandidatePublic,
    TunerRunCreate,
    TunerRunDetail,
    TunerRunPublic,
)

router = APIRouter(prefix="/api/projects/{project_id}/tuner", tags=["tuner"])


def _detail(run, candidates) -> TunerRunDetail:
    return TunerRunDetail(
        **TunerRunPublic.model_validate(run).model_dump(),
        candidates=[TunerCandidatePublic.model_validate(c) for c in candidates],
    )


@router.get("/runs", response_model=list[TunerRunPublic])
def list_runs(ctx: ProjectViewer, session: SessionDep):
    return repository.list_runs(session, ctx.project.id)


@router.post(
    "/runs", response_model=TunerRunDetail, status_code=201, summary="Start a search of impulse configurations"
)
def start_run(body: TunerRunCreate, ctx: ProjectEditor, session: SessionDep):
    run = service.start_run(session, ctx, body)
    return _detail(run, repository.candidates(session, run.id))


@router.get("/runs/{run_id}", response_model=TunerRunDetail)
def get_run(run_id: PathId, ctx: ProjectViewer, session: SessionDep):
    return _detail(*service.run_detail(session, ctx, run_id))


@router.post("/runs/{run_id}/cancel", response_model=TunerRunDetail)
def cancel_run(run_id: PathId, ctx: ProjectEditor, session: SessionDep):
    run = service.cancel_run(session, ctx, run_id)
    return _detail(run, repository.candidates(session, run.id))


@router.post(
    "/runs/{run_id}/candidates/{candidate_id}/apply",
    response_model=ImpulsePublic,
    status_code=201,
    summary="Create a new impulse with this candidate's configuration",
)
def apply_candidate(
    run_id: PathId, candidate_id: PathId, ctx: ProjectEditor, session: SessionDep, body: ApplyCandidate | None = None
):
    return to_public(service.apply_candidate(session, ctx, run_id, candidate_id, (body or ApplyCandidate()).name))
