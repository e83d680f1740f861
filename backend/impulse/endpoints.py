"""Impulse routes: configurations, the block catalogue, pipeline jobs, preview and classify."""

from __future__ import annotations

from fastapi import APIRouter, Response

from backend.blocks.learning import LEARNING_BLOCKS, proposals_by_processing_block
from backend.blocks.processing import PROCESSING_BLOCKS
from backend.core import rpc, task_names
from backend.core.deps import ProjectEditor, ProjectViewer, SessionDep
from backend.core.ids import PathId
from backend.impulse import repository, service
from backend.impulse.schemas import (
    ClassifyRequest,
    FeaturesStart,
    ImpulseCreate,
    ImpulsePublic,
    ImpulseUpdate,
    PreviewRequest,
    TestStart,
    TrainStart,
)
from backend.job.schemas import JobPublic

catalogue_router = APIRouter(tags=["impulses"])
router = APIRouter(prefix="/api/projects/{project_id}/impulses", tags=["impulses"])


@catalogue_router.get("/api/blocks", summary="The processing and learning blocks with their parameters")
def list_blocks():
    return {
        "processing": [s.to_json() for s in PROCESSING_BLOCKS.values()],
        # neural blocks list what they propose per processing block (network, augmentation)
        "learning": [
            {**s.to_json(), "proposals": proposals_by_processing_block(list(PROCESSING_BLOCKS))}
            if any(p.name == "architecture" for p in s.params)
            else s.to_json()
            for s in LEARNING_BLOCKS.values()
        ],
    }


@router.get("", response_model=list[ImpulsePublic])
def list_impulses(ctx: ProjectViewer, session: SessionDep):
    return [service.to_public(i) for i in repository.list_for_project(session, ctx.project.id)]


@router.post("", response_model=ImpulsePublic, status_code=201)
def create_impulse(body: ImpulseCreate, ctx: ProjectEditor, session: SessionDep):
    return service.to_public(service.create_impulse(session, ctx, body))


@router.get("/{impulse_id}", response_model=ImpulsePublic)
def get_impulse(impulse_id: PathId, ctx: ProjectViewer, session: SessionDep):
    return service.to_public(service.get_impulse(session, ctx, impulse_id))


@router.patch("/{impulse_id}", response_model=ImpulsePublic)
def update_impulse(impulse_id: PathId, body: ImpulseUpdate, ctx: ProjectEditor, session: SessionDep):
    return service.to_public(service.update_impulse(session, ctx, impulse_id, body))


@router.delete("/{impulse_id}", status_code=204)
def delete_impulse(impulse_id: PathId, ctx: ProjectEditor, session: SessionDep):
    service.delete_impulse(session, ctx, impulse_id)
    return Response(status_code=204)


@router.post("/{impulse_id}/features", response_model=JobPublic, status_code=201)
def generate_features(impulse_id: PathId, ctx: ProjectEditor, session: SessionDep, body: FeaturesStart | None = None):
    return service.start_job(session, ctx, impulse_id, "features", (body or FeaturesStart()).model_dump())


@router.post("/{impulse_id}/train", response_model=JobPublic, status_code=201)
def train(impulse_id: PathId, ctx: ProjectEditor, session: SessionDep, body: TrainStart | None = None):
    return service.start_job(session, ctx, impulse_id, "train", (body or TrainStart()).model_dump())


@router.post("/{impulse_id}/test", response_model=JobPublic, status_code=201)
def test(impulse_id: PathId, ctx: ProjectEditor, session: SessionDep, body: TestStart | None = None):
    return service.start_job(session, ctx, impulse_id, "test", (body or TestStart()).model_dump())


@router.get("/{impulse_id}/model", response_model=JobPublic, summary="The latest succeeded training job")
def trained_model(impulse_id: PathId, ctx: ProjectViewer, session: SessionDep):
    return service.latest_trained(session, ctx, impulse_id)


@router.post("/{impulse_id}/preview", summary="DSP of one window: each block's features and graphs")
async def preview(impulse_id: PathId, body: PreviewRequest, ctx: ProjectViewer, session: SessionDep):
    payload = service.preview_payload(session, ctx, impulse_id, body)
    session.close()
    return await rpc.call(task_names.PREVIEW, payload)


@router.post("/{impulse_id}/classify", summary="Run one sample or raw values through the trained impulse")
async def classify(impulse_id: PathId, body: ClassifyRequest, ctx: ProjectViewer, session: SessionDep):
    payload = service.classify_payload(session, ctx, impulse_id, body)
    session.close()
    return await rpc.call(task_names.CLASSIFY, payload, timeout=30)
