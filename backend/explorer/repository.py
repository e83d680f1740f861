"""All SQL of the data explorer: finding a cached map job, and which samples are still unlabeled."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.core import task_names
from backend.models.job import Job
from backend.models.sample import Sample


def cached_job(session: Session, project_id: int, impulse_id: int, cache_key: str) -> Job | None:
    """The newest explorer job with this cache key that succeeded or is still on its way."""
    return session.scalars(
        select(Job)
        .where(
            Job.project_id == project_id,
            Job.kind == task_names.FEATURE_EXPLORER,
            Job.status.in_(("queued", "running", "succeeded")),
            Job.params["impulse_id"].as_integer() == impulse_id,
            Job.params["cache_key"].as_string() == cache_key,
        )
        .order_by(Job.id.desc())
        .limit(1)
    ).first()


def unlabeled_ids(session: Session, project_id: int, ids: list[int]) -> set[int]:
    """Which of `ids` are samples of the project that are still unlabeled."""
    if not ids:
        return set()
    return set(
        session.scalars(
            select(Sample.id).where(Sample.project_id == project_id, Sample.id.in_(ids), Sample.label == "")
        )
    )
