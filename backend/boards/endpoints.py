"""The board catalogue (backend/blocks/boards.py) and a trained impulse's estimates on a board."""

from __future__ import annotations

from fastapi import APIRouter, Query

from backend.blocks.boards import BOARDS
from backend.boards import service
from backend.boards.schemas import BoardEstimates, BoardPublic
from backend.core.deps import CurrentUser, ProjectViewer, SessionDep
from backend.core.ids import Id

router = APIRouter(tags=["boards"])


@router.get("/api/boards", response_model=list[BoardPublic], summary="Boards to deploy to (and aim the tuner at)")
def list_boards(user: CurrentUser):
    return [BoardPublic(**b.public()) for b in BOARDS]


@router.get(
    "/api/projects/{project_id}/boards/{board_id}/estimates",
    response_model=BoardEstimates,
    summary="float32 and int8 of the trained impulse on a board: accuracy, latency, RAM, flash, fits",
)
def board_estimates(
    board_id: str,
    ctx: ProjectViewer,
    session: SessionDep,
    impulse_id: Id | None = Query(None, description="default: the most recently trained impulse"),
):
    return service.board_estimates(session, ctx, board_id, impulse_id)
