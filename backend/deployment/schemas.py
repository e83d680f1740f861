from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from backend.blocks.boards import BOARDS, get_board
from backend.core.ids import Id

Target = Literal["arduino", "cpp", "tflite", "wasm"]
Variant = Literal["int8", "float32"]


class DeploymentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    impulse_id: Id | None = Field(
        None, description="The impulse to deploy; default: the project's only (or most recently trained) impulse"
    )
    target: Target = Field(
        description="arduino: Arduino library zip; cpp: C/C++ library with CMake; "
        "tflite: the .tflite model and its metadata; wasm: the same C as a WebAssembly module with a JS wrapper"
    )
    variant: Variant = Field("int8", description="int8 (default) or float32 network")
    board: str | None = Field(
        None,
        max_length=64,
        description="a board id of GET /api/boards: the build's estimates (and its metadata) are for that board too",
    )

    @field_validator("board")
    @classmethod
    def _board(cls, v: str | None) -> str | None:
        if v is not None and get_board(v) is None:
            raise ValueError(f"unknown board {v!r} (known: {', '.join(b.id for b in BOARDS)})")
        return v


class ArtifactInfo(BaseModel):
    name: str
    size: int
    sha256: str
    module_sha256: str | None = Field(None, description="wasm builds: sha256 of the .wasm module")
    sources_sha256: str | None = Field(
        None, description="wasm builds: sha256 of the library's C sources the module was compiled from"
    )


class TargetPublic(BaseModel):
    id: str
    label: str
    help: str
    available: bool
    reason: str | None = Field(None, description="Why this installation cannot build the target")


class DeploymentPublic(BaseModel):
    id: int
    project_id: int
    build_number: int
    version: str
    impulse_id: int
    impulse_version: int | None
    training_job_id: int | None
    target: str
    variant: str
    job_id: int | None
    status: str  # the build job's: queued, running, succeeded, failed, cancelled
    error: str | None
    artifact: ArtifactInfo | None
    estimates: dict[str, Any] | None
    download_url: str | None
    created_at: datetime


class PhoneBuildPublic(BaseModel):
    """The WebAssembly build the phone page runs, as a device key sees it."""

    deployment_id: int
    build_number: int
    impulse_id: int
    status: str  # the build job's: queued, running, succeeded, failed, cancelled
    progress: float
    error: str | None
    module_url: str | None = Field(None, description="Where to download the .wasm (with the same x-api-key)")
    module_sha256: str | None
    sources_sha256: str | None
    created_at: datetime
