"""What a version holds besides its samples, and how a project is rebuilt from it.

An impulse's entry: {id, name, version, config, training: {job_id, finished_at, result,
artifacts: [{id, kind, name, size, sha256}]} or null, deployments: [...]}. The training result is
copied (it is small: metrics, estimates, labels, normalisation); the model files are referenced by id.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

from backend.core import task_names
from backend.core.config import get_settings
from backend.impulse import repository as impulse_repository
from backend.ingestion.repository import insert_samples
from backend.models.base import utcnow
from backend.models.impulse import Impulse
from backend.models.job import Job
from backend.version import repository
from backend.version.schemas import (
    ArtifactRef,
    DeploymentSnapshot,
    ImpulseHeadline,
    TrainingSnapshot,
    VersionImpulse,
)


def _artifact_ref(a) -> dict[str, Any]:
    return {"id": a.id, "kind": a.kind, "name": a.name, "size": a.size, "sha256": a.sha256}


def capture_impulses(session: Session, project_id: int) -> list[dict[str, Any]]:
    """Every impulse of the project with its latest successful training and that training's builds."""
    out = []
    for impulse in repository.impulses(session, project_id):
        entry: dict[str, Any] = {
            "id": impulse.id,
            "name": impulse.name,
            "version": impulse.version,
            "config": impulse.config,
            "training": None,
            "deployments": [],
        }
        job = impulse_repository.latest_trained(session, impulse.id)
        if job is not None and job.project_id == project_id:
            entry["training"] = {
                "job_id": job.id,
                "finished_at": job.finished_at.isoformat() if job.finished_at else None,
                "result": job.result or {},
                "artifacts": [_artifact_ref(a) for a in repository.artifacts_of_job(session, job.id)],
            }
            builds = repository.deployments_of_training(session, project_id, job.id)
            arts = repository.artifacts_by_id(
                session, project_id, [d.artifact_id for d, _ in builds if d.artifact_id is not None]
            )
            entry["deployments"] = [
                {
                    "id": d.id,
                    "build_number": d.build_number,
                    "target": d.target,
                    "variant": d.variant,
                    "status": build.status if build is not None else "unknown",
                    "artifact": _artifact_ref(arts[d.artifact_id]) if d.artifact_id in arts else None,
                    "estimates": d.estimates,
                }
                for d, build in builds
            ]
        out.append(entry)
    return out


def accuracy(entry: dict[str, Any]) -> float | None:
    """The headline accuracy: the int8 model's validation accuracy, else float32's."""
    metrics = ((entry.get("training") or {}).get("result") or {}).get("metrics") or {}
    for variant in ("int8", "float32"):
        value = (metrics.get(variant) or {}).get("accuracy")
        if isinstance(value, (int, float)):
            return float(value)
    return None


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def headline(entry: dict[str, Any]) -> ImpulseHeadline:
    """What the list of versions shows: accuracies and the int8 build's on-device figures."""
    result = (entry.get("training") or {}).get("result") or {}
    metrics = result.get("metrics") or {}
    total = ((result.get("estimates") or {}).get("int8") or {}).get("total") or {}
    return ImpulseHeadline(
        impulse_id=entry["id"],
        name=entry["name"],
        version=entry["version"],
        accuracy=accuracy(entry),
        accuracy_int8=_number((metrics.get("int8") or {}).get("accuracy")),
        accuracy_float32=_number((metrics.get("float32") or {}).get("accuracy")),
        ram_bytes=_number(total.get("ram_bytes")),
        flash_bytes=_number(total.get("flash_bytes")),
        latency_ms=_number(total.get("latency_ms")),
    )


def public_impulse(entry: dict[str, Any]) -> VersionImpulse:
    training = entry.get("training")
    snap = None
    if training is not None:
        result = training.get("result") or {}
        snap = TrainingSnapshot(
            job_id=training["job_id"],
            finished_at=training.get("finished_at"),
            impulse_version=result.get("impulse_version"),
            labels=result.get("labels"),
            metrics=result.get("metrics"),
            estimates=result.get("estimates"),
            warnings=result.get("warnings"),
            artifacts=[ArtifactRef(**a) for a in training.get("artifacts", [])],
        )
    return VersionImpulse(
        id=entry["id"],
        name=entry["name"],
        version=entry["version"],
        config=entry["config"],
        training=snap,
        deployments=[DeploymentSnapshot(**d) for d in entry.get("deployments", [])],
    )


def copy_samples(
    session: Session, batches: Iterable[list[tuple[dict[str, Any], bytes]]], project_id: int, user_id: int
) -> int:
    """New sample rows (and their values) in `project_id`; returns how many."""
    total = 0
    for batch in batches:
        rows = [{**row, "project_id": project_id, "uploaded_by_user_id": user_id} for row, _ in batch]
        total += len(insert_samples(session, rows, [blob for _, blob in batch]))
    return total


def copy_impulses(
    session: Session, entries: list[dict[str, Any]], source_project_id: int, project_id: int, user_id: int
) -> None:
    """Recreate the impulses and their trained models (a succeeded training job with copies of its
    model files), so the new project can deploy and test at once. Features are made again on demand."""
    now = utcnow()
    for entry in entries:
        impulse = Impulse(
            project_id=project_id,
            name=entry["name"],
            config=entry["config"],
            version=entry["version"],
            created_by_id=user_id,
            created_at=now,
            updated_at=now,
        )
        session.add(impulse)
        session.flush()
        training = entry.get("training")
        if training is None:
            continue
        result = dict(training.get("result") or {})
        trained_version = result.get("impulse_version", entry["version"])
        result.update(impulse_id=impulse.id, features_job_id=None)
        job = Job(
            project_id=project_id,
            kind=task_names.TRAIN,
            queue=get_settings().instance_name,
            status="succeeded",
            progress=1.0,
            result=result,
            created_by_id=user_id,
            created_at=now,
            started_at=now,
            finished_at=now,
            params={
                "impulse_id": impulse.id,
                "impulse_version": trained_version,
                "impulse": result.get("impulse", entry["config"]),
                "copied_from_job": training["job_id"],
            },
        )
        session.add(job)
        session.flush()
        repository.copy_artifacts(
            session, source_project_id, [a["id"] for a in training.get("artifacts", [])], project_id, job.id
        )
        impulse.trained_job_id, impulse.trained_version = job.id, trained_version
