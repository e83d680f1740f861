from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class BoardPublic(BaseModel):
    id: str
    name: str
    core: str
    clock_mhz: float
    ram_kb: int
    flash_kb: int
    fpu: Literal["none", "single", "double"] = Field(description="the core's floating-point unit")
    dsp_extension: bool = Field(description="SIMD multiply-accumulate instructions (used by the int8 kernels)")
    cycles_per_instruction: float = Field(
        description="cycles per Cortex-M4 instruction of the cost model for a whole impulse (the tuner's factor)"
    )
    core_cycles_per_instruction: float = Field(description="the core's own cycles per instruction (an estimate)")
    cpi_measured: bool = Field(description="false: the cycles-per-instruction factor is an estimate")
    latency_method: Literal["measured", "derived"] = Field(
        description="measured: the core's instruction counts come from qemu; derived: from the Cortex-M4F's"
    )
    latency_derivation: str = Field(description="how latency on this board is estimated")


class VariantOnBoard(BaseModel):
    variant: Literal["int8", "float32"]
    accuracy: float | None = Field(description="validation accuracy of this variant (0-1)")
    instructions: int = Field(description="instructions per window on the board's core")
    latency_ms: float
    ram_bytes: int
    flash_bytes: int
    fits_ram: bool
    fits_flash: bool
    fits: bool
    problems: list[str] = Field(description="why it does not fit, in words (empty when it fits)")


class BoardEstimates(BaseModel):
    board: BoardPublic
    impulse_id: int
    training_job_id: int
    variants: list[VariantOnBoard]
