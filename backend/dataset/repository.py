"""The SQL of the dataset: listing with filters, values, bulk changes, summaries."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import and_, delete, func, select, text, type_coerce, update
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session

from backend.dataset.sparkline import envelope
from backend.models.base import utcnow
from backend.models.sample import Sample, SampleValues
from backend.version.repository import keep_referenced


@dataclass
class SampleFilter:
    category: str | None = None
    label: str | list[str] | None = None  # one label or any of several
    search: str | None = None
    signature_status: str | None = None
    enabled: bool | None = None
    min_length_ms: float | None = None
    max_length_ms: float | None = None
    metadata: dict[str, str] = field(default_factory=dict)  # every pair must match

    def apply(self, q, project_id: int, dialect: str = "postgresql"):
        q = q.where(Sample.project_id == project_id)
        if self.category is not None:
            q = q.where(Sample.category == self.category)
        if isinstance(self.label, str):
            q = q.where(Sample.label == self.label)
        elif self.label:
            q = q.where(Sample.label.in_(self.label))
        if self.metadata:
            q = q.where(_metadata_matches(dialect, self.metadata))
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


def _metadata_matches(dialect: str, pairs: dict[str, str]):
    if dialect == "postgresql":  # JSONB containment: answered by the GIN index ix_samples_metadata
        return type_coerce(Sample.meta, JSONB()).contains(pairs)
    return and_(*(Sample.meta[k].as_string() == v for k, v in pairs.items()))


def list_page(
    session: Session, project_id: int, flt: SampleFilter, *, cursor: int | None, limit: int, newest_first: bool
) -> list[tuple[Sample, dict | None]]:
    """One page in id order, after `cursor` (keyset: index (project_id, id), no OFFSET scan),
    each sample with its thumbnail (None when not computed yet)."""
    q = flt.apply(select(Sample, SampleValues.sparkline), project_id, _dialect(session))
    q = q.outerjoin(SampleValues, SampleValues.sample_id == Sample.id)
    if cursor is not None:
        q = q.where(Sample.id < cursor if newest_first else Sample.id > cursor)
    q = q.order_by(Sample.id.desc() if newest_first else Sample.id.asc()).limit(limit)
    return [(sample, shape) for sample, shape in session.execute(q)]


def count(session: Session, project_id: int, flt: SampleFilter) -> int:
    return session.scalar(flt.apply(select(func.count(Sample.id)), project_id, _dialect(session))) or 0


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


_METADATA_SQL = {
    "postgresql": "SELECT kv.key, kv.value FROM samples s CROSS JOIN LATERAL jsonb_each_text(s.metadata) kv"
    " WHERE s.project_id = :project_id AND jsonb_typeof(s.metadata) = 'object'",
    "sqlite": "SELECT kv.key, kv.value FROM samples s, json_each(s.metadata) kv"
    " WHERE s.project_id = :project_id AND json_type(s.metadata) = 'object' AND kv.type = 'text'",
}


def metadata_values(session: Session, project_id: int, max_keys: int, max_values: int) -> list[Any]:
    """(key, value, samples, distinct values of the key): the `max_values` most common values of
    the first `max_keys` keys (by name); one aggregate query."""
    pairs = _METADATA_SQL[_dialect(session)]
    sql = f"""
        WITH kv AS ({pairs}),
        counted AS (SELECT key, value, count(*) AS n FROM kv GROUP BY key, value),
        ranked AS (
            SELECT key, value, n,
                   row_number() OVER (PARTITION BY key ORDER BY n DESC, value) AS rank,
                   count(*) OVER (PARTITION BY key) AS distinct_values,
                   dense_rank() OVER (ORDER BY key) AS key_rank
            FROM counted
        )
        SELECT key, value, n, distinct_values FROM ranked
        WHERE rank <= :max_values AND key_rank <= :max_keys + 1
        ORDER BY key, rank
    """
    params = {"project_id": project_id, "max_values": max_values, "max_keys": max_keys}
    return list(session.execute(text(sql), params))


def missing_sparklines(session: Session, samples: list[Sample]) -> dict[int, dict]:
    """Compute and store the thumbnails of `samples` (ones stored before thumbnails existed, or
    by a path that does not make one). Only where none is stored yet: a crop that lands meanwhile
    stores its own, and this one then changes nothing."""
    shapes: dict[int, dict] = {}
    for start in range(0, len(samples), 20):  # values can be megabytes each: a few at a time
        chunk = samples[start : start + 20]
        blobs = values_many(session, [s.id for s in chunk])
        for s in chunk:
            shapes[s.id] = envelope(blobs.get(s.id, b""), s.n_axes)
            session.execute(
                update(SampleValues)
                .where(SampleValues.sample_id == s.id, SampleValues.sparkline.is_(None))
                .values(sparkline=shapes[s.id])
                .execution_options(synchronize_session=False)
            )
    return shapes


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
    blob = np.ascontiguousarray(data, dtype="<f4").tobytes()
    session.execute(
        update(SampleValues)
        .where(SampleValues.sample_id == sample.id)
        .values(values=blob, sparkline=envelope(blob, sample.n_axes))
    )
    sample.n_rows = int(data.shape[0])
    sample.length_ms = sample.interval_ms * sample.n_rows
    sample.content_hash = content_hash
    sample.updated_at = utcnow()


def update_many(session: Session, project_id: int, ids: list[int], changes: dict[str, Any]) -> None:
    session.execute(
        update(Sample).where(Sample.project_id == project_id, Sample.id.in_(ids)).values(**changes, updated_at=utcnow())
    )


def update_if_unchanged(session: Session, project_id: int, sample_id: int, changes: dict[str, Any], since) -> bool:
    """Compare-and-set on updated_at: False (and nothing written) when the sample changed since."""
    result = session.execute(
        update(Sample)
        .where(Sample.project_id == project_id, Sample.id == sample_id, Sample.updated_at == since)
        .values(**changes, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


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
    """(category, label, interval_ms, sensors, signature_status, enabled, count, total length):
    everything the summary needs in one aggregate scan of the project's samples."""
    cols = (Sample.category, Sample.label, Sample.interval_ms, Sample.sensors, Sample.signature_status, Sample.enabled)
    return list(
        session.execute(
            select(*cols, func.count(Sample.id), func.coalesce(func.sum(Sample.length_ms), 0.0))
            .where(Sample.project_id == project_id)
            .group_by(*cols)
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
