"""Splitting a sample into new samples: consecutive windows, or one clip per event.

`preview` answers the cuts a split would make without changing anything; `split` makes them
(the same cuts for the same request) in one transaction.
"""

from __future__ import annotations

import numpy as np
from sqlalchemy.orm import Session

from backend.activity.service import record
from backend.core.deps import ProjectContext
from backend.core.errors import InvalidInput
from backend.dataset import audio, editing, events, repository
from backend.dataset.schemas import SplitCut, SplitPreview, SplitRequest
from backend.dataset.service import announce, get_sample
from backend.ingestion import repository as new_samples
from backend.ingestion.formats import content_hash
from backend.models.sample import Sample

MAX_SPLIT_PIECES = 10_000


def _params(body: SplitRequest) -> events.EventParams:
    return events.EventParams(
        clip_ms=body.window_ms,
        frame_ms=body.frame_ms,
        threshold_db=body.threshold_db,
        hysteresis_db=body.hysteresis_db,
        noise_percentile=body.noise_percentile,
        min_gap_ms=body.min_gap_ms,
        min_event_ms=body.min_event_ms,
    )


def _cuts(sample: Sample, data: np.ndarray, body: SplitRequest) -> SplitPreview:
    ms = sample.interval_ms
    try:
        if body.mode == "windows":
            ranges = editing.fixed_windows(sample.n_rows, ms, body.window_ms)
            return SplitPreview(cuts=[SplitCut(start_ms=a * ms, end_ms=b * ms) for a, b in ranges])
        full_scale = audio.FULL_SCALE if audio.is_audio(sample.sensors) else 1.0
        found = events.detect_events(data, ms, _params(body), full_scale)
    except editing.EditError as exc:
        raise InvalidInput(f"{sample.filename}: {exc}") from None
    return SplitPreview(
        cuts=[
            SplitCut(
                start_ms=c.start * ms,
                end_ms=c.end * ms,
                event_start_ms=c.event_start * ms,
                event_end_ms=c.event_end * ms,
                energy_db=round(c.energy_db, 2),
                peak_db=round(c.peak_db, 2),
            )
            for c in found.cuts
        ],
        noise_floor_db=round(found.noise_floor_db, 2),
        threshold_db=round(found.threshold_db, 2),
    )


def preview(session: Session, ctx: ProjectContext, sample_id: int, body: SplitRequest) -> SplitPreview:
    sample = get_sample(session, ctx, sample_id)
    return _cuts(sample, repository.values(session, sample), body)


def split(session: Session, ctx: ProjectContext, sample_id: int, body: SplitRequest) -> list[int]:
    """New samples (`<name>.s1`, `.s2`, ...) with the original's label, category and metadata; the
    original is deleted, disabled or kept as `body.original` says."""
    sample = get_sample(session, ctx, sample_id)
    data = repository.values(session, sample)
    cuts = _cuts(sample, data, body).cuts
    if not cuts:
        raise InvalidInput(f"{sample.filename}: no events found; lower threshold_db or split into windows")
    if len(cuts) > MAX_SPLIT_PIECES:
        raise InvalidInput(f"{sample.filename}: that would make {len(cuts)} samples; the limit is {MAX_SPLIT_PIECES}")
    names = [s["name"] for s in sample.sensors]
    rows, blobs = [], []
    for i, cut in enumerate(cuts, start=1):
        a, b = int(round(cut.start_ms / sample.interval_ms)), int(round(cut.end_ms / sample.interval_ms))
        piece = np.ascontiguousarray(data[a:b])
        rows.append(
            {
                "project_id": ctx.project.id,
                "category": sample.category,
                "label": sample.label,
                "filename": f"{sample.filename[:240]}.s{i}",
                "device_name": sample.device_name,
                "device_type": sample.device_type,
                "interval_ms": sample.interval_ms,
                "sensors": sample.sensors,
                "n_rows": int(piece.shape[0]),
                "n_axes": sample.n_axes,
                "length_ms": sample.interval_ms * piece.shape[0],
                "content_hash": content_hash(sample.interval_ms, names, piece),
                "signature_status": sample.signature_status,
                "meta": dict(sample.meta or {}),
                "enabled": sample.enabled,
                "uploaded_by_user_id": ctx.user.id if ctx.user else None,
                "uploaded_by_api_key_id": ctx.api_key.id if ctx.api_key else None,
            }
        )
        blobs.append(piece.astype("<f4").tobytes())
    ids = new_samples.insert_samples(session, rows, blobs)
    if body.original == "delete":
        repository.delete_many(session, ctx.project.id, [sample.id])
        announce(session, ctx, "deleted", [sample.id])
    elif body.original == "disable":
        repository.update_many(session, ctx.project.id, [sample.id], {"enabled": False})
        announce(session, ctx, "changed", [sample.id])
    record(
        session,
        ctx,
        "sample.split",
        sample_id=sample.id,
        name=sample.filename,
        mode=body.mode,
        pieces=len(ids),
        original=body.original,
    )
    announce(session, ctx, "added", ids)
    session.commit()
    return ids
