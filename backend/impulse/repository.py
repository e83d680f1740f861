"""All SQL of the impulse domain: impulses, the samples a pipeline reads, and trained models."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, undefer

from backend.core import task_names
from backend.models.base import utcnow
from backend.models.impulse import Impulse
from backend.models.job import Job
from backend.models.sample import Artifact, Sample, SampleValues


def list_for_project(session: Session, project_id: int) -> list[Impulse]:
    return list(session.scalars(select(Impulse).where(Impulse.project_id == project_id).order_by(Impulse.id)))


def get(session: Session, project_id: int, impulse_id: int) -> Impulse | None:
    return session.scalar(select(Impulse).where(Impulse.project_id == project_id, Impulse.id == impulse_id))


def by_name(session: Session, project_id: int, name: str) -> Impulse | None:
    return session.scalar(select(Impulse).where(Impulse.project_id == project_id, Impulse.name == name))


def update_if_version(session: Session, impulse_id: int, version: int, values: dict[str, Any]) -> bool:
    """Compare-and-set: apply `values` and bump the version only if it is still `version`."""
    res = session.execute(
        update(Impulse)
        .where(Impulse.id == impulse_id, Impulse.version == version)
        .values(**values, version=version + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return res.rowcount == 1


def mark_features(session: Session, impulse_id: int, version: int, job_id: int) -> None:
    # An older version's job finishing late must not replace newer features.
    newer = (Impulse.features_version.is_(None)) | (Impulse.features_version <= version)
    session.execute(
        update(Impulse)
        .where(Impulse.id == impulse_id, newer)
        .values(features_job_id=job_id, features_version=version)
        .execution_options(synchronize_session=False)
    )


def mark_trained(session: Session, impulse_id: int, version: int, job_id: int) -> None:
    newer = (Impulse.trained_version.is_(None)) | (Impulse.trained_version <= version)
    session.execute(
        update(Impulse)
        .where(Impulse.id == impulse_id, newer)
        .values(trained_job_id=job_id, trained_version=version)
        .execution_options(synchronize_session=False)
    )


# -- the project's data, as the pipeline sees it ----------------------------------------------
def data_facts(session: Session, project_id: int) -> tuple[set[str], float | None]:
    """(axis names found in enabled samples, longest enabled sample in ms); (set(), None) if none."""
    enabled = (Sample.project_id == project_id, Sample.enabled.is_(True))
    longest = session.scalar(select(func.max(Sample.length_ms)).where(*enabled))
    axes: set[str] = set()
    for sensors in session.scalars(select(Sample.sensors).where(*enabled).distinct().limit(1000)):
        axes.update(s.get("name", "") for s in sensors or [])
    return axes, longest


def pipeline_samples(
    session: Session, project_id: int, categories: Iterable[str], include_invalid: bool = False
) -> list[Sample]:
    """Enabled samples of these categories (rows only, not their values), oldest first."""
    q = select(Sample).where(
        Sample.project_id == project_id, Sample.enabled.is_(True), Sample.category.in_(list(categories))
    )
    if not include_invalid:
        q = q.where(Sample.signature_status != "invalid")
    return list(session.scalars(q.order_by(Sample.id)))


def sample(session: Session, project_id: int, sample_id: int) -> Sample | None:
    return session.scalar(select(Sample).where(Sample.project_id == project_id, Sample.id == sample_id))


def sample_values(session: Session, sample_ids: list[int]) -> dict[int, bytes]:
    rows = session.execute(
        select(SampleValues.sample_id, SampleValues.values).where(SampleValues.sample_id.in_(sample_ids))
    )
    return {sid: blob for sid, blob in rows}


# -- results of jobs ----------------------------------------------------------------------------
def latest_job(session: Session, impulse_id: int, kind: str, status: str = "succeeded") -> Job | None:
    """The newest job of `kind` for this impulse in `status` (its params carry the impulse id)."""
    return session.scalars(
        select(Job)
        .where(Job.kind == kind, Job.status == status, Job.params["impulse_id"].as_integer() == impulse_id)
        .order_by(Job.id.desc())
        .limit(1)
    ).first()


def latest_trained(session: Session, impulse_id: int) -> Job | None:
    """The newest succeeded impulse.train job of this impulse (its result and artifacts are the
    model: see docs/impulse-json.md, "Training results"), or None."""
    impulse = session.get(Impulse, impulse_id)
    if impulse is not None and impulse.trained_job_id is not None:
        job = session.get(Job, impulse.trained_job_id)
        if job is not None and job.status == "succeeded":
            return job
    return latest_job(session, impulse_id, task_names.TRAIN)


def artifact(session: Session, job_id: int, kind: str, with_data: bool = True) -> Artifact | None:
    q = select(Artifact).where(Artifact.job_id == job_id, Artifact.kind == kind).order_by(Artifact.id.desc())
    if with_data:
        q = q.options(undefer(Artifact.data))
    return session.scalars(q).first()


def artifacts_of_job(session: Session, job_id: int) -> list[Artifact]:
    return list(session.scalars(select(Artifact).where(Artifact.job_id == job_id).order_by(Artifact.id)))


def data_fingerprint(session: Session, project_id: int) -> str:
    """Changes whenever a sample of the project is added, edited, disabled or deleted."""
    count, max_id, changed = session.execute(
        select(func.count(Sample.id), func.max(Sample.id), func.max(Sample.updated_at)).where(
            Sample.project_id == project_id
        )
    ).one()
    return f"{count}:{max_id}:{changed.isoformat() if changed else ''}"


def add_artifact(
    session: Session,
    project_id: int,
    job_id: int,
    kind: str,
    name: str,
    data: bytes,
    content_type: str = "application/octet-stream",
    info: dict[str, Any] | None = None,
) -> Artifact:
    import hashlib

    row = Artifact(
        project_id=project_id,
        job_id=job_id,
        kind=kind,
        name=name,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        info=info or {},
        data=data,
    )
    session.add(row)
    return row
