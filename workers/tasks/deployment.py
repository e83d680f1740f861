"""deployment.build: package a trained impulse for a target; the file and the deployment's
estimates are stored in one transaction (all or nothing)."""

from __future__ import annotations

import hashlib
import json

from backend.core import task_names
from backend.deployment import repository
from backend.models.deployment import Deployment
from backend.models.project import Project
from backend.models.sample import Artifact
from workers.celery_app import app
from workers.tasks.base import JobContext, JobFailed, JobTask


def _request(
    deployment: Deployment,
    training,
    models: dict[str, bytes],
    anomaly: dict | None,
    project_name: str,
    impulses: dict[int, str],
):
    from workers.codegen.library import library_names
    from workers.codegen.library.targets import request_from_training

    result = training.result or {}
    # Named after project and impulse, distinct from the project's other impulses' libraries.
    impulse_name = impulses.get(deployment.impulse_id, f"impulse {deployment.impulse_id}")
    library = library_names(project_name, {**impulses, deployment.impulse_id: impulse_name})[deployment.impulse_id]
    return request_from_training(
        result,
        models,
        anomaly,
        deployment.variant,
        project_name,
        deployment.build_number,
        impulse_name=impulse_name,
        library=library,
        extra={
            "project_id": deployment.project_id,
            "impulse_id": deployment.impulse_id,
            "impulse_version": deployment.impulse_version,
            "training_job_id": training.id,
            "metrics": result.get("metrics"),
        },
    )


class BuildDeployment(JobTask):
    name = task_names.BUILD_DEPLOYMENT

    def run_job(self, ctx: JobContext) -> dict:
        from workers.codegen.library import LibraryInputError
        from workers.codegen.library.targets import build_package, check_compiles

        with ctx.session() as s:
            deployment = s.get(Deployment, int(ctx.params["deployment_id"]))
            if deployment is None or deployment.project_id != ctx.project_id:
                raise JobFailed("The deployment of this job no longer exists")
            training = repository.job(s, deployment.training_job_id)
            if training is None or training.status != "succeeded":
                raise JobFailed("The training job of this deployment is gone: train the impulse and deploy again")
            files = repository.training_artifacts(s, training.id)
            project_name = s.get(Project, deployment.project_id).name
            models = {v: files[f"model.tflite.{v}"].data for v in ("int8", "float32") if f"model.tflite.{v}" in files}
            anomaly = json.loads(files["anomaly.kmeans.json"].data) if "anomaly.kmeans.json" in files else None
            impulses = repository.impulse_names(s, deployment.project_id)
            req = _request(deployment, training, models, anomaly, project_name, impulses)
            target, build = deployment.target, deployment.build_number
        ctx.progress(0.1, f"generating build {build} for {target} ({req.variant})")
        annotate = None
        if ctx.params.get("board"):
            from backend.boards.service import with_board

            accuracy = ((req.extra.get("metrics") or {}).get(req.variant) or {}).get("accuracy")
            annotate = lambda e: with_board(e, ctx.params["board"], req.variant, accuracy)  # noqa: E731
        try:
            package = build_package(target, req, models, annotate)
        except LibraryInputError as exc:
            raise JobFailed(str(exc)) from exc
        ctx.check_cancelled()
        ctx.progress(0.6, f"{package.library.name}: {len(package.library.sources)} source files; compiling to check")
        complaint = check_compiles(package.library)
        if complaint:
            raise JobFailed(f"The generated library does not compile: {complaint[:2000]}")
        ctx.progress(0.9, f"storing {package.filename} ({len(package.data)} bytes)")
        with ctx.session() as s:
            artifact = Artifact(
                project_id=ctx.project_id,
                job_id=ctx.job_id,
                kind=f"deployment.{target}",
                name=package.filename,
                content_type="application/zip",
                size=len(package.data),
                sha256=hashlib.sha256(package.data).hexdigest(),
                data=package.data,
                info={"build_number": build, "variant": req.variant, **package.info},
            )
            s.add(artifact)
            s.flush()
            deployment = s.get(Deployment, int(ctx.params["deployment_id"]))
            deployment.artifact_id, deployment.estimates = artifact.id, package.estimates
            s.commit()
        return {
            "deployment_id": ctx.params["deployment_id"],
            "build_number": build,
            "target": target,
            "variant": req.variant,
            "file": package.filename,
            "size": len(package.data),
            "estimates": package.estimates,
        }


build_deployment = app.register_task(BuildDeployment())
