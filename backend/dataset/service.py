"""What can be done to a project's samples: browse, edit, split, rebalance.

Every change commits once, writes an activity record and announces itself on the project's
event stream (`samples.changed`, `samples.deleted`, `samples.added`) after the commit.
"""

from __future__ import annotations

import numpy as np
from sqlalchemy.orm import Session

from backend.activity.service import record
from backend.core.deps import ProjectContext
from backend.core.errors import InvalidInput, NotFound
from backend.core.events import project_channel, publish_after_commit
from backend.dataset import editing, repository
from backend.dataset.schemas import BulkUpdate, SampleUpdate, SplitRequest
from backend.ingestion import repository as new_samples
from backend.ingestion import service as ingestion
from backend.ingestion.formats import SampleFormatError, content_hash, split_category
from backend.ingestion.formats.text import check_text
from backend.models.sample import Sample

EVENT_MAX_IDS = 500
MAX_SPLIT_PIECES = 10_000


def _announce(session: Session, ctx: ProjectContext, kind: str, ids: list[int]) -> None:
    publish_after_commit(
        session,
        project_channel(ctx.project.id),
        {"type": f"samples.{kind}", "count": len(ids), "ids": ids[:EVENT_MAX_IDS]},
    )


def get_sample(session: Session, ctx: ProjectContext, sample_id: int) -> Sample:
    sample = repository.get(session, ctx.project.id, sample_id)
    if sample is None:
        raise NotFound(f"Sample {sample_id} not found")
    return sample


def plot_values(session: Session, sample: Sample, max_points: int) -> tuple[list[float], list[list[float]], bool]:
    data = repository.values(session, sample)
    rows, out = editing.downsample_minmax(data, max_points)
    times = (rows * sample.interval_ms).tolist()
    return times, out.astype(np.float64).tolist(), len(rows) < sample.n_rows


def _label(label: str) -> str:
    try:
        return ingestion.check_label(label)
    except ingestion.BadUpload as exc:
        raise InvalidInput(exc.message) from None


def _name(name: str) -> str:
    name = name.strip()
    try:
        check_text("", "the name", name)
    except SampleFormatError as exc:
        raise InvalidInput(exc.message) from None
    if not name or any(ch < " " or ch in "/\\" for ch in name):
        raise InvalidInput("the name must not be empty, nor contain control characters or path separators")
    return name


def _changes(body: SampleUpdate | BulkUpdate) -> dict:
    changes = {}
    if getattr(body, "name", None) is not None:
        changes["filename"] = _name(body.name)
    if body.label is not None:
        changes["label"] = _label(body.label)
    if body.category is not None:
        changes["category"] = body.category
    if body.enabled is not None:
        changes["enabled"] = body.enabled
    if not changes:
        raise InvalidInput("nothing to change: give name, label, category or enabled")
    return changes


def update_sample(session: Session, ctx: ProjectContext, sample_id: int, body: SampleUpdate) -> Sample:
    sample = get_sample(session, ctx, sample_id)
    changes = _changes(body)
    before = {k: getattr(sample, k) for k in changes}
    repository.update_many(session, ctx.project.id, [sample.id], changes)
    record(
        session,
        ctx,
        "sample.updated",
        sample_id=sample.id,
        name=sample.filename,
        changes={("name" if k == "filename" else k): [before[k], v] for k, v in changes.items()},
    )
    _announce(session, ctx, "changed", [sample.id])
    session.commit()
    session.refresh(sample)
    return sample


def _check_ids(session: Session, ctx: ProjectContext, ids: list[int]) -> list[int]:
    unique = sorted(set(ids))
    missing = sorted(set(unique) - repository.found_ids(session, ctx.project.id, unique))
    if missing:
        shown = ", ".join(str(i) for i in missing[:20]) + (" ..." if len(missing) > 20 else "")
        raise NotFound(f"Samples not found: {shown}")
    return unique


