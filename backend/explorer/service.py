"""The data explorer: every window of the project's data mapped to 2-D (a worker job, cached until
the impulse or the data change), and label suggestions for unlabeled samples that a user accepts
in bulk.

The cache key is a digest of the impulse configuration, the data fingerprint (sample count, newest
id, newest change) and the method, so any upload, relabel, move, disable or delete - or a change of
the processing blocks - makes the next request compute again; a rename of the impulse does not.
"""

from __future__ import annotations

import hashlib
import json

from sqlalchemy.orm import Session

from backend.activity.service import record
from backend.core import task_names
from backend.core.deps import ProjectContext
from backend.core.errors import InvalidInput, NotFound
from backend.dataset import repository as dataset_repository
from backend.dataset.service import announce
from backend.explorer import repository
from backend.explorer.schemas import AcceptResult, AcceptSuggestions, ExplorerStart, LabelSuggestions
from backend.impulse import repository as impulse_repository
from backend.impulse.service import get_impulse
from backend.ingestion.service import BadUpload, check_label
from backend.job.service import create_job
from backend.models.impulse import Impulse
from backend.models.job import Job


def cache_key(session: Session, impulse: Impulse, method: str) -> str:
    fingerprint = impulse_repository.data_fingerprint(session, impulse.project_id)
    blob = json.dumps({"impulse": impulse.config, "data": fingerprint, "method": method}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()


def start(session: Session, ctx: ProjectContext, impulse_id: int, body: ExplorerStart) -> tuple[Job, bool]:
    """(job, cached): the job holding the map of the current impulse and data - an earlier one
    when nothing changed since (and no refresh was asked), else a new one."""
    impulse = get_impulse(session, ctx, impulse_id)
    key = cache_key(session, impulse, body.method)
    if not body.refresh:
        job = repository.cached_job(session, ctx.project.id, impulse.id, key)
        if job is not None:
            return job, True
    params = {
        "impulse_id": impulse.id,
        "impulse_version": impulse.version,
        "impulse": impulse.config,
        "method": body.method,
        "cache_key": key,
    }
    job = create_job(session, ctx, task_names.FEATURE_EXPLORER, params)
    session.commit()
    return job, False


def suggestions(session: Session, ctx: ProjectContext, impulse_id: int) -> LabelSuggestions:
    """The latest explorer job's suggestions, limited to samples that are still unlabeled."""
    impulse = get_impulse(session, ctx, impulse_id)
    job = impulse_repository.latest_job(session, impulse.id, task_names.FEATURE_EXPLORER)
    if job is None or not job.result or "suggestions" not in job.result:
        return LabelSuggestions(job_id=job.id if job else None, stale=True, unlabeled_samples=0, groups=[])
    found = job.result["suggestions"]
    method = (job.params or {}).get("method", "pca")
    stale = (job.params or {}).get("cache_key") != cache_key(session, impulse, method)
    # Samples unlabeled when the job ran: those in groups, and those on the map without a label.
    mapped = job.result.get("sample_ids", [])
    unlabeled = {mapped[i] for i, k in enumerate(job.result.get("label_index", [])) if k < 0}
    candidates = sorted(unlabeled.union(i for g in found["groups"] for i in g["sample_ids"]))
    still = repository.unlabeled_ids(session, ctx.project.id, candidates)
    groups = []
    for g in found["groups"]:
        keep = [k for k, i in enumerate(g["sample_ids"]) if i in still]
        if keep:
            conf = [g["sample_confidences"][k] for k in keep]
            groups.append(
                {
                    **g,
                    "sample_ids": [g["sample_ids"][k] for k in keep],
                    "sample_confidences": conf,
                    "confidence": round(sum(conf) / len(conf), 4),
                }
            )
    return LabelSuggestions(job_id=job.id, stale=stale, unlabeled_samples=len(still), groups=groups)


def accept(session: Session, ctx: ProjectContext, impulse_id: int, body: AcceptSuggestions) -> AcceptResult:
    """Label each group's samples that are still unlabeled (a teammate's label is kept), in one commit."""
    get_impulse(session, ctx, impulse_id)
    seen: set[int] = set()
    groups = []
    for g in body.groups:
        try:
            label = check_label(g.label)
        except BadUpload as exc:
            raise InvalidInput(exc.message) from None
        if not label:
            raise InvalidInput("a suggested label must not be empty")
        twice = seen.intersection(g.ids)
        if twice:
            raise InvalidInput(f"sample {min(twice)} is in two groups: give each sample one label")
        seen.update(g.ids)
        groups.append((label, sorted(set(g.ids))))
    missing = sorted(seen - dataset_repository.found_ids(session, ctx.project.id, sorted(seen)))
    if missing:
        raise NotFound(f"Samples not found: {', '.join(str(i) for i in missing[:20])}")
    still = repository.unlabeled_ids(session, ctx.project.id, sorted(seen))
    changed: list[int] = []
    for label, ids in groups:
        todo = [i for i in ids if i in still]
        if todo:
            dataset_repository.update_many(session, ctx.project.id, todo, {"label": label})
            record(session, ctx, "samples.updated", count=len(todo), changes={"label": label}, source="suggestions")
            changed += todo
    if changed:
        announce(session, ctx, "changed", changed)
    session.commit()
    return AcceptResult(updated=len(changed), skipped=len(seen) - len(changed))
