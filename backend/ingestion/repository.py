"""The SQL for writing new samples: used by uploads, imports and sample edits that create samples."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from backend.dataset.sparkline import envelope
from backend.models.project import Project
from backend.models.sample import Sample, SampleValues


def relax_commit_durability(session: Session) -> None:
    """For this transaction only, do not wait for the WAL flush (see INGEST_ASYNC_COMMIT)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL synchronous_commit TO OFF"))


def lock_project(session: Session, project_id: int) -> None:
    """Serialise duplicate checks of one project until commit: two concurrent uploads of the
    same data with x-disallow-duplicates must not both see "not there yet"."""
    session.execute(select(Project.id).where(Project.id == project_id).with_for_update())


def existing_hashes(session: Session, project_id: int, hashes: Iterable[str]) -> set[str]:
    wanted = list(set(hashes))
    if not wanted:
        return set()
    return set(
        session.scalars(
            select(Sample.content_hash).where(Sample.project_id == project_id, Sample.content_hash.in_(wanted))
        )
    )


def insert_samples(session: Session, rows: list[dict[str, Any]], blobs: list[bytes]) -> list[int]:
    """Insert sample rows and their value blobs (same order); returns the new ids in that order.

    Core inserts, not the ORM unit of work: the upload path does nothing else, and this keeps
    a request to two statements however many files it carries."""
    if not rows:
        return []
    ids = list(session.execute(insert(Sample).returning(Sample.id, sort_by_parameter_order=True), rows).scalars())
    session.execute(
        insert(SampleValues),
        [
            {"sample_id": i, "values": b, "sparkline": envelope(b, r["n_axes"])}
            for i, b, r in zip(ids, blobs, rows, strict=False)
        ],
    )
    return ids
