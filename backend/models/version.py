from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column

from backend.models.base import Base, JSONType, UTCDateTime, utcnow


class ProjectVersion(Base):
    """A saved state of a project, numbered per project (v1, v2 ...).

    The dataset is referenced row by row in `version_samples` (labels, categories and enabled
    flags as they were; values are never copied). `impulses` holds every impulse's JSON with its
    version number, the result of its latest successful training (with the ids of its model
    artifacts) and the deployments built from that training. `sample_counts` is
    {category: {label: count}} so a list of versions needs no join.
    """

    __tablename__ = "project_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_by_name: Mapped[str] = mapped_column(String(120))  # kept when the account is gone
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sample_counts: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    # [{impulse_id, name, version, accuracy}]: what the list shows, without loading `impulses`.
    headline: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    impulses: Mapped[list[dict[str, Any]]] = deferred(mapped_column(JSONType, default=list, nullable=False))
    # The read-only public link: sha256 of its token (the token itself is shown once), null = off.
    public_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    public_since: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("project_id", "number", name="uq_project_versions_project_number"),)


class VersionSample(Base):
    """One sample as a version saw it. `sample_id` has no foreign key: the sample may be deleted
    or its values cropped later, and then `kept_samples` holds what the version needs."""

    __tablename__ = "version_samples"

    version_id: Mapped[int] = mapped_column(ForeignKey("project_versions.id", ondelete="CASCADE"), primary_key=True)
    sample_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    label: Mapped[str] = mapped_column(String(128))
    category: Mapped[str] = mapped_column(String(16))
    enabled: Mapped[bool] = mapped_column(Boolean)
    content_hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (Index("ix_version_samples_sample_id", "sample_id"),)


class KeptSample(Base):
    """A sample (row and values) a version references, kept when it was deleted or its values
    replaced (crop, split). Keyed by (sample_id, content_hash): a sample cropped twice between
    versions is kept once per content the versions saw."""

    __tablename__ = "kept_samples"

    sample_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    device_name: Mapped[str | None] = mapped_column(String(255))
    device_type: Mapped[str] = mapped_column(String(255), default="")
    interval_ms: Mapped[float] = mapped_column(Float)
    sensors: Mapped[list[dict[str, str]]] = mapped_column(JSONType)
    n_rows: Mapped[int] = mapped_column(Integer)
    n_axes: Mapped[int] = mapped_column(Integer)
    length_ms: Mapped[float] = mapped_column(Float)
    signature_status: Mapped[str] = mapped_column(String(16))
    meta: Mapped[dict[str, str]] = mapped_column("metadata", JSONType, default=dict)
    values: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    kept_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
