"""Deployments: build a trained impulse into a downloadable package, numbered per project."""

from __future__ import annotations

import io
import zipfile

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend.activity.service import record
from backend.core import task_names
from backend.core.deps import ProjectContext
from backend.core.errors import Conflict, NotFound
from backend.deployment import repository
from backend.deployment.schemas import ArtifactInfo, DeploymentCreate, DeploymentPublic
from backend.impulse import repository as impulse_repository
from backend.impulse.service import get_impulse
from backend.job.service import create_job
from backend.models.deployment import Deployment
from backend.models.impulse import Impulse

_NEURAL_KINDS = {"int8": "model.tflite.int8", "float32": "model.tflite.float32"}


def _pick_impulse(session: Session, ctx: ProjectContext, impulse_id: int | None) -> Impulse:
    if impulse_id is not None:
        return get_impulse(session, ctx, impulse_id)
    impulses = repository.trained_impulses(session, ctx.project.id)
    if not impulses:
        raise NotFound("This project has no impulse: create and train one, then deploy it")
    return impulses[0]


def create_deployment(session: Session, ctx: ProjectContext, body: DeploymentCreate) -> DeploymentPublic:
    impulse = _pick_impulse(session, ctx, body.impulse_id)
    trained = impulse_repository.latest_trained(session, impulse.id)
    if trained is None:
        raise Conflict(f"Impulse {impulse.id} ({impulse.name}) has no trained model yet: train it, then deploy")
    result = trained.result or {}
    if (
        result.get("labels") is not None
        and result.get("metrics")
        and impulse_repository.artifact(session, trained.id, _NEURAL_KINDS[body.variant], with_data=False) is None
    ):
        raise Conflict(f"The training job {trained.id} stored no {body.variant} model: train the impulse again")
    deployment = None
    for _ in range(5):  # two builds started at once may pick the same number: take the next one
        deployment = Deployment(
            project_id=ctx.project.id,
            build_number=repository.next_build_number(session, ctx.project.id),
            impulse_id=impulse.id,
            impulse_version=result.get("impulse_version"),
            training_job_id=trained.id,
            target=body.target,
            variant=body.variant,
            created_by_id=ctx.user.id if ctx.user else None,
        )
        try:
            with session.begin_nested():
                session.add(deployment)
                session.flush()
            break
        except IntegrityError:
            deployment = None
    if deployment is None:
        raise Conflict("Could not allocate a build number: try again")
    params = {"deployment_id": deployment.id, "target": body.target, **({"board": body.board} if body.board else {})}
    job = create_job(session, ctx, task_names.BUILD_DEPLOYMENT, params)
    session.flush()
    deployment.job_id = job.id
    record(
        session,
        ctx,
        "deployment.started",
        deployment_id=deployment.id,
        build=deployment.build_number,
        target=body.target,
        variant=body.variant,
        impulse_id=impulse.id,
    )
    session.commit()
    return to_public(session, deployment)


def get_deployment(session: Session, ctx: ProjectContext, deployment_id: int) -> Deployment:
    deployment = repository.get(session, ctx.project.id, deployment_id)
    if deployment is None:
        raise NotFound(f"Deployment {deployment_id} not found")
    return deployment


def list_deployments(session: Session, ctx: ProjectContext) -> list[DeploymentPublic]:
    return [_public(d, job, art) for d, job, art in repository.list_for_project(session, ctx.project.id)]


def to_public(session: Session, deployment: Deployment) -> DeploymentPublic:
    return _public(
        deployment, repository.job(session, deployment.job_id), repository.artifact(session, deployment.artifact_id)
    )


def _public(d: Deployment, job, art) -> DeploymentPublic:
    url = f"/api/projects/{d.project_id}/deployments/{d.id}/download" if art is not None else None
    return DeploymentPublic(
        id=d.id,
        project_id=d.project_id,
        build_number=d.build_number,
        version=f"1.0.{d.build_number}",
        impulse_id=d.impulse_id,
        impulse_version=d.impulse_version,
        training_job_id=d.training_job_id,
        target=d.target,
        variant=d.variant,
        job_id=d.job_id,
        status=job.status if job is not None else "unknown",
        error=job.error if job is not None else None,
        artifact=_artifact_info(art),
        estimates=d.estimates,
        download_url=url,
        created_at=d.created_at,
    )


def _artifact_info(art) -> ArtifactInfo | None:
    if art is None:
        return None
    info = art.info or {}
    return ArtifactInfo(
        name=art.name,
        size=art.size,
        sha256=art.sha256,
        module_sha256=info.get("module_sha256"),
        sources_sha256=info.get("sources_sha256"),
    )


def download(session: Session, ctx: ProjectContext, deployment_id: int) -> tuple[str, str, bytes]:
    """(file name, content type, bytes) of a finished build."""
    deployment = get_deployment(session, ctx, deployment_id)
    art = repository.artifact(session, deployment.artifact_id, with_data=True)
    if art is None:
        job = repository.job(session, deployment.job_id)
        status = job.status if job is not None else "unknown"
        if status in ("failed", "cancelled"):
            raise Conflict(
                f"Build {deployment.build_number} {status}: "
                f"{(job.error if job is not None else None) or 'start a new build'}"
            )
        raise Conflict(f"Build {deployment.build_number} is not ready yet (its job is {status})")
    return art.name, art.content_type, art.data


def wasm_module(session: Session, ctx: ProjectContext, deployment_id: int) -> tuple[str, bytes]:
    """(file name, bytes) of the .wasm inside a finished wasm build."""
    deployment = get_deployment(session, ctx, deployment_id)
    if deployment.target != "wasm":
        raise Conflict(f"Build {deployment.build_number} is for {deployment.target}: only wasm builds have a module")
    name, _, data = download(session, ctx, deployment_id)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        inner = next((n for n in z.namelist() if n.endswith(".wasm")), None)
        if inner is None:
            raise Conflict(f"Build {deployment.build_number} has no .wasm module: start a new build")
        return inner.rsplit("/", 1)[-1], z.read(inner)
