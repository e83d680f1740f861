"""impulse.test: the trained impulse (windows -> DSP -> int8 model -> anomaly) over the test set."""
from __future__ import annotations

from typing import Any

from backend.impulse import repository
from backend.models.job import Job
from workers.celery_app import app
from workers.pipeline.features import usable_samples
from workers.pipeline.impulse import SignalError
from workers.pipeline.inference import TrainedImpulseModel
from workers.pipeline.project_data import list_samples, values_loader
from workers.tasks.base import JobContext, JobFailed, JobTask


def load_trained(session, train_job_id: int) -> TrainedImpulseModel:
    job = session.get(Job, train_job_id)
    if job is None or job.status != "succeeded" or not job.result:
        raise LookupError(f"training job {train_job_id} has no model (was it deleted?)")
    int8 = repository.artifact(session, train_job_id, "model.tflite.int8")
    anomaly = repository.artifact(session, train_job_id, "anomaly.kmeans.json")
    return TrainedImpulseModel.from_training(job.result, int8.data if int8 else None,
                                             anomaly.data if anomaly else None)


class ModelTesting(JobTask):
    name = "impulse.test"

    def run_job(self, ctx: JobContext) -> dict[str, Any]:
        from workers.pipeline.testing import run_test_set

        with ctx.session() as s:
            try:
                model = load_trained(s, ctx.params["train_job_id"])
            except LookupError as e:
                raise JobFailed(str(e)) from None
        include_invalid = bool(ctx.params.get("include_invalid_signatures"))
        samples, skipped = usable_samples(list_samples(ctx.session, ctx.project_id, ("testing",), include_invalid),
                                          model.runtime)
        for line in skipped[:20]:
            ctx.log(f"skipped {line}")
        if not samples:
            raise JobFailed("No test samples: add enabled samples to the test set (at least one window long, "
                            "with the impulse's axes), then test again.")
        ctx.log(f"testing {len(samples)} samples with the int8 model of training job {ctx.params['train_job_id']}")

        def progress(fraction: float) -> None:
            ctx.check_cancelled()
            ctx.progress(fraction)

        try:
            result = run_test_set(samples, values_loader(ctx.session, samples), model,
                                  float(ctx.params.get("threshold", 0.6)), progress=progress)
        except (SignalError, LookupError) as e:
            raise JobFailed(str(e)) from None
        if "metrics" in result and "accuracy" in result["metrics"]:
            ctx.log(f"accuracy {result['metrics']['accuracy']:.4f} over {result['metrics']['windows']} windows")
        return {"impulse_id": ctx.params["impulse_id"], "train_job_id": ctx.params["train_job_id"],
                "impulse_version": ctx.params.get("impulse_version"),
                "skipped": skipped[:100], **result}


model_testing = app.register_task(ModelTesting())
