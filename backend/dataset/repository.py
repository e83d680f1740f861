"""The SQL of the dataset: listing with filters, values, bulk changes, summaries."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from backend.models.base import utcnow
from backend.models.sample import Sample, SampleValues
from backend.version.repository import keep_referenced


@dataclass
class SampleFilter:
    category: str | None = None
    label: str | None = None
    search: str | None = None
    signature_status: str | None = None
    enabled: bool | None = None
    min_length_ms: float | None = None
    max_length_ms: float | None = None

    def apply(self, q, project_id: int):
        q = q.where(Sample.project_id == project_id)
        if self.category is not None:
            q = q.where(Sample.category == self.category)
        if self.label is not None:
            q = q.where(Sample.label == self.label)
        if self.search:
            escaped = self.search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            q = q.where(Sample.filename.ilike(f"%{escaped}%", escape="\\"))
        if self.signature_status is not None:
            q = q.where(Sample.signature_status == self.signature_status)
        if self.enabled is not None:
            q = q.where(Sample.enabled.is_(self.enabled))
        if self.min_length_ms is not None:
            q = q.where(Sample.length_ms >= self.min_length_ms)
        if self.max_length_ms is not None:
            q = q.where(Sample.length_ms <= self.max_length_ms)
        return q


def list_page(
    session: Session, project_id: int, flt: SampleFilter, *, cursor: int | None, limit: int, newest_first: bool
) -> list[Sample]:
    """One page in id order, after `cursor` (keyset: index (project_id, id), no OFFSET scan)."""
    q = flt.apply(select(Sample), project_id)
    if cursor is not None:
        q = q.where(Sample.id < cursor if newest_first else Sample.id > cursor)
    q = q.order_by(Sample.id.desc() if newest_first else Sample.id.asc()).limit(limit)
    return list(session.scalars(q))


def count(session: Session, project_id: int, flt: SampleFilter) -> int:
    return session.scalar(flt.apply(select(func.count(Sample.id)), project_id)) or 0


def get(session: Session, project_id: int, sample_id: int) -> Sample | None:
    sample = session.get(Sample, sample_id)
    return sample if sample is not None and sample.project_id == project_id else None


def found_ids(session: Session, project_id: int, ids: list[int]) -> set[int]:
    return set(session.scalars(select(Sample.id).where(Sample.project_id == project_id, Sample.id.in_(ids))))


def values(session: Session, sample: Sample) -> np.ndarray:
    blob = session.scalar(select(SampleValues.values).where(SampleValues.sample_id == sample.id)) or b""
    return np.frombuffer(blob, dtype="<f4").reshape(sample.n_rows, sample.n_axes)


def values_many(session: Session, ids: list[int]) -> dict[int, bytes]:
    rows = session.execute(select(SampleValues.sample_id, SampleValues.values).where(SampleValues.sample_id.in_(ids)))
    return {sid: blob for sid, blob in rows}


def replace_values(session: Session, sample: Sample, data: np.ndarray, content_hash: str) -> None:
    keep_referenced(session, sample.project_id, [sample.id])  # a saved version still needs the old values
    session.execute(
        update(SampleValues)
        .where(SampleValues.sample_id == sample.id)
        .values(values=np.ascontiguousarray(data, dtype="<f4").tobytes())
    )
    sample.n_rows = int(data.shape[0])
    sample.length_ms = sample.interval_ms * sample.n_rows
    sample.content_hash = content_hash
    sample.updated_at = utcnow()


def update_many(session: Session, project_id: int, ids: list[int], changes: dict[str, Any]) -> None:
    session.execute(
        update(Sample).where(Sample.project_id == project_id, Sample.id.in_(ids)).values(**changes, updated_at=utcnow())
    )


def delete_many(session: Session, project_id: int, ids: list[int]) -> None:
    keep_referenced(session, project_id, ids)  # saved versions keep what they reference
    # Values first: SQLite only cascades with foreign keys on, and this keeps both paths alike.
    owned = select(Sample.id).where(Sample.project_id == project_id, Sample.id.in_(ids))
    session.execute(delete(SampleValues).where(SampleValues.sample_id.in_(owned)))
    session.execute(delete(Sample).where(Sample.project_id == project_id, Sample.id.in_(ids)))


def split_candidates(session: Session, project_id: int) -> list[tuple[int, str, str]]:
    """(id, category, content_hash) of every training or testing sample."""
    return list(
        session.execute(
            select(Sample.id, Sample.category, Sample.content_hash).where(
                Sample.project_id == project_id, Sample.category.in_(("training", "testing"))
            )
        )
    )


def summary_rows(session: Session, project_id: int) -> list[Any]:
    """Per (category, label): count and total length; one aggregate query on the index."""
    return list(
        session.execute(
            select(Sample.category, Sample.label, func.count(Sample.id), func.coalesce(func.sum(Sample.length_ms), 0.0))
            .where(Sample.project_id == project_id)
            .group_by(Sample.category, Sample.label)
        )
    )


def status_counts(session: Session, project_id: int) -> dict[tuple[str, bool], int]:
    rows = session.execute(
        select(Sample.signature_status, Sample.enabled, func.count(Sample.id))
        .where(Sample.project_id == project_id)
        .group_by(Sample.signature_status, Sample.enabled)
    )
    return {(s, bool(e)): n for s, e, n in rows}


def sensor_rows(session: Session, project_id: int) -> list[Any]:
    """Distinct (interval, sensors) combinations with their counts."""
    return list(
        session.execute(
            select(Sample.interval_ms, Sample.sensors, func.count(Sample.id))
            .where(Sample.project_id == project_id)
            .group_by(Sample.interval_ms, Sample.sensors)
        )
    )


def iter_all(session: Session, project_id: int, batch: int = 200) -> Iterator[list[Sample]]:
    last = 0
    while True:
        rows = list(
            session.scalars(
                select(Sample).where(Sample.project_id == project_id, Sample.id > last).order_by(Sample.id).limit(batch)
            )
        )
        if not rows:
            return
        yield rows
        last = rows[-1].id
