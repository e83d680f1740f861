"""SQL of the version domain: saved versions, the samples they reference, the samples they keep,
and the copies a restore makes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import and_, exists, func, insert, literal, select, tuple_
from sqlalchemy.orm import Session, undefer

from backend.models.deployment import Deployment
from backend.models.impulse import Impulse
from backend.models.job import Job
from backend.models.project import Project
from backend.models.sample import Artifact, Sample, SampleValues
from backend.models.version import KeptSample, ProjectVersion, VersionSample

# The row a kept sample keeps (attribute names; "meta" last: its column is named "metadata").
_KEPT_COLUMNS = (
    "filename",
    "device_name",
    "device_type",
    "interval_ms",
    "sensors",
    "n_rows",
    "n_axes",
    "length_ms",
    "signature_status",
    "meta",
)


# -- versions -----------------------------------------------------------------------------------
def list_for_project(session: Session, project_id: int) -> list[ProjectVersion]:
    return list(
        session.scalars(
            select(ProjectVersion).where(ProjectVersion.project_id == project_id).order_by(ProjectVersion.number.desc())
        )
    )


def get(session: Session, project_id: int, version_id: int) -> ProjectVersion | None:
    return session.scalar(
        select(ProjectVersion).where(ProjectVersion.project_id == project_id, ProjectVersion.id == version_id)
    )


def next_number(session: Session, project_id: int) -> int:
    current = session.scalar(select(func.max(ProjectVersion.number)).where(ProjectVersion.project_id == project_id))
    return (current or 0) + 1


def lock_for_save(session: Session, project_id: int) -> None:
    """Saves of a project take turns, and wait for sample deletions and crops in flight (which hold
    `lock_for_sample_change`) so that a sample is never both referenced and deleted unkept.
    NO KEY UPDATE: inserts elsewhere that only reference the project row are not held up."""
    session.execute(select(Project.id).where(Project.id == project_id).with_for_update(key_share=True))


def lock_for_sample_change(session: Session, project_id: int) -> None:
    # SHARE: deletions and crops run side by side; only a save in flight makes them wait.
    session.execute(select(Project.id).where(Project.id == project_id).with_for_update(read=True))


def reference_samples(session: Session, version_id: int, project_id: int) -> None:
    """Record every sample of the project as it is now (one INSERT ... SELECT: no values move)."""
    rows = select(
        literal(version_id), Sample.id, Sample.label, Sample.category, Sample.enabled, Sample.content_hash
    ).where(Sample.project_id == project_id)
    session.execute(
        insert(VersionSample).from_select(
            ["version_id", "sample_id", "label", "category", "enabled", "content_hash"], rows
        )
    )


def sample_counts(session: Session, version_id: int) -> dict[str, dict[str, int]]:
    rows = session.execute(
        select(VersionSample.category, VersionSample.label, func.count())
        .where(VersionSample.version_id == version_id)
        .group_by(VersionSample.category, VersionSample.label)
    )
    counts: dict[str, dict[str, int]] = {}
    for category, label, n in rows:
        counts.setdefault(category, {})[label] = n
    return counts


def sample_states(session: Session, version_id: int) -> dict[int, tuple[str, str, bool, str]]:
    """sample id -> (label, category, enabled, content hash) as the version saw it."""
    rows = session.execute(
        select(
            VersionSample.sample_id,
            VersionSample.label,
            VersionSample.category,
            VersionSample.enabled,
            VersionSample.content_hash,
        ).where(VersionSample.version_id == version_id)
    )
    return {sid: (label, category, bool(enabled), digest) for sid, label, category, enabled, digest in rows}


def sample_page(
    session: Session,
    version: ProjectVersion,
    *,
    cursor: int | None,
    limit: int,
    category: str | None,
    label: str | None,
) -> list[tuple[VersionSample, str | None, float | None, bool]]:
    """(reference, name, length in ms, still in the project unchanged) in sample id order, after
    `cursor`. The name and length come from the live sample, else from its kept copy."""
    live = and_(
        Sample.id == VersionSample.sample_id,
        Sample.content_hash == VersionSample.content_hash,
        Sample.project_id == version.project_id,
    )
    kept = and_(KeptSample.sample_id == VersionSample.sample_id, KeptSample.content_hash == VersionSample.content_hash)
    q = (
        select(
            VersionSample,
            func.coalesce(Sample.filename, KeptSample.filename),
            func.coalesce(Sample.length_ms, KeptSample.length_ms),
            Sample.id.is_not(None),
        )
        .outerjoin(Sample, live)
        .outerjoin(KeptSample, kept)
        .where(VersionSample.version_id == version.id)
    )
    if cursor is not None:
        q = q.where(VersionSample.sample_id > cursor)
    if category is not None:
        q = q.where(VersionSample.category == category)
    if label is not None:
        q = q.where(VersionSample.label == label)
    return [tuple(row) for row in session.execute(q.order_by(VersionSample.sample_id).limit(limit))]


# -- keeping samples that versions reference ----------------------------------------------------
def keep_referenced(session: Session, project_id: int, sample_ids: list[int]) -> None:
    """Before samples are deleted or their values replaced: copy those a version references (in
    their current content) into kept_samples, once. Runs in SQL; unreferenced samples cost nothing."""
    if not sample_ids:
        return
    lock_for_sample_change(session, project_id)
    referenced = exists().where(VersionSample.sample_id == Sample.id, VersionSample.content_hash == Sample.content_hash)
    already = exists().where(KeptSample.sample_id == Sample.id, KeptSample.content_hash == Sample.content_hash)
    rows = (
        select(
            Sample.id,
            Sample.content_hash,
            Sample.project_id,
            *[getattr(Sample, c) for c in _KEPT_COLUMNS],
            SampleValues.values,
        )
        .join(SampleValues, SampleValues.sample_id == Sample.id)
        .where(Sample.project_id == project_id, Sample.id.in_(sample_ids), referenced, ~already)
    )
    session.execute(
        insert(KeptSample).from_select(
            ["sample_id", "content_hash", "project_id", *_KEPT_COLUMNS[:-1], "metadata", "values"], rows
        )
    )


def is_kept(session: Session, sample_id: int) -> bool:
    return session.scalar(select(func.count()).where(KeptSample.sample_id == sample_id)) > 0


# -- what a restore copies ----------------------------------------------------------------------
def _row(source: Any, label: str, category: str, enabled: bool, digest: str) -> dict[str, Any]:
    return {
        **{c: getattr(source, c) for c in _KEPT_COLUMNS},
        "label": label,
        "category": category,
        "enabled": enabled,
        "content_hash": digest,
    }


def version_sample_batches(
    session: Session, version: ProjectVersion, batch: int = 200
) -> Iterator[list[tuple[dict[str, Any], bytes]]]:
    """The version's samples as (sample row, values), in batches: the live sample where its
    content is still what the version saw, else the kept copy."""
    last = -1
    while True:
        refs = list(
            session.scalars(
                select(VersionSample)
                .where(VersionSample.version_id == version.id, VersionSample.sample_id > last)
                .order_by(VersionSample.sample_id)
                .limit(batch)
            )
        )
        if not refs:
            return
        last = refs[-1].sample_id
        ids = [r.sample_id for r in refs]
        live = {
            s.id: (s, blob)
            for s, blob in session.execute(
                select(Sample, SampleValues.values)
                .join(SampleValues, SampleValues.sample_id == Sample.id)
                .where(Sample.project_id == version.project_id, Sample.id.in_(ids))
            )
        }
        kept = {
            (k.sample_id, k.content_hash): (k, k.values)
            for k in session.scalars(
                select(KeptSample).where(
                    tuple_(KeptSample.sample_id, KeptSample.content_hash).in_(
                        [(r.sample_id, r.content_hash) for r in refs]
                    )
                )
            )
        }
        out = []
        for r in refs:
            found = live.get(r.sample_id)
            if found is None or found[0].content_hash != r.content_hash:
                found = kept.get((r.sample_id, r.content_hash))
            if found is not None:
                out.append((_row(found[0], r.label, r.category, r.enabled, r.content_hash), found[1]))
        yield out


def live_sample_batches(
    session: Session, project_id: int, batch: int = 200
) -> Iterator[list[tuple[dict[str, Any], bytes]]]:
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
        yield [(_row(s, s.label, s.category, s.enabled, s.content_hash), blob) for s, blob in rows]


# -- impulses, trainings, deployments -----------------------------------------------------------
def impulses(session: Session, project_id: int) -> list[Impulse]:
    return list(session.scalars(select(Impulse).where(Impulse.project_id == project_id).order_by(Impulse.id)))


def artifacts_of_job(session: Session, job_id: int) -> list[Artifact]:
    return list(session.scalars(select(Artifact).where(Artifact.job_id == job_id).order_by(Artifact.id)))


def deployments_of_training(session: Session, project_id: int, job_id: int) -> list[tuple[Deployment, Job | None]]:
    q = (
        select(Deployment, Job)
        .outerjoin(Job, Job.id == Deployment.job_id)
        .where(Deployment.project_id == project_id, Deployment.training_job_id == job_id)
        .order_by(Deployment.build_number)
    )
    return [tuple(row) for row in session.execute(q).all()]


def artifacts_by_id(session: Session, project_id: int, ids: list[int]) -> dict[int, Artifact]:
    if not ids:
        return {}
    return {
        a.id: a
        for a in session.scalars(select(Artifact).where(Artifact.project_id == project_id, Artifact.id.in_(ids)))
    }


def copy_artifacts(
    session: Session, project_id: int, artifact_ids: list[int], new_project_id: int, new_job_id: int
) -> None:
    """Copy model files into another project's job, in SQL (the bytes never pass through Python)."""
    if not artifact_ids:
        return
    rows = (
        select(
            literal(new_project_id),
            literal(new_job_id),
            Artifact.kind,
            Artifact.name,
            Artifact.content_type,
            Artifact.size,
            Artifact.sha256,
            Artifact.info,
            Artifact.data,
            Artifact.created_at,
        )
        .where(and_(Artifact.project_id == project_id, Artifact.id.in_(artifact_ids)))
        .order_by(Artifact.id)
    )
    session.execute(
        insert(Artifact).from_select(
            ["project_id", "job_id", "kind", "name", "content_type", "size", "sha256", "info", "data", "created_at"],
            rows,
        )
    )


