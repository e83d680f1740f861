"""Import a project archive as a NEW project owned by the importer, on this server or another.

Safe against hostile archives the way the dataset import is: entry names that leave the archive
(absolute, `..`, backslashes, drive letters), symlinks, duplicate names, unknown entries, too many
entries, too many bytes, a manifest that is not JSON or not of the expected shape, references to
samples/models the archive does not carry, and values or model files whose size or hash is not
what the manifest says are all refused with a 4xx naming the problem. Every read is capped at the
size the manifest declares, so a zip bomb cannot make us inflate more than the checked totals.

The manifest is checked in full before anything is written; then everything (new ids for every
row, references rewritten) is added in one transaction, committed once: a failure leaves nothing.
"""

from __future__ import annotations

import hashlib
import secrets
import zipfile
from typing import IO, Any

from sqlalchemy.orm import Session

from backend.activity.service import record
from backend.core import task_names
from backend.core.config import get_settings
from backend.core.deps import ProjectContext
from backend.core.errors import InvalidInput
from backend.impulse.validation import ImpulseConfigError, validate_config
from backend.ingestion.repository import insert_samples
from backend.models.base import utcnow
from backend.models.impulse import Impulse
from backend.models.job import Job
from backend.models.project import Membership, Project
from backend.models.sample import Artifact
from backend.models.user import User
from backend.models.version import ProjectVersion
from backend.project import transfer_repository as repo
from backend.project.transfer_archive import MAX_TOTAL_BYTES, bad, read
from backend.project.transfer_archive import entries as archive_entries
from backend.project.transfer_archive import manifest as read_manifest
from backend.project.transfer_format import MANIFEST, ArchiveSample, ProjectManifest

BATCH = 200


# -- checking references before writing ---------------------------------------------------------
def _unique(values: list[Any], what: str) -> None:
    seen = set()
    for v in values:
        if v in seen:
            raise bad(f"{what} {v!r} appears twice in {MANIFEST}")
        seen.add(v)


def _check(m: ProjectManifest, entries: dict[str, zipfile.ZipInfo]) -> None:
    limit = get_settings().max_file_bytes
    _unique([s.key for s in m.samples], "sample key")
    _unique([(s.id, s.content_hash) for s in m.samples], "sample")
    _unique([s.id for s in m.samples if s.live], "live sample id")
    _unique([a.key for a in m.artifacts], "artifact key")
    _unique([a.id for a in m.artifacts], "artifact id")
    _unique([t.job_id for t in m.trainings], "training job")
    _unique([i.id for i in m.impulses], "impulse id")
    _unique([i.name for i in m.impulses], "impulse name")
    for i in m.impulses:
        try:
            validate_config(i.config)
        except ImpulseConfigError as exc:
            raise bad(f"impulse {i.name!r}: {exc.message}") from None
    _unique([v.number for v in m.versions], "version number")
    expected = {MANIFEST}
    total = 0
    for s in m.samples:
        if any("name" not in sensor for sensor in s.sensors) or len(s.sensors) != s.n_axes:
            raise bad(f"sample {s.filename!r}: sensors must be {s.n_axes} entries with a name")
        size = s.n_rows * s.n_axes * 4
        if size > limit:
            raise bad(f"sample {s.filename!r} is {size} bytes; the limit per sample is {limit}")
        total += size
        expected.add(f"samples/{s.key}.f32")
    for a in m.artifacts:
        total += a.size
        expected.add(f"artifacts/{a.key}.bin")
    if total > MAX_TOTAL_BYTES:
        raise bad(f"its samples and models add up to {total} bytes; the limit is {MAX_TOTAL_BYTES}")
    missing = sorted(expected - entries.keys())
    if missing:
        raise bad(f"{missing[0]} is missing" + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""))
    extra = sorted(entries.keys() - expected)
    if extra:
        raise bad(f"unexpected entry {extra[0]!r}")
    samples = {(s.id, s.content_hash) for s in m.samples}
    artifacts = {a.id for a in m.artifacts}
    trainings = {t.job_id for t in m.trainings}
    for a in m.artifacts:
        if a.job_id not in trainings and a.job_id != 0:
            raise bad(f"artifact {a.name!r} belongs to training {a.job_id}, which is not in the archive")
    for i in m.impulses:
        if i.trained_job_id is not None and i.trained_job_id not in trainings:
            raise bad(f"impulse {i.name!r} was trained by job {i.trained_job_id}, which is not in the archive")
    for v in m.versions:
        for sid, _, _, _, digest in v.samples:
            if (sid, digest) not in samples:
                raise bad(f"version {v.number} references sample {sid} ({digest[:12]}), not in the archive")
        for e in v.impulses:
            for ref in e.training.artifacts if e.training else []:
                if ref.id not in artifacts:
                    raise bad(f"version {v.number} references model file {ref.id}, not in the archive")


