"""The SQL of project export and import: everything a project holds, read in batches, and the
rows an import adds."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session, undefer

from backend.models.deployment import Deployment
from backend.models.impulse import Impulse
from backend.models.job import Job
from backend.models.sample import Artifact, Sample, SampleValues
from backend.models.version import KeptSample, ProjectVersion, VersionSample


# -- export -------------------------------------------------------------------------------------
def live_samples(session: Session, project_id: int, batch: int = 200) -> Iterator[list[tuple[Sample, bytes]]]:
    last = 0
    while True:
        rows = list(
            session.execute(
                select(Sample, SampleValues.values)
                .join(SampleValues, SampleValues.sample_id == Sample.id)
                .where(Sample.project_id == project_id, Sample.id > last)
                .order_by(Sample.id)
                .limit(batch)
            )
        )
        if not rows:
            return
        last = rows[-1][0].id
        yield [(s, blob) for s, blob in rows]


def kept_keys(session: Session, project_id: int) -> list[tuple[int, str]]:
    return [
        tuple(r)
        for r in session.execute(
            select(KeptSample.sample_id, KeptSample.content_hash)
            .where(KeptSample.project_id == project_id)
            .order_by(KeptSample.sample_id, KeptSample.content_hash)
        )
    ]


def kept_sample(session: Session, sample_id: int, digest: str) -> KeptSample | None:
    return session.scalar(
        select(KeptSample)
        .options(undefer(KeptSample.values))
        .where(KeptSample.sample_id == sample_id, KeptSample.content_hash == digest)
    )


def versions(session: Session, project_id: int) -> list[ProjectVersion]:
    return list(
        session.scalars(
            select(ProjectVersion)
            .options(undefer(ProjectVersion.impulses))
            .where(ProjectVersion.project_id == project_id)
            .order_by(ProjectVersion.number)
        )
    )


def version_sample_rows(session: Session, version_id: int) -> list[tuple[int, str, str, bool, str]]:
    rows = session.execute(
        select(
            VersionSample.sample_id,
            VersionSample.label,
            VersionSample.category,
            VersionSample.enabled,
            VersionSample.content_hash,
        )
        .where(VersionSample.version_id == version_id)
        .order_by(VersionSample.sample_id)
    )
    return [(sid, label, cat, bool(en), digest) for sid, label, cat, en, digest in rows]


def jobs(session: Session, project_id: int, ids: set[int]) -> list[Job]:
    if not ids:
        return []
    return list(session.scalars(select(Job).where(Job.project_id == project_id, Job.id.in_(ids)).order_by(Job.id)))


def artifacts_meta(session: Session, project_id: int, ids: set[int]) -> list[Artifact]:
    if not ids:
        return []
    q = select(Artifact).where(Artifact.project_id == project_id, Artifact.id.in_(ids)).order_by(Artifact.id)
    return list(session.scalars(q))


def artifact_data(session: Session, artifact_id: int) -> bytes:
    return session.scalar(select(Artifact.data).where(Artifact.id == artifact_id))


def deployments(session: Session, project_id: int) -> list[tuple[Deployment, Job | None]]:
    q = (
        select(Deployment, Job)
        .outerjoin(Job, Job.id == Deployment.job_id)
        .where(Deployment.project_id == project_id)
        .order_by(Deployment.build_number)
    )
    return [tuple(r) for r in session.execute(q)]


# -- import -------------------------------------------------------------------------------------
def placeholder_samples(session: Session, rows: list[dict[str, Any]]) -> list[int]:
    """Sample rows without values, only to take ids from the samples' own sequence (for samples
    that live on only in kept_samples); `drop_samples` removes them before the commit."""
    if not rows:
        return []
    return list(session.execute(insert(Sample).returning(Sample.id, sort_by_parameter_order=True), rows).scalars())


def drop_samples(session: Session, project_id: int, ids: list[int]) -> None:
    if ids:
        session.execute(delete(Sample).where(Sample.project_id == project_id, Sample.id.in_(ids)))


def add_kept(session: Session, row: dict[str, Any]) -> None:
    session.execute(insert(KeptSample), [row])


def add(session: Session, obj: Any) -> Any:
    session.add(obj)
    session.flush()
    return obj


def drop_impulses(session: Session, project_id: int, ids: list[int]) -> None:
    if ids:
        session.execute(delete(Impulse).where(Impulse.project_id == project_id, Impulse.id.in_(ids)))


def add_version_samples(session: Session, rows: list[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert(VersionSample), rows)
