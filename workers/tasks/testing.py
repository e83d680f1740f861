"""impulse.test: the trained impulse (windows -> DSP -> int8 or float32 model -> anomaly) over the test set."""

from __future__ import annotations

from typing import Any

from backend.core import task_names
from backend.impulse import repository
from backend.models.job import Job
from workers.celery_app import app
from workers.pipeline.features import usable_samples
from workers.pipeline.impulse import SignalError
from workers.pipeline.inference import TrainedImpulseModel
from workers.pipeline.project_data import list_samples, values_loader
from workers.pipeline.variants import VARIANTS
from workers.tasks.base import JobContext, JobFailed, JobTask


def load_trained(session, train_job_id: int, variant: str = "int8") -> TrainedImpulseModel:
    """The trained impulse with its `variant` (int8 or float32) network."""
    if variant not in VARIANTS:
        raise LookupError(f"unknown model variant {variant!r}: choose int8 or float32")
    job = session.get(Job, train_job_id)
    if job is None or job.status != "succeeded" or not job.result:
        raise LookupError(f"training job {train_job_id} has no model (was it deleted?)")
    model = repository.artifact(session, train_job_id, f"model.tflite.{variant}")
    if model is None and (job.result.get("learning") or {}).get("type"):
        raise LookupError(f"training job {train_job_id} stored no {variant} model: train the impulse again")
    anomaly = repository.artifact(session, train_job_id, "anomaly.kmeans.json")
    return TrainedImpulseModel.from_training(
        job.result, model.data if model else None, anomaly.data if anomaly else None, variant
    )


def _other_variant(session, train_job_id: int, model: TrainedImpulseModel) -> TrainedImpulseModel | None:
    """The classifier's other variant, measured alongside so the result can tell what int8 costs."""
    if model.kind != "keras-classifier":
        return None
    try:
        return load_trained(session, train_job_id, "float32" if model.variant == "int8" else "int8")
    except LookupError:
        return None


class ModelTesting(JobTask):
    name = task_names.TEST

    def run_job(self, ctx: JobContext) -> dict[str, Any]:
        from workers.pipeline.testing import run_test_set

        variant = ctx.params.get("variant") or "int8"
        with ctx.session() as s:
            try:
                model = load_trained(s, ctx.params["train_job_id"], variant)
            except LookupError as e:
                raise JobFailed(str(e)) from None
            other = _other_variant(s, ctx.params["train_job_id"], model)
        include_invalid = bool(ctx.params.get("include_invalid_signatures"))
        samples, skipped = usable_samples(
            list_samples(ctx.session, ctx.project_id, ("testing",), include_invalid), model.runtime
        )
        for line in skipped[:20]:
            ctx.log(f"skipped {line}")
        if not samples:
            raise JobFailed(
                "No test samples: add enabled samples to the test set (at least one window long, "
                "with the impulse's axes), then test again."
            )
        ctx.log(f"testing {len(samples)} samples with the {variant} model of training job {ctx.params['train_job_id']}")

        def progress(fraction: float) -> None:
            ctx.check_cancelled()
            ctx.progress(fraction)

        try:
            result = run_test_set(
                samples,
                values_loader(ctx.session, samples),
                model,
                float(ctx.params.get("threshold", 0.6)),
                progress=progress,
                compare=other,
            )
        except (SignalError, LookupError) as e:
            raise JobFailed(str(e)) from None
        if "metrics" in result and "accuracy" in result["metrics"]:
            ctx.log(f"accuracy {result['metrics']['accuracy']:.4f} over {result['metrics']['windows']} windows")
        return {
            "impulse_id": ctx.params["impulse_id"],
            "train_job_id": ctx.params["train_job_id"],
            "impulse_version": ctx.params.get("impulse_version"),
            "skipped": skipped[:100],
            **result,
        }


model_testing = app.register_task(ModelTesting())
