"""The network editor's live estimate: POST /api/projects/{id}/impulses/{id}/network-estimate."""

from __future__ import annotations

from fastapi import APIRouter

from backend.core.deps import ProjectViewer, SessionDep
from backend.core.ids import PathId
from backend.network import service
from backend.network.schemas import NetworkEstimate, NetworkEstimateRequest

router = APIRouter(prefix="/api/projects/{project_id}/impulses", tags=["network"])


@router.post(
    "/{impulse_id}/network-estimate",
    response_model=NetworkEstimate,
    summary="Shapes, parameters and on-device cost of a network being edited (before training)",
)
async def network_estimate(impulse_id: PathId, body: NetworkEstimateRequest, ctx: ProjectViewer, session: SessionDep):
    prepared = service.prepare(session, ctx, impulse_id, body)
    session.close()  # do not hold a connection while the worker answers
    return await service.estimate(prepared)
