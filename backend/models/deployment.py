from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.models.base import Base, JSONType, UTCDateTime, utcnow


class Deployment(Base):
    """One build of a trained impulse for a target (arduino, cpp, tflite), numbered per project.

    The `deployment.build` job (job_id) generates the package from the training job's models and
    stores it as an Artifact; artifact_id and estimates are set in the same transaction, so a
    deployment either has its complete file or none. impulse_id is a plain column (no foreign
    key): a build stays downloadable after its impulse is deleted.
    """

    __tablename__ = "deployments"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    build_number: Mapped[int] = mapped_column(Integer)
    impulse_id: Mapped[int] = mapped_column(Integer)
    impulse_version: Mapped[int | None] = mapped_column(Integer)
    training_job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"))
    target: Mapped[str] = mapped_column(String(16))  # arduino | cpp | tflite
    variant: Mapped[str] = mapped_column(String(16))  # int8 | float32
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"))
    artifact_id: Mapped[int | None] = mapped_column(ForeignKey("artifacts.id", ondelete="SET NULL"))
    estimates: Mapped[dict[str, Any] | None] = mapped_column(JSONType, nullable=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("project_id", "build_number", name="uq_deployments_project_build"),)
