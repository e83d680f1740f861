from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from backend.project.schemas import _clean_name


class VersionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    description: str = Field("", max_length=2000, description="what this version is (shown in the list)")


class ProjectCopyRequest(BaseModel):
    """A restore or clone makes a new project owned by the caller."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(
        None, max_length=120, description="the new project's name; default: derived from the source project and version"
    )
    _n = field_validator("name")(lambda v: _clean_name(v) if v is not None else v)


class ArtifactRef(BaseModel):
    """A stored file a version references (never copied by saving a version)."""

    id: int
    kind: str
    name: str
    size: int
    sha256: str


class TrainingSnapshot(BaseModel):
    job_id: int
    finished_at: datetime | None
    impulse_version: int | None = Field(description="the impulse version the model was trained from")
    labels: list[str] | None
    metrics: dict[str, Any] | None
    estimates: dict[str, Any] | None = Field(description="on-device estimates per variant (int8, float32)")
    warnings: list[Any] | None
    artifacts: list[ArtifactRef]


class DeploymentSnapshot(BaseModel):
    id: int
    build_number: int
    target: str
    variant: str
    status: str
    artifact: ArtifactRef | None
    estimates: dict[str, Any] | None


class VersionImpulse(BaseModel):
    id: int
    name: str
    version: int
    config: dict[str, Any]
    training: TrainingSnapshot | None = Field(description="its latest successful training, if any")
    deployments: list[DeploymentSnapshot] = Field(description="builds made from that training")


class ImpulseHeadline(BaseModel):
    impulse_id: int
    name: str
    version: int
    accuracy: float | None = Field(description="validation accuracy of the int8 model (float32 if none)")
    accuracy_int8: float | None = None
    accuracy_float32: float | None = None
    ram_bytes: float | None = Field(None, description="on-device estimate of the int8 build (total)")
    flash_bytes: float | None = None
    latency_ms: float | None = None


class VersionSummary(BaseModel):
    id: int
    project_id: int
    number: int
    name: str = Field(description='"v1", "v2" ...')
    description: str
    created_by: str
    created_at: datetime
    samples: int
    sample_counts: dict[str, dict[str, int]] = Field(description="{category: {label: count}}")
    impulses: list[ImpulseHeadline]
    public_since: datetime | None = Field(None, description="when its public read-only link was turned on; null: off")


class VersionPublic(VersionSummary):
    impulse_details: list[VersionImpulse]


class VersionSampleRow(BaseModel):
    id: int
    name: str | None
    label: str
    category: str
    enabled: bool
    length_ms: float | None
    content_hash: str
    in_project: bool = Field(
        description="the project still has this sample with these values (not deleted, not cropped)"
    )


class VersionSamplePage(BaseModel):
    items: list[VersionSampleRow]
    next_cursor: int | None = Field(None, description="pass as ?cursor= for the next page; null at the end")


class IdChanges(BaseModel):
    count: int
    ids: list[int] = Field(description="the first ones (capped)")


class SampleChanges(BaseModel):
    added: IdChanges
    removed: IdChanges
    relabeled: IdChanges
    moved: IdChanges = Field(description="category changed (training, testing, anomaly)")
    enabled_changed: IdChanges
    values_changed: IdChanges = Field(description="same sample, different values (cropped)")


class FieldChange(BaseModel):
    path: str = Field(description='where in the impulse, e.g. "config.processing.0.params.fft_length"')
    before: Any = None
    after: Any = None


class FigureChange(BaseModel):
    path: str = Field(description='which figure, e.g. "estimates.int8.ram_bytes" or "accuracy"')
    before: float | None
    after: float | None


class ImpulseChange(BaseModel):
    impulse_id: int
    name: str
    change: Literal["added", "removed", "changed", "unchanged"]
    fields: list[FieldChange]
    fields_truncated: bool
    accuracy_before: float | None
    accuracy_after: float | None
    figures: list[FigureChange] = Field(description="on-device figures (and accuracies) that differ")


class VersionDiff(BaseModel):
    from_version: int
    to_version: int
    samples: SampleChanges
    impulses: list[ImpulseChange]


class PublicLink(BaseModel):
    token: str = Field(description="shown once: the link is /public/versions/{token}; only its hash is stored")
    public_since: datetime


class PublicVersion(BaseModel):
    """A version as its public read-only link shows it (no people, no project ids)."""

    project_name: str
    number: int
    name: str
    description: str
    created_at: datetime
    samples: int
    sample_counts: dict[str, dict[str, int]]
    impulses: list[ImpulseHeadline]
    impulse_details: list[VersionImpulse]


class PublicSampleValues(BaseModel):
    id: int
    name: str | None
    label: str
    category: str
    enabled: bool
    interval_ms: float
    sensors: list[dict[str, str]]
    timestamps_ms: list[float]
    values: list[list[float]]
    downsampled: bool
