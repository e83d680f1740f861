from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from backend.core.ids import Id

MAX_RAW_ROWS = 200_000
Variant = Literal["int8", "float32"]
VARIANT_HELP = "which network runs: int8 (default; what the device runs by default) or float32"


class ImpulseCreate(BaseModel):
    name: str = Field(min_length=1, max_length=120)
    config: dict[str, Any]


class ImpulseUpdate(BaseModel):
    version: int = Field(description="the version this edit starts from; a newer stored version answers 409")
    name: str | None = Field(None, min_length=1, max_length=120)
    config: dict[str, Any] | None = None


class ImpulsePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    project_id: int
    name: str
    config: dict[str, Any]
    version: int
    features_job_id: int | None
    features_version: int | None
    trained_job_id: int | None
    trained_version: int | None
    features_stale: bool
    model_stale: bool
    created_at: datetime
    updated_at: datetime


class FeaturesStart(BaseModel):
    include_invalid_signatures: bool = Field(False, description="also use samples whose signature is wrong")


class TrainStart(FeaturesStart):
    pass


class TestStart(BaseModel):
    threshold: float = Field(0.6, ge=0.0, le=1.0, description="below this top score a window is 'uncertain'")
    variant: Variant = Field("int8", description=VARIANT_HELP)


class SignalInput(BaseModel):
    """One stored sample, or raw values (rows of the impulse's axes) at a given interval."""

    sample_id: Id | None = None
    values: list[list[float]] | None = Field(None, description="rows x axes, in the impulse's input axes order")
    interval_ms: float | None = Field(None, gt=0, le=60_000)

    @model_validator(mode="after")
    def _one_source(self):
        if (self.sample_id is None) == (self.values is None):
            raise ValueError("send either sample_id or values (with interval_ms)")
        if self.values is not None:
            if self.interval_ms is None:
                raise ValueError("interval_ms is required with values")
            if not self.values or len(self.values) > MAX_RAW_ROWS:
                raise ValueError(f"values must have 1 to {MAX_RAW_ROWS} rows")
            width = len(self.values[0])
            if width == 0 or any(len(r) != width for r in self.values):
                raise ValueError("every row of values needs the same number of axes")
        return self


class PreviewRequest(SignalInput):
    window_start_ms: float = Field(0.0, ge=0, description="where the window starts in the sample")
    block_id: str | None = Field(None, description="only this processing block (default: all)")
    config: dict[str, Any] | None = Field(
        None,
        description="a draft (unsaved) configuration to preview instead of the stored one; "
        "checked like a save (422 naming the field)",
    )


class ClassifyRequest(SignalInput):
    threshold: float = Field(0.6, ge=0.0, le=1.0)
    variant: Variant = Field("int8", description=VARIANT_HELP)