# -- writing ------------------------------------------------------------------------------------
def _values(zf, entries, s: ArchiveSample) -> bytes:
    blob = read(zf, entries[f"samples/{s.key}.f32"], s.n_rows * s.n_axes * 4)
    if hashlib.sha256(blob).hexdigest() != s.values_sha256:
        raise bad(f"the values of sample {s.filename!r} do not match their sha256")
    return blob


def _row(s: ArchiveSample) -> dict[str, Any]:
    return {
        "filename": s.filename, "label": s.label, "category": s.category, "enabled": s.enabled,
        "device_name": s.device_name, "device_type": s.device_type, "interval_ms": s.interval_ms,
        "sensors": s.sensors, "n_rows": s.n_rows, "n_axes": s.n_axes, "length_ms": s.interval_ms * s.n_rows,
        "signature_status": s.signature_status, "meta": s.metadata, "content_hash": s.content_hash,
    }  # fmt: skip


def _samples(session, zf, entries, m: ProjectManifest, project_id: int, user_id: int) -> dict[int, int]:
    """Old sample id -> new; live samples become samples, the others kept samples."""
    ids: dict[int, int] = {}
    live = [s for s in m.samples if s.live]
    for start in range(0, len(live), BATCH):
        batch = live[start : start + BATCH]
        rows = [{**_row(s), "project_id": project_id, "uploaded_by_user_id": user_id} for s in batch]
        new = insert_samples(session, rows, [_values(zf, entries, s) for s in batch])
        ids.update({s.id: n for s, n in zip(batch, new, strict=True)})
    kept = [s for s in m.samples if not s.live]
    orphans = sorted({s.id for s in kept} - ids.keys())
    # Samples that live on only in versions take fresh ids from the samples' own sequence.
    placeholders = repo.placeholder_samples(
        session, [{**_row(next(s for s in kept if s.id == o)), "project_id": project_id} for o in orphans]
    )
    ids.update(zip(orphans, placeholders, strict=True))
    for s in kept:
        row = {k: v for k, v in _row(s).items() if k not in ("label", "category", "enabled")}
        row.update(sample_id=ids[s.id], project_id=project_id, values=_values(zf, entries, s))
        repo.add_kept(session, row)
    repo.drop_samples(session, project_id, placeholders)
    return ids


def _remap_entry(e, impulses: dict[int, int], jobs: dict[int, int], arts: dict[int, int]) -> dict[str, Any]:
    d = e.model_dump(mode="json")
    d["id"] = impulses[e.id]
    if d["training"] is not None:
        t = d["training"]
        t["job_id"] = jobs.get(t["job_id"], 0)
        t["result"] = {**t["result"], "impulse_id": d["id"], "features_job_id": None}
        for ref in t["artifacts"]:
            ref["id"] = arts[ref["id"]]
    for dep in d["deployments"]:
        dep["artifact"] = None  # libraries are not in the archive
    return d


def import_project(session: Session, user: User, archive: IO[bytes], name: str | None) -> Project:
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InvalidInput(f"The upload is not a zip archive ({exc})") from None
    with zf:
        entries = archive_entries(zf)
        m = read_manifest(zf, entries)
        _check(m, entries)
        try:
            project = _write(session, user, zf, entries, m, name)
            session.commit()
        except BaseException:
            session.rollback()
            raise
    return project