def bulk_update(session: Session, ctx: ProjectContext, body: BulkUpdate) -> int:
    ids = _check_ids(session, ctx, body.ids)
    changes = _changes(body)
    repository.update_many(session, ctx.project.id, ids, changes)
    record(session, ctx, "samples.updated", count=len(ids), changes=changes)
    _announce(session, ctx, "changed", ids)
    session.commit()
    return len(ids)


def delete_samples(session: Session, ctx: ProjectContext, ids: list[int]) -> int:
    ids = _check_ids(session, ctx, ids)
    repository.delete_many(session, ctx.project.id, ids)
    record(session, ctx, "samples.deleted", count=len(ids), ids=ids[:50])
    _announce(session, ctx, "deleted", ids)
    session.commit()
    return len(ids)


def crop_sample(session: Session, ctx: ProjectContext, sample_id: int, start_ms: float, end_ms: float) -> Sample:
    sample = get_sample(session, ctx, sample_id)
    try:
        a, b = editing.crop_range(sample.n_rows, sample.interval_ms, start_ms, end_ms)
    except editing.EditError as exc:
        raise InvalidInput(f"{sample.filename}: {exc}") from None
    data = repository.values(session, sample)[a:b]
    digest = content_hash(sample.interval_ms, [s["name"] for s in sample.sensors], data)
    repository.replace_values(session, sample, data, digest)
    record(session, ctx, "sample.cropped", sample_id=sample.id, name=sample.filename, start_ms=start_ms, end_ms=end_ms)
    _announce(session, ctx, "changed", [sample.id])
    session.commit()
    return sample


def split_sample(session: Session, ctx: ProjectContext, sample_id: int, body: SplitRequest) -> list[int]:
    """Replace a sample by pieces (`<name>.s1`, `.s2`, ...) with its label, category and metadata."""
    sample = get_sample(session, ctx, sample_id)
    data = repository.values(session, sample)
    try:
        if body.mode == "windows":
            ranges = editing.fixed_windows(sample.n_rows, sample.interval_ms, body.window_ms)
        else:
            ranges = editing.detect_events(data, sample.interval_ms, body.window_ms, body.threshold, body.min_gap_ms)
    except editing.EditError as exc:
        raise InvalidInput(f"{sample.filename}: {exc}") from None
    if not ranges:
        raise InvalidInput(f"{sample.filename}: no events found; lower the threshold or split into windows")
    if len(ranges) > MAX_SPLIT_PIECES:
        raise InvalidInput(f"{sample.filename}: that would make {len(ranges)} samples; the limit is {MAX_SPLIT_PIECES}")
    names = [s["name"] for s in sample.sensors]
    rows, blobs = [], []
    for i, (a, b) in enumerate(ranges, start=1):
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
    repository.delete_many(session, ctx.project.id, [sample.id])
    record(session, ctx, "sample.split", sample_id=sample.id, name=sample.filename, mode=body.mode, pieces=len(ids))
    _announce(session, ctx, "deleted", [sample.id])
    _announce(session, ctx, "added", ids)
    session.commit()
    return ids


def rebalance(session: Session, ctx: ProjectContext) -> dict[str, int]:
    """Training/testing 80/20 from each sample's content hash: the same rule as category `split`,
    so the result does not depend on upload order and running it twice changes nothing."""
    moves: dict[str, list[int]] = {"training": [], "testing": []}
    counts = {"training": 0, "testing": 0}
    for sample_id, category, digest in repository.split_candidates(session, ctx.project.id):
        target = split_category(digest)
        counts[target] += 1
        if target != category:
            moves[target].append(sample_id)
    for target, ids in moves.items():
        for start in range(0, len(ids), 5000):
            repository.update_many(session, ctx.project.id, ids[start : start + 5000], {"category": target})
    moved = moves["training"] + moves["testing"]
    if moved:
        record(session, ctx, "samples.rebalanced", moved=len(moved), **counts)
        _announce(session, ctx, "changed", moved)
    session.commit()
    return {"moved": len(moved), **counts}
