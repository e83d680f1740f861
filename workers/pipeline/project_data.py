"""The bridge between the database and the pure pipeline: sample rows in, values on demand,
feature snapshots and models out as artifacts."""

from __future__ import annotations

from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from backend.impulse import repository
from backend.models.impulse import Impulse
from backend.models.sample import Sample
from workers.pipeline.features import FeatureSet, LoadValues, SampleInfo, generate_features, usable_samples
from workers.pipeline.impulse import ImpulseRuntime

FEATURES_KIND = "features.npz"


def sample_info(s: Sample) -> SampleInfo:
    return SampleInfo(
        id=s.id,
        label=s.label or "",
        category=s.category,
        interval_ms=float(s.interval_ms),
        n_rows=int(s.n_rows),
        sensors=[x.get("name", "") for x in s.sensors or []],
        meta=dict(s.meta or {}),
    )


def list_samples(maker, project_id: int, categories: tuple[str, ...], include_invalid: bool) -> list[SampleInfo]:
    with maker() as s:
        return [sample_info(x) for x in repository.pipeline_samples(s, project_id, categories, include_invalid)]


def decode_values(blob: bytes, n_axes: int) -> np.ndarray:
    return np.frombuffer(blob, dtype="<f4").reshape(-1, n_axes)


def values_loader(maker, samples: list[SampleInfo]) -> LoadValues:
    """load(ids) -> {id: float32 [rows, axes]}, one short session per batch."""
    widths = {x.id: len(x.sensors) for x in samples}

    def load(ids: list[int]) -> dict[int, np.ndarray]:
        with maker() as s:
            blobs = repository.sample_values(s, ids)
        missing = [i for i in ids if i not in blobs]
        if missing:
            raise LookupError(f"sample {missing[0]} was deleted while the job ran")
        return {i: decode_values(blobs[i], widths[i]) for i in ids}

    return load


def store_features(session: Session, project_id: int, job_id: int, fs: FeatureSet, info: dict[str, Any]) -> None:
    repository.add_artifact(session, project_id, job_id, FEATURES_KIND, "features.npz", fs.to_npz(), info=info)


def load_features(session: Session, job_id: int) -> tuple[FeatureSet, dict[str, Any]] | None:
    art = repository.artifact(session, job_id, FEATURES_KIND)
    if art is None:
        return None
    return FeatureSet.from_npz(art.data), dict(art.info or {})


def feature_snapshot(
    maker,
    project_id: int,
    impulse_id: int,
    version: int,
    runtime: ImpulseRuntime,
    include_invalid: bool,
    progress=None,
    log=print,
) -> tuple[FeatureSet, dict[str, Any], int | None]:
    """(features, info, id of the features job reused or None when computed now).

    The last features job of this impulse version is reused when the data has not changed since."""
    with maker() as s:
        fingerprint = repository.data_fingerprint(s, project_id)
        impulse = s.get(Impulse, impulse_id)
        if impulse is not None and impulse.features_job_id and impulse.features_version == version:
            loaded = load_features(s, impulse.features_job_id)
            if loaded is not None:
                fs, info = loaded
                if (
                    info.get("fingerprint") == fingerprint
                    and info.get("include_invalid") == include_invalid
                    and fs.feature_names == runtime.feature_names
                ):
                    log(f"using the features of job {impulse.features_job_id}")
                    return fs, info, impulse.features_job_id
    categories = ("training", "testing")
    samples, skipped = usable_samples(list_samples(maker, project_id, categories, include_invalid), runtime)
    for line in skipped[:20]:
        log(f"skipped {line}")
    if len(skipped) > 20:
        log(f"... and {len(skipped) - 20} more samples skipped")
    log(f"generating features of {len(samples)} samples ({runtime.n_features} features per window)")
    fs = generate_features(samples, values_loader(maker, samples), runtime, progress=progress)
    info = {
        "fingerprint": fingerprint,
        "include_invalid": include_invalid,
        "impulse_version": version,
        "skipped": skipped[:100],
        "skipped_count": len(skipped),
    }
    return fs, info, None
