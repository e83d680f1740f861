"""impulse.train: learning blocks on a feature snapshot, live epochs, tflite float32 + int8."""

from __future__ import annotations

from typing import Any

from backend.core import task_names
from backend.core.events import job_channel, project_channel, publish
from backend.impulse import repository
from workers.celery_app import app
from workers.pipeline.project_data import store_features
from workers.tasks.base import JobCancelled, JobContext, JobFailed, JobTask
from workers.tasks.features import runtime_of, snapshot


def _epoch_reporter(ctx: JobContext, epochs: int):
    def on_epoch(epoch: int, logs: dict[str, float]) -> None:
        event = {
            "type": "training.epoch",
            "job_id": ctx.job_id,
            "epoch": epoch,
            "epochs": epochs,
            **{k: float(v) for k, v in logs.items()},
        }
        for key in ("loss", "accuracy", "val_loss", "val_accuracy"):
            event.setdefault(key, None)
        shown = ", ".join(f"{k} {v:.4f}" for k, v in logs.items())
        ctx.progress(0.2 + 0.6 * epoch / max(epochs, 1), f"epoch {epoch}/{epochs}: {shown}")
        publish(job_channel(ctx.job_id), event)
        publish(project_channel(ctx.project_id), event)

    return on_epoch


def _should_stop(ctx: JobContext):
    def should_stop() -> bool:
        try:
            ctx.check_cancelled()
        except JobCancelled:
            return True
        return False

    return should_stop


def _estimates(ctx: JobContext, trained) -> dict[str, Any]:
    """Flash, RAM and latency on a Cortex-M4F for the trained models (see workers/codegen/estimate.py).
    An impulse the generator cannot build yet still trains; its estimates say why they are missing."""
    import json

    from workers.codegen.library import LibraryInputError
    from workers.codegen.library.targets import estimates_for_training

    files = {kind: data for kind, _name, data, _type in trained.files}
    models = {v: files[f"model.tflite.{v}"] for v in ("int8", "float32") if f"model.tflite.{v}" in files}
    anomaly = json.loads(files["anomaly.kmeans.json"]) if "anomaly.kmeans.json" in files else None
    result = {**trained.result, "impulse": ctx.params["impulse"]}
    try:
        return estimates_for_training(result, models, anomaly, "impulse")
    except (LibraryInputError, ValueError) as exc:  # CodegenError is a ValueError
        ctx.log(f"no on-device estimates: {exc}")
        return {"error": str(exc)}


class TrainImpulse(JobTask):
    name = task_names.TRAIN

    def run_job(self, ctx: JobContext) -> dict[str, Any]:
        from workers.learn.errors import TrainingCancelled, TrainingDataError
        from workers.pipeline.training import train_impulse

        runtime = runtime_of(ctx)
        fs, info, reused = snapshot(ctx, runtime, progress_span=0.2)
        neural = runtime.learning_block(("keras-classifier", "keras-regression"))
        epochs = neural["params"]["epochs"] if neural else 0
        try:
            trained = train_impulse(
                fs, runtime, on_epoch=_epoch_reporter(ctx, epochs), should_stop=_should_stop(ctx), log=ctx.log
            )
        except TrainingCancelled:
            raise JobCancelled() from None
        except TrainingDataError as e:
            raise JobFailed(str(e)) from None
        ctx.check_cancelled()
        ctx.progress(0.95, "storing the models")
        with ctx.session() as s:  # models, snapshot and the impulse's pointer in one transaction
            if reused is None:
                store_features(s, ctx.project_id, ctx.job_id, fs, info)
            for kind, name, data, content_type in trained.files:
                repository.add_artifact(
                    s,
                    ctx.project_id,
                    ctx.job_id,
                    kind,
                    name,
                    data,
                    content_type,
                    info={"impulse_id": ctx.params["impulse_id"], "impulse_version": ctx.params["impulse_version"]},
                )
            repository.mark_trained(s, ctx.params["impulse_id"], ctx.params["impulse_version"], ctx.job_id)
            s.commit()
        estimates = _estimates(ctx, trained)
        metrics = trained.result.get("metrics") or {}
        if "int8" in metrics and "accuracy" in metrics["int8"]:
            ctx.log(
                f"int8 validation accuracy {metrics['int8']['accuracy']:.4f}, float32 "
                f"{metrics['float32']['accuracy']:.4f}"
            )
        return {
            "impulse_id": ctx.params["impulse_id"],
            "impulse_version": ctx.params["impulse_version"],
            "impulse": ctx.params["impulse"],
            "features_job_id": reused or ctx.job_id,
            **trained.result,
            "estimates": estimates,
        }


train_impulse_task = app.register_task(TrainImpulse())
