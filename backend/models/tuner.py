"""The tuner: a search over impulse configurations, and its candidates.

Each candidate's work runs as ordinary job rows (kind `tuner.evaluate_candidate`, one per round),
so claiming, heartbeats and the stale-job reaper are the jobs' own. A candidate's result is
written with a compare-and-set on `result_round`, so a re-run of a lost job never counts twice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from backend.models.base import Base, JSONType, UTCDateTime, utcnow

RUN_STATUSES = ("running", "succeeded", "cancelled", "failed")
CANDIDATE_STATUSES = ("queued", "running", "done", "pruned", "failed", "cancelled")


class TunerRun(Base):
    __tablename__ = "tuner_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    base_impulse_id: Mapped[int | None] = mapped_column(ForeignKey("impulses.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16), default="running")
    preset: Mapped[str] = mapped_column(String(32))
    space: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)  # the request, normalised
    constraints: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    budget: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    # successive halving: epochs per round; `round` is the round being run (1-based)
    schedule: Mapped[list[int]] = mapped_column(JSONType, default=list)
    round: Mapped[int] = mapped_column(Integer, default=1)
    best_candidate_id: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class TunerCandidate(Base):
    __tablename__ = "tuner_candidates"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("tuner_runs.id", ondelete="CASCADE"))
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)  # 1..n within the run
    label: Mapped[str] = mapped_column(String(200))
    # the run's base impulse, measured the same way and kept to the last round, to compare with
    baseline: Mapped[bool] = mapped_column(Boolean, default=False)
    config: Mapped[dict[str, Any]] = mapped_column(JSONType)  # a validated impulse configuration
    status: Mapped[str] = mapped_column(String(16), default="queued")
    round: Mapped[int] = mapped_column(Integer, default=1)  # the last round it was scheduled for
    result_round: Mapped[int] = mapped_column(Integer, default=0)  # the round whose result is stored
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"))
    epochs_done: Mapped[int] = mapped_column(Integer, default=0)
    accuracy_float: Mapped[float | None] = mapped_column(Float)
    accuracy_int8: Mapped[float | None] = mapped_column(Float)
    ram_bytes: Mapped[int | None] = mapped_column(Integer)
    flash_bytes: Mapped[int | None] = mapped_column(Integer)
    instructions: Mapped[int | None] = mapped_column(Integer)
    latency_ms: Mapped[float | None] = mapped_column(Float)
    fits: Mapped[bool | None] = mapped_column(Boolean)
    error: Mapped[str | None] = mapped_column(Text)
    worker: Mapped[str | None] = mapped_column(String(255))
    runs: Mapped[int] = mapped_column(Integer, default=0)  # times its work started (re-runs after a lost worker)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_tuner_candidates_run_number", "run_id", "number", unique=True),)
