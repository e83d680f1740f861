"""What can be done to a project's samples: browse, edit, rebalance (splitting: `splitting.py`).

Every change commits once, writes an activity record and announces itself on the project's
event stream (`samples.changed`, `samples.deleted`, `samples.added`) after the commit.
"""

from __future__ import annotations

from dataclasses import asdict

import numpy as np
from sqlalchemy.orm import Session

from backend.activity.service import record
from backend.core.deps import ProjectContext
from backend.core.errors import Conflict, InvalidInput, NotFound
from backend.core.events import project_channel, publish_after_commit
from backend.dataset import audio, editing, repository
from backend.dataset.schemas import BulkUpdate, SampleUpdate
from backend.ingestion import service as ingestion
from backend.ingestion.formats import SampleFormatError, content_hash, split_category
from backend.ingestion.formats.text import check_text
from backend.models.sample import Sample

EVENT_MAX_IDS = 500


def announce(session: Session, ctx: ProjectContext, kind: str, ids: list[int]) -> None:
    publish_after_commit(
        session,
        project_channel(ctx.project.id),
        {"type": f"samples.{kind}", "count": len(ids), "ids": ids[:EVENT_MAX_IDS]},
    )


def list_samples(
    session: Session,
    ctx: ProjectContext,
    flt: repository.SampleFilter,
    cursor: int | None,
    limit: int,
    newest_first: bool,
) -> tuple[list[tuple[Sample, dict | None]], int | None]:
    """One page of (sample, thumbnail) and the cursor of the next (None at the end). Samples
    without a thumbnail yet get one here, once."""
    rows = repository.list_page(session, ctx.project.id, flt, cursor=cursor, limit=limit + 1, newest_first=newest_first)
    items = rows[:limit]
    missing = [sample for sample, shape in items if shape is None]
    if missing:
        shapes = repository.missing_sparklines(session, missing)
        session.commit()
        items = [(sample, shape if shape is not None else shapes[sample.id]) for sample, shape in items]
    return items, (items[-1][0].id if len(rows) > limit else None)


def metadata_keys(session: Session, ctx: ProjectContext, max_keys: int, max_values: int) -> dict:
    keys: dict[str, dict] = {}
    for key, value, n, distinct in repository.metadata_values(session, ctx.project.id, max_keys, max_values):
        entry = keys.setdefault(key, {"key": key, "values": [], "more_values": distinct > max_values})
        entry["values"].append({"value": value, "count": n})
    listed = list(keys.values())
    return {"keys": listed[:max_keys], "more_keys": len(listed) > max_keys}


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
    if body.expected_updated_at is None:
        repository.update_many(session, ctx.project.id, [sample.id], changes)
    elif not repository.update_if_unchanged(session, ctx.project.id, sample.id, changes, body.expected_updated_at):
        session.rollback()
        raise Conflict(f"{sample.filename} was changed by someone else meanwhile: look at it again, then retry")
    record(
        session,
        ctx,
        "sample.updated",
        sample_id=sample.id,
        name=sample.filename,
        changes={("name" if k == "filename" else k): [before[k], v] for k, v in changes.items()},
    )
    announce(session, ctx, "changed", [sample.id])
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
    announce(session, ctx, "changed", ids)
    session.commit()
    return len(ids)


def delete_samples(session: Session, ctx: ProjectContext, ids: list[int]) -> int:
    ids = _check_ids(session, ctx, ids)
    repository.delete_many(session, ctx.project.id, ids)
    record(session, ctx, "samples.deleted", count=len(ids), ids=ids[:50])
    announce(session, ctx, "deleted", ids)
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
    announce(session, ctx, "changed", [sample.id])
    session.commit()
    return sample


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
        announce(session, ctx, "changed", moved)
    session.commit()
    return {"moved": len(moved), **counts}


def _audio_values(session: Session, ctx: ProjectContext, sample_id: int) -> tuple[Sample, np.ndarray]:
    sample = get_sample(session, ctx, sample_id)
    if not audio.is_audio(sample.sensors) or sample.interval_ms <= 0:
        raise InvalidInput(f"{sample.filename} is not an audio sample (its axes are not in units 'wav')")
    return sample, repository.values(session, sample)


def audio_wav(
    session: Session, ctx: ProjectContext, sample_id: int, start_ms: float | None, end_ms: float | None
) -> bytes:
    """The sample (or start_ms..end_ms of it) as a 16-bit mono WAV file."""
    sample, data = _audio_values(session, ctx, sample_id)
    if start_ms is not None or end_ms is not None:
        try:
            a, b = editing.crop_range(sample.n_rows, sample.interval_ms, start_ms or 0.0, end_ms or sample.length_ms)
        except editing.EditError as exc:
            raise InvalidInput(f"{sample.filename}: {exc}") from None
        data = data[a:b]
    return audio.render_wav(data, sample.interval_ms)


def spectrogram(session: Session, ctx: ProjectContext, sample_id: int, columns: int, bands: int) -> dict:
    sample, data = _audio_values(session, ctx, sample_id)
    return asdict(audio.spectrogram(data, sample.interval_ms, columns, bands))
