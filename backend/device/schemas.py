from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, field_validator


def _no_control_chars(value: str, what: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError(f"{what} must not be empty")
    if any(ord(c) < 32 or c == "\x7f" for c in value):
        raise ValueError(f"{what} must not contain control characters")
    return value


class DeviceSensor(BaseModel):
    name: str
    frequencies: list[float] = []
    max_sample_length_s: float
    live_stream: bool = Field(False, description="streams readings for live classification (announced in hello)")


class DevicePublic(BaseModel):
    device_id: str
    name: str
    device_type: str
    sensors: list[DeviceSensor]
    connection: str
    connected: bool
    last_seen_at: datetime
    created_at: datetime


class DeviceUpdate(BaseModel):
    name: str = Field(min_length=1, max_length=255)

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        return _no_control_chars(v, "name")


class SampleRequestCreate(BaseModel):
    label: str = Field(min_length=1, max_length=128)
    length_ms: int = Field(gt=0, le=24 * 3600 * 1000, description="how long to record, in milliseconds")
    sensor: str | None = Field(None, description="one of the device's sensors; default: its first")
    frequency: float | None = Field(None, gt=0, le=1_000_000, description="Hz; default: the sensor's first")
    interval_ms: float | None = Field(None, gt=0, description="alternative to frequency: 1000 / Hz")
    category: Literal["training", "testing", "anomaly"] = "training"

    @field_validator("label")
    @classmethod
    def _label(cls, v: str) -> str:
        v = _no_control_chars(v, "label")
        if "/" in v or "\\" in v:
            raise ValueError("label must not contain '/' or '\\'")
        return v


class SampleRequestPublic(BaseModel):
    """The request as the device received and accepted it; progress follows as `device.sampling`
    events on the project's event stream, tagged with `request_id`."""

    request_id: str
    device_id: str
    label: str
    length_ms: int
    sensor: str
    interval_ms: float
    frequency: float
    category: str
    path: str
    stage: str


class DeviceKeyPublic(BaseModel):
    """What a device's API key unlocks: its project and the key to sign data files with."""

    project_id: int
    project_name: str
    hmac_key: str
    remote_management_path: str = "/api/remote-management"
