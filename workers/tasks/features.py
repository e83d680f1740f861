"""impulse.generate_features and impulse.feature_explorer: thin tasks over workers.pipeline."""

from __future__ import annotations

from typing import Any

from backend.core import task_names
from backend.impulse import repository
from workers.celery_app import app
from workers.pipeline.features import feature_summary
from workers.pipeline.impulse import ImpulseRuntime, SignalError
from workers.pipeline.project_data import feature_snapshot, store_features
from workers.tasks.base import JobContext, JobFailed, JobTask


def runtime_of(ctx: JobContext) -> ImpulseRuntime:
    try:
        return ImpulseRuntime(ctx.params["impulse"])
    except (KeyError, ValueError, LookupError) as e:
        raise JobFailed(f"The impulse configuration cannot run: {e}") from None


def snapshot(ctx: JobContext, runtime: ImpulseRuntime, progress_span: float = 1.0):
    """The feature snapshot of the job's impulse version (reused or computed now)."""

    def progress(fraction: float) -> None:
        ctx.check_cancelled()
        ctx.progress(fraction * progress_span)

    try:
        return feature_snapshot(
            ctx.session,
            ctx.project_id,
            ctx.params["impulse_id"],
            ctx.params["impulse_version"],
            runtime,
            bool(ctx.params.get("include_invalid_signatures")),
            progress,
            ctx.log,
        )
    except (SignalError, LookupError) as e:
        raise JobFailed(str(e)) from None


class GenerateFeatures(JobTask):
    name = task_names.GENERATE_FEATURES

    def run_job(self, ctx: JobContext) -> dict[str, Any]:
        runtime = runtime_of(ctx)
        fs, info, reused = snapshot(ctx, runtime)
        if len(fs.features) == 0:
            raise JobFailed(
                "No windows: add enabled training or test samples that have the impulse's axes and "
                "are at least one window long."
            )
        with ctx.session() as s:
            if reused is None:
                store_features(s, ctx.project_id, ctx.job_id, fs, info)
            repository.mark_features(
                s, ctx.params["impulse_id"], ctx.params["impulse_version"], ctx.job_id if reused is None else reused
            )
            s.commit()
        summary = feature_summary(fs)
        ctx.log(f"{summary['windows']} windows x {summary['features']} features")
        return {
            "impulse_id": ctx.params["impulse_id"],
            "impulse_version": ctx.params["impulse_version"],
            "features_job_id": ctx.job_id if reused is None else reused,
            "feature_names": fs.feature_names,
            "skipped": info.get("skipped", []),
            **summary,
        }


class FeatureExplorer(JobTask):
    name = task_names.FEATURE_EXPLORER

    def run_job(self, ctx: JobContext) -> dict[str, Any]:
        from workers.pipeline.explorer import explore

        runtime = runtime_of(ctx)
        fs, info, reused = snapshot(ctx, runtime, progress_span=0.6)
        if len(fs.features) == 0:
            raise JobFailed("No windows to explore: generate features of some samples first.")

        def progress(fraction: float, line: str) -> None:
            ctx.check_cancelled()
            ctx.progress(0.6 + 0.4 * fraction, line)

        progress(0.0, f"reducing {len(fs.features)} windows to 2-D and 3-D")
        try:
            result = explore(fs, ctx.params.get("method", "pca"), progress=progress)
        except ValueError as e:
            raise JobFailed(str(e)) from None
        groups = result["suggestions"]["groups"]
        ctx.log(f"{result['method']} map of {result['shown']} windows; {len(groups)} groups of label suggestions")
        return {
            "impulse_id": ctx.params["impulse_id"],
            "impulse_version": ctx.params["impulse_version"],
            "cache_key": ctx.params.get("cache_key"),
            **result,
        }


generate_features = app.register_task(GenerateFeatures())
feature_explorer = app.register_task(FeatureExplorer())
