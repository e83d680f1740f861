"""The project archive's manifest (`project.json`): its shape, checked before anything is stored.

Layout of the zip:
  project.json           this manifest (format "tinyforge.project", format_version 1)
  samples/<key>.f32      a sample's values: float32 little-endian, row-major [n_rows, n_axes]
  artifacts/<key>.bin    a model file (or other training artifact), byte for byte

Ids in the manifest are the exporting server's; an import gives every row a new id and rewrites
every reference (samples of versions, impulses, training jobs, artifacts).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from backend.version.schemas import ImpulseHeadline

FORMAT = "tinyforge.project"
FORMAT_VERSION = 1
MANIFEST = "project.json"

Str255 = Field(max_length=255)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ArchiveSample(_Strict):
    """A sample's row. `live`: in the project now; else kept only because a version needs it."""

    key: str = Field(pattern=r"^[0-9]{1,12}$")
    id: int
    live: bool
    filename: str = Field(min_length=1, max_length=255)
    label: str = Field(max_length=128)
    category: Literal["training", "testing", "anomaly"]
    enabled: bool
    device_name: str | None = Field(None, max_length=255)
    device_type: str = Field("", max_length=255)
    interval_ms: float = Field(ge=0, le=1e9)
    sensors: list[dict[str, str]] = Field(min_length=1, max_length=4096)
    n_rows: int = Field(ge=1, le=10**9)
    n_axes: int = Field(ge=1, le=4096)
    signature_status: Literal["valid", "invalid", "unsigned"]
    metadata: dict[str, str] = Field(default_factory=dict, max_length=256)
    content_hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    values_sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="sha256 of the values file, byte for byte")


class ArchiveArtifact(_Strict):
    key: str = Field(pattern=r"^[0-9]{1,12}$")
    id: int
    job_id: int = Field(description="the training it belongs to")
    kind: str = Field(max_length=64)
    name: str = Field(max_length=255)
    content_type: str = Field(max_length=128)
    size: int = Field(ge=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    info: dict[str, Any] = Field(default_factory=dict)


class ArchiveTraining(_Strict):
    """A succeeded impulse.train job: what the model is (its files are artifacts)."""

    job_id: int
    impulse_id: int
    finished_at: datetime | None = None
    params: dict[str, Any] = Field(default_factory=dict)
    result: dict[str, Any] = Field(default_factory=dict)


class ArchiveImpulse(_Strict):
    id: int
    name: str = Field(min_length=1, max_length=120)
    version: int = Field(ge=1)
    config: dict[str, Any]
    trained_job_id: int | None = None
    trained_version: int | None = None


class ArchiveDeployment(_Strict):
    """A build's metadata; its library is not in the archive (rebuilt from the model in seconds)."""

    build_number: int
    impulse_id: int
    impulse_version: int | None = None
    training_job_id: int | None = None
    target: str = Field(max_length=16)
    variant: str = Field(max_length=16)
    status: str = Field(max_length=16)
    estimates: dict[str, Any] | None = None
    created_at: datetime | None = None


class EntryArtifact(_Strict):
    id: int
    kind: str = Field(max_length=64)
    name: str = Field(max_length=255)
    size: int = Field(ge=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class EntryTraining(_Strict):
    job_id: int
    finished_at: str | None = None
    result: dict[str, Any] = Field(default_factory=dict)
    artifacts: list[EntryArtifact] = Field(default_factory=list)


class EntryDeployment(_Strict):
    id: int
    build_number: int
    target: str = Field(max_length=16)
    variant: str = Field(max_length=16)
    status: str = Field(max_length=16)
    artifact: EntryArtifact | None = None
    estimates: dict[str, Any] | None = None


class VersionEntry(_Strict):
    """One impulse as a version saw it (see backend/version/snapshot.py)."""

    id: int
    name: str = Field(min_length=1, max_length=120)
    version: int = Field(ge=1)
    config: dict[str, Any]
    training: EntryTraining | None = None
    deployments: list[EntryDeployment] = Field(default_factory=list)


class ArchiveVersion(_Strict):
    number: int = Field(ge=1)
    description: str = Field(max_length=2000)
    created_by: str = Field(max_length=120)
    created_at: datetime
    sample_counts: dict[str, dict[str, int]]
    headline: list[ImpulseHeadline]
    impulses: list[VersionEntry]
    # [sample id, label, category, enabled, content hash]
    samples: list[tuple[int, str, Literal["training", "testing", "anomaly"], bool, str]]


class ArchiveProject(_Strict):
    name: str = Field(min_length=1, max_length=120)


class ProjectManifest(_Strict):
    format: Literal["tinyforge.project"]
    format_version: Literal[1]
    exported_at: datetime
    project: ArchiveProject
    samples: list[ArchiveSample]
    artifacts: list[ArchiveArtifact]
    trainings: list[ArchiveTraining]
    impulses: list[ArchiveImpulse]
    deployments: list[ArchiveDeployment]
    versions: list[ArchiveVersion]
