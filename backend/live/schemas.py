from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

from backend.device.schemas import _no_control_chars


class LiveStart(BaseModel):
    impulse_id: int = Field(gt=0)
    sensor: str | None = Field(None, description="one of the device's sensors; default: its first that streams")
    variant: Literal["int8", "float32"] = "int8"
    threshold: float = Field(0.6, ge=0, le=1, description="a window below this top score reads 'uncertain'")


class LiveStop(BaseModel):
    session_id: str | None = Field(None, description="stop only this session (default: whichever is running)")


class LiveSessionPublic(BaseModel):
    """A live classification session: the device streams, each window's result is pushed to
    GET .../live/events as `live.result`; nothing is stored."""

    session_id: str
    device_id: str
    impulse_id: int
    train_job_id: int
    variant: str
    sensor: str
    mode: Literal["stream", "sampling"] = Field(
        description="stream: the device streams its readings; sampling: it only records samples, so it is "
        "asked for one short sample after another (uploaded to /api/live/..., classified, not stored)"
    )
    axes: list[str]
    interval_ms: float
    window_ms: float
    stride_ms: float
    max_s: float = Field(description="the session ends by itself after this many seconds")
    keep_s: float = Field(description="how many seconds of readings 'save as a test sample' can store")
    started_by: str
    started_at: float = Field(description="server clock, epoch milliseconds")
    readings: int
    windows: int
    skipped: int = Field(description="windows not classified because the worker was behind")
    rejected_chunks: int


class LiveResult(BaseModel):
    type: Literal["live.result"] = "live.result"
    session_id: str
    index: int
    window_start_ms: float = Field(description="since the first streamed reading")
    reading_ts: float = Field(description="the device's clock (epoch ms) of the newest reading in the window")
    classified_ts: float = Field(description="server clock (epoch ms) when the result was ready")
    classification: dict[str, float] | None = None
    prediction: str | None = None
    value: float | None = None
    anomaly: float | None = None
    skipped: int = 0


class LiveStatus(BaseModel):
    session: LiveSessionPublic | None
    recent: list[LiveResult] = []


class LiveSave(BaseModel):
    label: str = Field(min_length=1, max_length=128)
    seconds: float = Field(10, gt=0, le=60, description="the last this many seconds of readings")
    name: str | None = Field(None, max_length=128)

    @field_validator("label")
    @classmethod
    def _label(cls, v: str) -> str:
        v = _no_control_chars(v, "label")
        if "/" in v or "\\" in v:
            raise ValueError("label must not contain '/' or '\\'")
        return v


class LiveSaved(BaseModel):
    sample_id: int
    name: str
    label: str
    category: str = "testing"
    rows: int
    interval_ms: float


def result_of(event: dict[str, Any]) -> LiveResult:
    return LiveResult.model_validate(event)
