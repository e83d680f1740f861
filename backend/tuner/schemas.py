"""Requests and answers of the tuner API."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from backend.blocks.boards import BOARDS, get_board
from backend.blocks.processing import FFT_LENGTHS, MAX_FILTER_ORDER
from backend.core.ids import MAX_ID


class FilterVariant(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Literal["none", "low", "high"]
    cutoff: float = Field(3.0, gt=0, le=100_000, description="Hz (ignored without a filter)")
    order: int = Field(6, ge=1, le=MAX_FILTER_ORDER)


class SearchSpace(BaseModel):
    """Limits the preset's grid; every field left out takes the preset's values."""

    model_config = ConfigDict(extra="forbid")

    filters: list[FilterVariant] | None = Field(None, min_length=1, max_length=8)
    fft_lengths: list[int] | None = Field(None, min_length=1, max_length=8)
    overlap_frames: list[bool] | None = Field(None, min_length=1, max_length=2)
    window_sizes_ms: list[float] | None = Field(None, min_length=1, max_length=6)
    dense_units: list[list[int]] | None = Field(
        None, min_length=1, max_length=12, description="dense nets: units per layer, 1 or 2 layers"
    )
    conv1d: bool = Field(
        True, description="also try conv1d nets: over raw windows (motion), over MFE/MFCC frames (audio)"
    )
    flatten: bool = Field(True, description="also try flatten (per-axis statistics) with small dense nets (motion)")

    @field_validator("fft_lengths")
    @classmethod
    def _fft(cls, v: list[int] | None) -> list[int] | None:
        for i, n in enumerate(v or []):
            if n not in FFT_LENGTHS:
                raise ValueError(f"fft_lengths[{i}] = {n} is not a power of two between 8 and 4096")
        return v

    @field_validator("window_sizes_ms")
    @classmethod
    def _windows(cls, v: list[float] | None) -> list[float] | None:
        for i, w in enumerate(v or []):
            if not 10 <= w <= 60_000:
                raise ValueError(f"window_sizes_ms[{i}] = {w:g} must be between 10 and 60000 ms")
        return v

    @field_validator("dense_units")
    @classmethod
    def _dense(cls, v: list[list[int]] | None) -> list[list[int]] | None:
        for i, layers in enumerate(v or []):
            if not 1 <= len(layers) <= 2:
                raise ValueError(f"dense_units[{i}] must list 1 or 2 layers, got {len(layers)}")
            for j, u in enumerate(layers):
                if not 1 <= u <= 256:
                    raise ValueError(f"dense_units[{i}][{j}] = {u} must be between 1 and 256 units")
        return v


class Constraints(BaseModel):
    """What the chosen device allows. With a board (GET /api/boards), RAM and flash default to the
    board's and latency is the cost model's instructions at the board's clock; without one, the
    estimates are for a Cortex-M4F at 80 MHz."""

    model_config = ConfigDict(extra="forbid")

    board: str | None = Field(None, max_length=64, description="a board id of GET /api/boards")
    ram_kb: float | None = Field(None, gt=0, le=1_000_000)
    flash_kb: float | None = Field(None, gt=0, le=1_000_000)
    latency_ms: float | None = Field(None, gt=0, le=3_600_000)

    @field_validator("board")
    @classmethod
    def _board(cls, v: str | None) -> str | None:
        if v is not None and get_board(v) is None:
            raise ValueError(f"unknown board {v!r} (known: {', '.join(b.id for b in BOARDS)})")
        return v

    def resolved(self) -> dict[str, Any]:
        """The limits as the workers check them: a board's RAM/flash (or the smaller limit asked)
        and its clock and cycles per instruction for the latency."""
        out = self.model_dump(mode="json")
        board = get_board(self.board) if self.board else None
        if board is not None:
            out["ram_kb"] = min(board.ram_kb, self.ram_kb or board.ram_kb)
            out["flash_kb"] = min(board.flash_kb, self.flash_kb or board.flash_kb)
            out["clock_mhz"] = board.clock_mhz
            out["cycles_per_instruction"] = board.cycles_per_instruction
        return out


class Budget(BaseModel):
    model_config = ConfigDict(extra="forbid")

    candidates: int = Field(
        16, ge=2, le=64, description="configurations to try (with the base impulse itself when it is a classifier)"
    )
    minutes: float | None = Field(None, gt=0, le=1440, description="no new candidates start after this")
    first_epochs: int = Field(15, ge=1, le=500, description="epochs of the first round (every candidate)")
    final_epochs: int = Field(40, ge=1, le=1000, description="epochs of the second round (the better half)")


class TunerRunCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    impulse_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="take the input (axes, frequency, window) from this impulse"
    )
    preset: Literal["auto", "motion", "audio"] = "auto"
    space: SearchSpace = Field(default_factory=SearchSpace)
    constraints: Constraints = Field(default_factory=Constraints)
    budget: Budget = Field(default_factory=Budget)
    seed: int = Field(1, ge=0, le=2**31 - 1)


class TunerCandidatePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    number: int
    label: str
    baseline: bool
    config: dict[str, Any]
    status: str
    round: int
    epochs_done: int
    accuracy_float: float | None
    accuracy_int8: float | None
    ram_bytes: int | None
    flash_bytes: int | None
    instructions: int | None
    latency_ms: float | None
    fits: bool | None
    error: str | None
    worker: str | None
    runs: int
    job_id: int | None
    started_at: datetime | None
    finished_at: datetime | None


class TunerRunPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    project_id: int
    base_impulse_id: int | None
    status: str
    preset: str
    space: dict[str, Any]
    constraints: dict[str, Any]
    budget: dict[str, Any]
    schedule: list[int]
    round: int
    best_candidate_id: int | None
    error: str | None
    created_at: datetime
    deadline_at: datetime | None
    finished_at: datetime | None


class TunerRunDetail(TunerRunPublic):
    candidates: list[TunerCandidatePublic]


class ApplyCandidate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, min_length=1, max_length=120, description="name of the new impulse")
