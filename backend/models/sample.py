from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from backend.models.base import Base, JSONType, UTCDateTime, utcnow

CATEGORIES = ("training", "testing", "anomaly")
SIGNATURE_STATUSES = ("valid", "invalid", "unsigned")


class Sample(Base):
    """One recording. Its values live in `sample_values` so listing never loads them."""

    __tablename__ = "samples"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    category: Mapped[str] = mapped_column(String(16))
    label: Mapped[str] = mapped_column(String(128), default="")  # "" = unlabeled
    filename: Mapped[str] = mapped_column(String(255))
    device_name: Mapped[str | None] = mapped_column(String(255))
    device_type: Mapped[str] = mapped_column(String(255), default="")
    interval_ms: Mapped[float] = mapped_column(Float)
    sensors: Mapped[list[dict[str, str]]] = mapped_column(JSONType)  # [{"name", "units"}]
    n_rows: Mapped[int] = mapped_column(Integer)
    n_axes: Mapped[int] = mapped_column(Integer)
    length_ms: Mapped[float] = mapped_column(Float)
    content_hash: Mapped[str] = mapped_column(String(64))
    signature_status: Mapped[str] = mapped_column(String(16))
    meta: Mapped[dict[str, str]] = mapped_column("metadata", JSONType, default=dict)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    uploaded_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_by_api_key_id: Mapped[int | None] = mapped_column(ForeignKey("api_keys.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    data: Mapped[SampleValues] = relationship(
        back_populates="sample", cascade="all, delete-orphan", single_parent=True, uselist=False, lazy="select"
    )

    @property
    def frequency_hz(self) -> float:
        return 1000.0 / self.interval_ms if self.interval_ms > 0 else 0.0

    __table_args__ = (
        Index("ix_samples_project_id_id", "project_id", "id"),
        Index("ix_samples_project_category_label", "project_id", "category", "label"),
        Index("ix_samples_project_hash", "project_id", "content_hash"),
        Index("ix_samples_project_filename", "project_id", "filename"),
        Index("ix_samples_project_length", "project_id", "length_ms"),
        # The data page's filters, each in the list's keyset order (newest id first).
        Index("ix_samples_project_label_id", "project_id", "label", "id"),
        Index("ix_samples_project_category_id", "project_id", "category", "id"),
        Index("ix_samples_project_enabled_id", "project_id", "enabled", "id"),
        Index("ix_samples_metadata", "metadata", postgresql_using="gin", postgresql_ops={"metadata": "jsonb_path_ops"}),
        # Name search (ILIKE '%part%'): trigrams on PostgreSQL (extension pg_trgm), a plain index elsewhere.
        Index(
            "ix_samples_filename_trgm", "filename", postgresql_using="gin", postgresql_ops={"filename": "gin_trgm_ops"}
        ),
    )


class SampleValues(Base):
    """The values of a sample: float32 little-endian, row-major [n_rows, n_axes]."""

    __tablename__ = "sample_values"

    sample_id: Mapped[int] = mapped_column(ForeignKey("samples.id", ondelete="CASCADE"), primary_key=True)
    values: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    # {"min": [...], "max": [...]}: the list's thumbnail (dataset/sparkline.py); null until computed.
    # Here, not on `samples`, so scans of samples (counts, summaries) stay narrow.
    sparkline: Mapped[dict[str, list[float]] | None] = mapped_column(
        JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql"), nullable=True
    )

    sample: Mapped[Sample] = relationship(back_populates="data")


class Artifact(Base):
    """A file a job produced (models, libraries, metrics dumps). Stored in the database so that
    workers on other hosts need nothing but the database and Redis."""

    __tablename__ = "artifacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(64))  # e.g. model.tflite.int8, deployment.arduino
    name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(128), default="application/octet-stream")
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    info: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (Index("ix_artifacts_project_kind", "project_id", "kind", "id"),)
