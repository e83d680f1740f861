"""Estimates of a trained impulse on a board of the catalogue (backend/blocks/boards.py): the
training stored the Cortex-M4F figures of each variant per stage; the board's core turns them into
its instructions, latency, RAM and flash, and says whether they fit."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from backend.blocks.boards import STAGES, Board, get_board
from backend.boards.schemas import BoardEstimates, BoardPublic, VariantOnBoard
from backend.core.deps import ProjectContext
from backend.core.errors import Conflict, NotFound
from backend.deployment import repository as deployment_repository
from backend.impulse import repository as impulse_repository
from backend.impulse.service import get_impulse

VARIANTS = ("int8", "float32")


def find_board(board_id: str) -> Board:
    board = get_board(board_id)
    if board is None:
        raise NotFound(f"Board {board_id!r} not found: see GET /api/boards")
    return board


def _kb(n: float) -> str:
    return f"{n / 1024:.1f} KB"


def variant_on_board(board: Board, variant: str, estimate: dict[str, Any], accuracy: float | None) -> VariantOnBoard:
    """One variant's Cortex-M4F estimate (workers/codegen/estimate.py's shape) on `board`."""
    total = estimate["total"]
    stages = {s: float((estimate.get(s) or {}).get("instructions", 0)) for s in STAGES}
    if not any(stages.values()):  # no per-stage figures: the whole count, priced like the DSP
        stages["dsp"] = float(total["instructions"])
    instructions, latency = board.stage_latency_ms(
        stages,
        variant,
        (estimate.get("dsp") or {}).get("work"),
        (estimate.get("nn") or {}).get("work"),
    )
    core = board.core
    ram = int(total["ram_bytes"]) + core.extra_stack_bytes
    flash = int(round(int(total["flash_bytes"]) * core.flash_ratio))
    fits_ram, fits_flash = ram <= board.ram_kb * 1024, flash <= board.flash_kb * 1024
    problems = []
    if not fits_ram:
        problems.append(f"needs {_kb(ram)} of RAM; the {board.name} has {board.ram_kb} KB")
    if not fits_flash:
        problems.append(f"needs {_kb(flash)} of flash; the {board.name} has {board.flash_kb} KB")
    return VariantOnBoard(
        variant=variant,
        accuracy=accuracy,
        instructions=instructions,
        latency_ms=latency,
        ram_bytes=ram,
        flash_bytes=flash,
        fits_ram=fits_ram,
        fits_flash=fits_flash,
        fits=fits_ram and fits_flash,
        problems=problems,
    )


def board_estimates(session: Session, ctx: ProjectContext, board_id: str, impulse_id: int | None) -> BoardEstimates:
    board = find_board(board_id)
    if impulse_id is not None:
        impulse = get_impulse(session, ctx, impulse_id)
    else:
        trained = deployment_repository.trained_impulses(session, ctx.project.id)
        if not trained:
            raise NotFound("This project has no trained impulse: train one, then compare boards")
        impulse = trained[0]
    job = impulse_repository.latest_trained(session, impulse.id)
    if job is None:
        raise Conflict(f"Impulse {impulse.id} ({impulse.name}) has no trained model yet: train it first")
    result = job.result or {}
    estimates, metrics = result.get("estimates") or {}, result.get("metrics") or {}
    rows = [
        variant_on_board(board, v, estimates[v], (metrics.get(v) or {}).get("accuracy"))
        for v in VARIANTS
        if isinstance(estimates.get(v), dict) and "total" in estimates[v]
    ]
    if not rows:
        why = estimates.get("error") or "the training stored none"
        raise Conflict(f"Impulse {impulse.id} ({impulse.name}) has no on-device estimates: {why}")
    return BoardEstimates(
        board=BoardPublic(**board.public()), impulse_id=impulse.id, training_job_id=job.id, variants=rows
    )


def with_board(estimate: dict[str, Any], board_id: str, variant: str, accuracy: float | None) -> dict[str, Any]:
    """A build's Cortex-M4F estimates plus its figures on the chosen board (under "board")."""
    board = find_board(board_id)
    row = variant_on_board(board, variant, estimate, accuracy)
    return {**estimate, "board": {"id": board.id, "name": board.name, **row.model_dump()}}