# -- the public link ----------------------------------------------------------------------------
def by_public_hash(session: Session, digest: str) -> ProjectVersion | None:
    return session.scalar(select(ProjectVersion).where(ProjectVersion.public_token_hash == digest))


def sample_with_values(
    session: Session, version: ProjectVersion, sample_id: int
) -> tuple[Any, VersionSample, bytes] | None:
    """(live sample or kept copy, the version's reference, values) of one of the version's samples."""
    ref = session.get(VersionSample, (version.id, sample_id))
    if ref is None:
        return None
    row = session.execute(
        select(Sample, SampleValues.values)
        .join(SampleValues, SampleValues.sample_id == Sample.id)
        .where(Sample.id == sample_id, Sample.project_id == version.project_id, Sample.content_hash == ref.content_hash)
    ).first()
    if row is None:
        kept = session.get(KeptSample, (sample_id, ref.content_hash))
        if kept is None or kept.project_id != version.project_id:
            return None
        return kept, ref, kept.values
    return row[0], ref, row[1]


def artifact_with_data(session: Session, project_id: int, artifact_id: int) -> Artifact | None:
    return session.scalar(
        select(Artifact)
        .options(undefer(Artifact.data))
        .where(Artifact.project_id == project_id, Artifact.id == artifact_id)
    )