def _write(session, user, zf, entries, m: ProjectManifest, name: str | None) -> Project:
    now = utcnow()
    project = repo.add(session, Project(name=(name or m.project.name)[:120], hmac_key=secrets.token_hex(16),
                                         created_by_id=user.id))  # fmt: skip
    session.add(Membership(project_id=project.id, user_id=user.id, role="owner"))
    samples = _samples(session, zf, entries, m, project.id, user.id)

    impulses: dict[int, int] = {}
    live_impulses: dict[int, Impulse] = {}
    for i in m.impulses:
        imp = repo.add(session, Impulse(project_id=project.id, name=i.name, config=i.config, version=i.version,
                                         created_by_id=user.id, created_at=now, updated_at=now))  # fmt: skip
        impulses[i.id], live_impulses[i.id] = imp.id, imp
    # Impulses that only versions still have get ids of their own too (rows dropped before commit).
    gone = sorted({e.id for v in m.versions for e in v.impulses} - impulses.keys())
    placeholders = []
    for old in gone:
        imp = repo.add(session, Impulse(project_id=project.id, name="(removed)", config={}, version=1,
                                         created_at=now, updated_at=now))  # fmt: skip
        impulses[old] = imp.id
        placeholders.append(imp.id)

    jobs: dict[int, int] = {}
    for t in m.trainings:
        result = {**t.result, "impulse_id": impulses.get(t.impulse_id), "features_job_id": None}
        params = {**t.params, "impulse_id": impulses.get(t.impulse_id), "imported_from_job": t.job_id}
        job = repo.add(session, Job(project_id=project.id, kind=task_names.TRAIN, queue=get_settings().instance_name,
                                     status="succeeded", progress=1.0, result=result, params=params,
                                     created_by_id=user.id, created_at=now, started_at=now,
                                     finished_at=t.finished_at or now))  # fmt: skip
        jobs[t.job_id] = job.id
    arts: dict[int, int] = {}
    for a in m.artifacts:
        data = read(zf, entries[f"artifacts/{a.key}.bin"], a.size)
        if hashlib.sha256(data).hexdigest() != a.sha256:
            raise bad(f"the model file {a.name!r} does not match its sha256")
        art = repo.add(session, Artifact(project_id=project.id, job_id=jobs.get(a.job_id), kind=a.kind, name=a.name,
                                          content_type=a.content_type, size=a.size, sha256=a.sha256, info=a.info,
                                          data=data, created_at=now))  # fmt: skip
        arts[a.id] = art.id
        session.expunge(art)  # the bytes are written: do not keep them in memory
    for i in m.impulses:
        if i.trained_job_id is not None:
            live_impulses[i.id].trained_job_id = jobs[i.trained_job_id]
            live_impulses[i.id].trained_version = i.trained_version

    for v in m.versions:
        version = repo.add(session, ProjectVersion(
            project_id=project.id, number=v.number, description=v.description, created_by_id=None,
            created_by_name=v.created_by, created_at=v.created_at, sample_counts=v.sample_counts,
            headline=[{**h.model_dump(), "impulse_id": impulses.get(h.impulse_id, 0)} for h in v.headline],
            impulses=[_remap_entry(e, impulses, jobs, arts) for e in v.impulses],
        ))  # fmt: skip
        repo.add_version_samples(
            session,
            [
                {"version_id": version.id, "sample_id": samples[sid], "label": label, "category": cat,
                 "enabled": enabled, "content_hash": digest}
                for sid, label, cat, enabled, digest in v.samples
            ],
        )  # fmt: skip
    session.flush()
    repo.drop_impulses(session, project.id, placeholders)
    ctx = ProjectContext(project=project, role="owner", user=user)
    record(session, ctx, "project.created", name=project.name)
    record(session, ctx, "project.imported", samples=len(m.samples), versions=len(m.versions),
           source=m.project.name)  # fmt: skip
    return project
