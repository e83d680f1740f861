"""Impulses: create and edit validated configurations, start the pipeline's jobs, ask workers
for previews and classifications.

Edits are guarded by the impulse's version (a stale version answers 409, so two collaborators
cannot overwrite each other). Jobs carry a copy of the configuration they were started with, so
an edit while they run changes nothing for them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend.activity.service import record
from backend.core import task_names
from backend.core.deps import ProjectContext
from backend.core.errors import Conflict, NotFound
from backend.core.events import project_channel, publish_after_commit
from backend.impulse import repository
from backend.impulse.schemas import ImpulseCreate, ImpulsePublic, ImpulseUpdate, PreviewRequest, SignalInput
from backend.impulse.validation import DataFacts, validate_config
from backend.job.service import create_job
from backend.models.base import utcnow
from backend.models.impulse import Impulse
from backend.models.job import Job

JOB_KINDS = {
    "features": task_names.GENERATE_FEATURES,
    "train": task_names.TRAIN,
    "test": task_names.TEST,
}


def to_public(impulse: Impulse) -> ImpulsePublic:
    return ImpulsePublic(
        id=impulse.id,
        project_id=impulse.project_id,
        name=impulse.name,
        config=impulse.config,
        version=impulse.version,
        features_job_id=impulse.features_job_id,
        features_version=impulse.features_version,
        trained_job_id=impulse.trained_job_id,
        trained_version=impulse.trained_version,
        features_stale=impulse.features_version != impulse.version,
        model_stale=impulse.trained_version != impulse.version,
        created_at=impulse.created_at,
        updated_at=impulse.updated_at,
    )


def _facts(session: Session, project_id: int) -> DataFacts:
    axes, longest = repository.data_facts(session, project_id)
    return DataFacts(axes=axes, longest_ms=longest)


def get_impulse(session: Session, ctx: ProjectContext, impulse_id: int) -> Impulse:
    impulse = repository.get(session, ctx.project.id, impulse_id)
    if impulse is None:
        raise NotFound(f"Impulse {impulse_id} not found")
    return impulse


def _announce(session: Session, ctx: ProjectContext, impulse: Impulse, action: str) -> None:
    # `by` lets a teammate's open form say who saved the version it is now behind.
    publish_after_commit(
        session,
        project_channel(impulse.project_id),
        {
            "type": "impulse",
            "action": action,
            "impulse_id": impulse.id,
            "version": impulse.version,
            "by": ctx.actor_name,
        },
    )


def create_impulse(session: Session, ctx: ProjectContext, body: ImpulseCreate) -> Impulse:
    config = validate_config(body.config, _facts(session, ctx.project.id))
    if repository.by_name(session, ctx.project.id, body.name):
        raise Conflict(f"An impulse named {body.name!r} exists already")
    now = utcnow()
    impulse = Impulse(
        project_id=ctx.project.id,
        name=body.name,
        config=config,
        version=1,
        created_by_id=ctx.user.id if ctx.user else None,
        created_at=now,
        updated_at=now,
    )
    session.add(impulse)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise Conflict(f"An impulse named {body.name!r} exists already") from None
    record(session, ctx, "impulse.created", impulse_id=impulse.id, name=body.name)
    _announce(session, ctx, impulse, "created")
    session.commit()
    return impulse


def update_impulse(session: Session, ctx: ProjectContext, impulse_id: int, body: ImpulseUpdate) -> Impulse:
    impulse = get_impulse(session, ctx, impulse_id)
    if body.version != impulse.version:
        raise Conflict(
            f"Impulse {impulse_id} was changed by someone else (you edited version {body.version}, "
            f"it is now version {impulse.version}): reload it and apply your change again"
        )
    values: dict[str, Any] = {}
    if body.name is not None and body.name != impulse.name:
        other = repository.by_name(session, ctx.project.id, body.name)
        if other is not None:
            raise Conflict(f"An impulse named {body.name!r} exists already")
        values["name"] = body.name
    config_changed = False
    if body.config is not None:
        config = validate_config(body.config, _facts(session, ctx.project.id))
        config_changed = config != impulse.config
        values["config"] = config
    # A rename keeps features and model current; a changed configuration leaves them stale.
    if not config_changed:
        if impulse.features_version == impulse.version:
            values["features_version"] = impulse.version + 1
        if impulse.trained_version == impulse.version:
            values["trained_version"] = impulse.version + 1
    try:
        if not repository.update_if_version(session, impulse.id, body.version, values):
            session.rollback()
            raise Conflict(f"Impulse {impulse_id} was changed by someone else while you saved: reload it")
        session.flush()
    except IntegrityError:
        session.rollback()
        raise Conflict(f"An impulse named {body.name!r} exists already") from None
    session.refresh(impulse)
    record(
        session, ctx, "impulse.updated", impulse_id=impulse.id, version=impulse.version, config_changed=config_changed
    )
    _announce(session, ctx, impulse, "updated")
    session.commit()
    return impulse


def delete_impulse(session: Session, ctx: ProjectContext, impulse_id: int) -> None:
    impulse = get_impulse(session, ctx, impulse_id)
    session.delete(impulse)
    record(session, ctx, "impulse.deleted", impulse_id=impulse_id, name=impulse.name)
    session.commit()


def start_job(session: Session, ctx: ProjectContext, impulse_id: int, what: str, options: dict[str, Any]) -> Job:
    """Queue a pipeline job on a snapshot of the impulse's current configuration."""
    impulse = get_impulse(session, ctx, impulse_id)
    params = {"impulse_id": impulse.id, "impulse_version": impulse.version, "impulse": impulse.config, **options}
    if what == "test":
        trained = repository.latest_trained(session, impulse.id)
        if trained is None:
            raise Conflict(f"Impulse {impulse_id} has no trained model yet: train it first")
        _require_variant(session, trained, options.get("variant") or "int8")
        params["train_job_id"] = trained.id
    job = create_job(session, ctx, JOB_KINDS[what], params)
    session.commit()
    return job


