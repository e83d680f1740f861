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


class Sparkline(BaseModel):
    """The min/max envelope of the sample's first axis in up to 48 equal slices of time."""

    min: list[float]
    max: list[float]


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


class SampleListItem(SamplePublic):
    sparkline: Sparkline | None = Field(None, description="a thumbnail of the first axis")


class SamplePage(BaseModel):
    items: list[SampleListItem]
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
    expected_updated_at: datetime | None = Field(
        None, description="the sample's updated_at this edit starts from; if it changed since, 409 and nothing changes"
    )


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
    """How to split a sample: into consecutive windows, or one clip around each burst of energy."""

    model_config = ConfigDict(extra="forbid")

    mode: Literal["windows", "events"] = "windows"
    window_ms: float = Field(1000, gt=0, description="length of each new sample (the clip around each event)")
    frame_ms: float = Field(20, ge=1, le=1000, description="events: energy is measured over frames of this length")
    threshold_db: float = Field(12, gt=0, le=100, description="events: an event starts this far above the noise floor")
    hysteresis_db: float = Field(
        6, ge=0, le=100, description="events: and lasts until the energy falls this much below the start threshold"
    )
    noise_percentile: float = Field(
        10, gt=0, lt=100, description="events: the noise floor is this percentile of the frames' energy"
    )
    min_gap_ms: float = Field(300, ge=0, le=60_000, description="events: events closer than this merge")
    min_event_ms: float = Field(30, ge=0, le=60_000, description="events: shorter events (clicks) are ignored")
    original: Literal["delete", "disable", "keep"] = Field(
        "delete", description="what becomes of the split sample once its pieces are stored"
    )


class SplitCut(BaseModel):
    start_ms: float = Field(description="the new sample's start in the original")
    end_ms: float
    event_start_ms: float | None = Field(None, description="events: where the energy rose above the threshold")
    event_end_ms: float | None = None
    energy_db: float | None = Field(None, description="events: mean energy of the event (dBFS for audio)")
    peak_db: float | None = None


class SplitPreview(BaseModel):
    cuts: list[SplitCut]
    noise_floor_db: float | None = Field(None, description="events: the estimated background level")
    threshold_db: float | None = Field(None, description="events: the level an event had to pass")


class Spectrogram(BaseModel):
    times_ms: list[float] = Field(description="centre of each column's frame")
    frequencies_hz: list[float] = Field(description="centre of each band")
    db: list[list[float]] = Field(description="[column][band] power in dBFS")
    fft_size: int


class RebalanceResult(BaseModel):
    moved: int
    training: int
    testing: int


class LabelSummary(BaseModel):
    category: str
    label: str
    count: int
    total_length_ms: float


class CategorySummary(BaseModel):
    category: str
    count: int
    total_length_ms: float


class SensorSummary(BaseModel):
    sensors: list[str]
    frequency_hz: float
    count: int


class DatasetSummary(BaseModel):
    total: int
    total_length_ms: float = 0.0
    per_label: list[LabelSummary]
    per_category: list[CategorySummary] = Field(default_factory=list)
    sensors: list[SensorSummary]
    frequencies_hz: list[float]
    warnings: list[str]


class MetadataValue(BaseModel):
    value: str
    count: int = Field(description="samples with this value")


class MetadataKey(BaseModel):
    key: str
    values: list[MetadataValue] = Field(description="the most common values first")
    more_values: bool = Field(description="true when the key has more values than listed")


class MetadataKeys(BaseModel):
    keys: list[MetadataKey]
    more_keys: bool = Field(description="true when the project's samples have more keys than listed")
