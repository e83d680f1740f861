"""SQL of the deployment domain."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.models.deployment import Deployment
from backend.models.impulse import Impulse
from backend.models.job import Job
from backend.models.sample import Artifact


def list_for_project(session: Session, project_id: int) -> list[tuple[Deployment, Job | None, Artifact | None]]:
    q = (
        select(Deployment, Job, Artifact)
        .outerjoin(Job, Job.id == Deployment.job_id)
        .outerjoin(Artifact, Artifact.id == Deployment.artifact_id)
        .where(Deployment.project_id == project_id)
        .order_by(Deployment.build_number.desc())
    )
    return [tuple(row) for row in session.execute(q).all()]


def get(session: Session, project_id: int, deployment_id: int) -> Deployment | None:
    d = session.get(Deployment, deployment_id)
    return d if d is not None and d.project_id == project_id else None


def by_build(session: Session, project_id: int, build_number: int) -> Deployment | None:
    return session.scalar(
        select(Deployment).where(Deployment.project_id == project_id, Deployment.build_number == build_number)
    )


def next_build_number(session: Session, project_id: int) -> int:
    current = session.scalar(select(func.max(Deployment.build_number)).where(Deployment.project_id == project_id))
    return (current or 0) + 1


def trained_impulses(session: Session, project_id: int) -> list[Impulse]:
    """Impulses of the project, most recently trained first (never trained last)."""
    q = (
        select(Impulse)
        .where(Impulse.project_id == project_id)
        .order_by(Impulse.trained_job_id.is_(None), Impulse.trained_job_id.desc(), Impulse.id.desc())
    )
    return list(session.scalars(q))


def impulse_names(session: Session, project_id: int) -> dict[int, str]:
    """id -> name of every impulse of the project."""
    return dict(session.execute(select(Impulse.id, Impulse.name).where(Impulse.project_id == project_id)).all())


def job(session: Session, job_id: int | None) -> Job | None:
    return session.get(Job, job_id) if job_id is not None else None


def artifact(session: Session, artifact_id: int | None, with_data: bool = False) -> Artifact | None:
    if artifact_id is None:
        return None
    if with_data:
        from sqlalchemy.orm import undefer

        return session.scalar(select(Artifact).options(undefer(Artifact.data)).where(Artifact.id == artifact_id))
    return session.get(Artifact, artifact_id)


def training_artifacts(session: Session, job_id: int) -> dict[str, Artifact]:
    """The newest artifact of each kind a training job stored, with its data."""
    from sqlalchemy.orm import undefer

    rows = session.scalars(
        select(Artifact).options(undefer(Artifact.data)).where(Artifact.job_id == job_id).order_by(Artifact.id)
    )
    return {a.kind: a for a in rows}


def newest_for_target(
    session: Session, project_id: int, impulse_id: int, target: str, training_job_id: int | None
) -> Deployment | None:
    """The newest build of `target` for the impulse's given training."""
    return session.scalar(
        select(Deployment)
        .where(
            Deployment.project_id == project_id,
            Deployment.impulse_id == impulse_id,
            Deployment.target == target,
            Deployment.training_job_id == training_job_id,
        )
        .order_by(Deployment.build_number.desc())
        .limit(1)
    )
