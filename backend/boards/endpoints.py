"""GET /api/boards: the board catalogue (backend/blocks/boards.py)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from backend.blocks.boards import BOARDS
from backend.core.deps import CurrentUser

router = APIRouter(tags=["boards"])


class BoardPublic(BaseModel):
    id: str
    name: str
    core: str
    clock_mhz: float
    ram_kb: int
    flash_kb: int
    cycles_per_instruction: float = Field(description="cycles per Cortex-M4 instruction of the cost model")
    cpi_measured: bool = Field(description="false: the cycles-per-instruction factor is an estimate")


@router.get("/api/boards", response_model=list[BoardPublic], summary="Boards the tuner can aim at")
def list_boards(user: CurrentUser):
    return [BoardPublic(**b.public()) for b in BOARDS]
