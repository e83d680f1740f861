"""Request and response shapes of the dataset API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from backend.core.ids import Id

Category = Literal["training", "testing", "anomaly"]
MAX_BULK_IDS = 10_000


class Sensor(BaseModel):
    name: str
    units: str = ""


class SamplePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str = Field(validation_alias=AliasChoices("filename", "name"))
    category: str
    label: str
    device_name: str | None
    device_type: str
    interval_ms: float
    frequency_hz: float
    sensors: list[Sensor]
    n_rows: int
    n_axes: int
    length_ms: float
    content_hash: str
    signature_status: str
    metadata: dict[str, str] = Field(validation_alias=AliasChoices("meta", "metadata"))
    enabled: bool
    uploaded_by_user_id: int | None
    uploaded_by_api_key_id: int | None
    created_at: datetime
    updated_at: datetime


class SamplePage(BaseModel):
    items: list[SamplePublic]
    next_cursor: int | None = Field(None, description="pass as ?cursor= for the next page; null at the end")
    total: int | None = Field(None, description="only with ?include_total=true")


class SampleDetail(SamplePublic):
    timestamps_ms: list[float] = Field(description="time of each returned row, from the sample's start")
    values: list[list[float]]
    downsampled: bool = Field(description="true when rows were reduced to each bucket's min and max")


class SampleUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, min_length=1, max_length=255)
    label: str | None = Field(None, max_length=128)
    category: Category | None = None
    enabled: bool | None = None


class BulkUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ids: list[Id] = Field(min_length=1, max_length=MAX_BULK_IDS)
    label: str | None = Field(None, max_length=128)
    category: Category | None = None
    enabled: bool | None = None


class BulkIds(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ids: list[Id] = Field(min_length=1, max_length=MAX_BULK_IDS)


class BulkResult(BaseModel):
    updated: int = 0
    deleted: int = 0


class CropRequest(BaseModel):
    start_ms: float = Field(ge=0)
    end_ms: float = Field(gt=0)


class SplitRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mode: Literal["windows", "events"] = "windows"
    window_ms: float = Field(gt=0, description="length of each new sample")
    threshold: float = Field(0.3, gt=0, lt=1, description="events: fraction of the way from floor to peak energy")
    min_gap_ms: float | None = Field(None, ge=0, description="events: bursts closer than this merge")


class RebalanceResult(BaseModel):
    moved: int
    training: int
    testing: int


class LabelSummary(BaseModel):
    category: str
    label: str
    count: int
    total_length_ms: float


class SensorSummary(BaseModel):
    sensors: list[str]
    frequency_hz: float
    count: int


class DatasetSummary(BaseModel):
    total: int
    per_label: list[LabelSummary]
    sensors: list[SensorSummary]
    frequencies_hz: list[float]
    warnings: list[str]
