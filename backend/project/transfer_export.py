"""Export a whole project as one zip (see transfer_format for the layout): samples with their
values, kept samples versions still need, impulses, trained models with their metrics, builds'
metadata and every version.

Libraries of deployments are left out: the generated code is byte-stable, so a build of the
imported model gives the same library in seconds, while a project's builds (one zip per target,
variant and retrain) would soon outweigh its models many times over.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from typing import IO, Any

from sqlalchemy.orm import Session

from backend.activity.service import record
from backend.core.deps import ProjectContext
from backend.models.base import utcnow
from backend.project import transfer_repository as repo
from backend.project.transfer_format import FORMAT, FORMAT_VERSION, MANIFEST
from backend.version import snapshot


def _sample(
    source: Any, blob: bytes, key: int, *, live: bool, label: str, category: str, enabled: bool
) -> dict[str, Any]:
    return {
        "key": str(key),
        "id": source.sample_id if not live else source.id,
        "live": live,
        "filename": source.filename,
        "label": label,
        "category": category,
        "enabled": enabled,
        "device_name": source.device_name,
        "device_type": source.device_type or "",
        "interval_ms": source.interval_ms,
        "sensors": source.sensors,
        "n_rows": source.n_rows,
        "n_axes": source.n_axes,
        "signature_status": source.signature_status,
        "metadata": source.meta or {},
        "content_hash": source.content_hash,
        "values_sha256": hashlib.sha256(blob).hexdigest(),
    }


def _trainings_of(entries: list[dict[str, Any]]) -> tuple[set[int], set[int]]:
    jobs, arts = set(), set()
    for e in entries:
        if e.get("training"):
            jobs.add(e["training"]["job_id"])
            arts.update(a["id"] for a in e["training"].get("artifacts", []))
    return jobs, arts


def _keep_known(entries: list[dict[str, Any]], known: set[int]) -> list[dict[str, Any]]:
    """Entries whose artifact refs all point at files the archive carries (a ref to a file that is
    gone is useless to the importer)."""
    out = []
    for e in entries:
        e = dict(e)
        if e.get("training"):
            t = dict(e["training"])
            t["artifacts"] = [a for a in t.get("artifacts", []) if a["id"] in known]
            e["training"] = t
        out.append(e)
    return out


def export_project(session: Session, ctx: ProjectContext) -> IO[bytes]:
    """The archive in a spooled temporary file, positioned at its start."""
    import zipfile

    pid = ctx.project.id
    current = snapshot.capture_impulses(session, pid)
    versions = repo.versions(session, pid)
    job_ids, art_ids = _trainings_of(current + [e for v in versions for e in v.impulses or []])
    out = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)
    samples: list[dict[str, Any]] = []
    artifacts: list[dict[str, Any]] = []
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for batch in repo.live_samples(session, pid):
            for s, blob in batch:
                samples.append(
                    _sample(s, blob, len(samples) + 1, live=True, label=s.label, category=s.category, enabled=s.enabled)
                )
                zf.writestr(f"samples/{len(samples)}.f32", blob)
        for sample_id, digest in repo.kept_keys(session, pid):
            kept = repo.kept_sample(session, sample_id, digest)
            samples.append(
                _sample(kept, kept.values, len(samples) + 1, live=False, label="", category="training", enabled=True)
            )
            zf.writestr(f"samples/{len(samples)}.f32", kept.values)
            session.expunge(kept)
        for a in repo.artifacts_meta(session, pid, art_ids):
            key = len(artifacts) + 1
            zf.writestr(f"artifacts/{key}.bin", repo.artifact_data(session, a.id))
            artifacts.append(
                {
                    "key": str(key), "id": a.id, "job_id": a.job_id or 0, "kind": a.kind, "name": a.name,
                    "content_type": a.content_type, "size": a.size, "sha256": a.sha256, "info": a.info or {},
                }
            )  # fmt: skip
        known = {a["id"] for a in artifacts}
        jobs = repo.jobs(session, pid, job_ids)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "exported_at": utcnow().isoformat(),
            "project": {"name": ctx.project.name},
            "samples": samples,
            "artifacts": artifacts,
            "trainings": [
                {
                    "job_id": j.id,
                    "impulse_id": int((j.params or {}).get("impulse_id") or (j.result or {}).get("impulse_id") or 0),
                    "finished_at": j.finished_at.isoformat() if j.finished_at else None,
                    "params": j.params or {},
                    "result": j.result or {},
                }
                for j in jobs
            ],
            "impulses": [
                {
                    "id": e["id"],
                    "name": e["name"],
                    "version": e["version"],
                    "config": e["config"],
                    "trained_job_id": e["training"]["job_id"] if e.get("training") else None,
                    "trained_version": (e["training"]["result"] or {}).get("impulse_version", e["version"])
                    if e.get("training")
                    else None,
                }
                for e in current
            ],  # fmt: skip
            "deployments": [
                {
                    "build_number": d.build_number,
                    "impulse_id": d.impulse_id,
                    "impulse_version": d.impulse_version,
                    "training_job_id": d.training_job_id,
                    "target": d.target,
                    "variant": d.variant,
                    "status": build.status if build is not None else "unknown",
                    "estimates": d.estimates,
                    "created_at": d.created_at.isoformat() if d.created_at else None,
                }
                for d, build in repo.deployments(session, pid)
            ],  # fmt: skip
            "versions": [
                {
                    "number": v.number,
                    "description": v.description,
                    "created_by": v.created_by_name,
                    "created_at": v.created_at.isoformat(),
                    "sample_counts": v.sample_counts or {},
                    "headline": v.headline or [],
                    "impulses": _keep_known(v.impulses or [], known),
                    "samples": repo.version_sample_rows(session, v.id),
                }
                for v in versions
            ],
        }
        zf.writestr(MANIFEST, json.dumps(manifest, separators=(",", ":")))
    record(session, ctx, "project.exported", samples=len(samples), versions=len(versions))
    session.commit()
    out.seek(0)
    return out
