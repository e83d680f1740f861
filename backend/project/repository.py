from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.models.deployment import Deployment
from backend.models.impulse import Impulse
from backend.models.job import Job
from backend.models.project import Membership, Project
from backend.models.sample import Sample


def list_for_user(session: Session, user_id: int) -> list[tuple[Project, str, int]]:
    counts = select(Membership.project_id, func.count().label("n")).group_by(Membership.project_id).subquery()
    rows = session.execute(
        select(Project, Membership.role, counts.c.n)
        .join(Membership, Membership.project_id == Project.id)
        .join(counts, counts.c.project_id == Project.id)
        .where(Membership.user_id == user_id)
        .order_by(Project.created_at.desc(), Project.id.desc())
    )
    return [(p, role, n) for p, role, n in rows]


def member_count(session: Session, project_id: int) -> int:
    return session.scalar(select(func.count()).select_from(Membership).where(Membership.project_id == project_id))


def lock(session: Session, project_id: int) -> None:
    """Hold the project row until commit (serialises "is it still empty?" checks)."""
    session.execute(select(Project.id).where(Project.id == project_id).with_for_update())


def sample_count(session: Session, project_id: int) -> int:
    return session.scalar(select(func.count()).select_from(Sample).where(Sample.project_id == project_id)) or 0


def samples_per_label(session: Session, project_id: int) -> list[tuple[str, str, int]]:
    """(category, label, count) of the project's enabled samples."""
    rows = session.execute(
        select(Sample.category, Sample.label, func.count())
        .where(Sample.project_id == project_id, Sample.enabled.is_(True))
        .group_by(Sample.category, Sample.label)
        .order_by(Sample.category, Sample.label)
    )
    return [(c, lbl, n) for c, lbl, n in rows]


def newest_impulse(session: Session, project_id: int) -> Impulse | None:
    return session.scalars(
        select(Impulse).where(Impulse.project_id == project_id).order_by(Impulse.updated_at.desc(), Impulse.id.desc())
    ).first()


def latest_succeeded_job_id(session: Session, impulse_id: int, kind: str) -> int | None:
    """The id of the newest succeeded job of `kind` run on this impulse (its params carry the id)."""
    return session.scalar(
        select(func.max(Job.id)).where(
            Job.kind == kind, Job.status == "succeeded", Job.params["impulse_id"].as_integer() == impulse_id
        )
    )


def has_built_deployment(session: Session, impulse_id: int, after_job_id: int) -> bool:
    """A deployment of the impulse built (artifact stored) from the training `after_job_id` or later."""
    return (
        session.scalar(
            select(func.count())
            .select_from(Deployment)
            .where(
                Deployment.impulse_id == impulse_id,
                Deployment.artifact_id.is_not(None),
                func.coalesce(Deployment.training_job_id, 0) >= after_job_id,
            )
        )
        or 0
    ) > 0