def _require_variant(session: Session, trained: Job, variant: str) -> None:
    """A network's variant must have been stored by its training (an anomaly-only impulse has none)."""
    if (trained.result or {}).get("learning") and repository.artifact(
        session, trained.id, f"model.tflite.{variant}", with_data=False
    ) is None:
        raise Conflict(f"The training job {trained.id} stored no {variant} model: train the impulse again")


def latest_trained(session: Session, ctx: ProjectContext, impulse_id: int) -> Job:
    impulse = get_impulse(session, ctx, impulse_id)
    job = repository.latest_trained(session, impulse.id)
    if job is None:
        raise NotFound(f"Impulse {impulse_id} has no trained model yet")
    return job


def _signal_payload(session: Session, ctx: ProjectContext, body: SignalInput) -> dict[str, Any]:
    if body.sample_id is not None:
        if repository.sample(session, ctx.project.id, body.sample_id) is None:
            raise NotFound(f"Sample {body.sample_id} not found")
        return {"sample_id": body.sample_id}
    return {"values": body.values, "interval_ms": body.interval_ms}


def preview_payload(session: Session, ctx: ProjectContext, impulse_id: int, body: PreviewRequest) -> dict[str, Any]:
    """What the preview task needs; a draft configuration (the block page's form) is checked as a save would be."""
    impulse = get_impulse(session, ctx, impulse_id)
    config = impulse.config if body.config is None else validate_config(body.config, _facts(session, ctx.project.id))
    if body.block_id is not None and body.block_id not in [b["id"] for b in config["processing"]]:
        raise NotFound(f"Impulse {impulse_id} has no processing block {body.block_id!r}")
    return {
        "project_id": ctx.project.id,
        "impulse": config,
        "window_start_ms": body.window_start_ms,
        "block_id": body.block_id,
        **_signal_payload(session, ctx, body),
    }


def classify_payload(session: Session, ctx: ProjectContext, impulse_id: int, body) -> dict[str, Any]:
    trained = latest_trained(session, ctx, impulse_id)
    _require_variant(session, trained, body.variant)
    return {
        "project_id": ctx.project.id,
        "train_job_id": trained.id,
        "threshold": body.threshold,
        "variant": body.variant,
        **_signal_payload(session, ctx, body),
    }
