"""Export a dataset as a zip of acquisition-format JSON files, and import such a zip.

Layout (like Edge Impulse's export): `<category>/<name>.json` per sample, plus `info.labels`:
`{"version": 1, "files": [{"path", "name", "category", "label": {"type": "label", "label"},
"metadata", "enabled", "signatureStatus"}]}`. Samples with a valid signature are re-signed with
the project's HMAC key; the others are written unsigned, and `signatureStatus: invalid` in
info.labels keeps a flagged sample flagged when it comes back.

Import is safe against hostile archives: names with absolute paths, `..`, backslashes or drive
letters are refused (nothing is ever written to disk anyway); entries are read with a byte cap
rather than trusting the sizes in the zip headers; limits on the number of entries, the total
uncompressed size and the compression ratio stop zip bombs.
"""

from __future__ import annotations

import json
import posixpath
import tempfile
import zipfile
from typing import IO, Any

import numpy as np
from sqlalchemy.orm import Session

from backend.activity.service import record
from backend.core.config import get_settings
from backend.core.deps import ProjectContext
from backend.core.errors import DomainError, InvalidInput
from backend.dataset import repository
from backend.ingestion import service as ingestion
from backend.ingestion.formats import SampleFormatError, sign_acquisition_json, validate_filename
from backend.models.sample import CATEGORIES

LABELS_FILE = "info.labels"
MAX_ENTRIES = 20_000
MAX_TOTAL_UNCOMPRESSED = 2 * 1024**3
MAX_RATIO = 100  # uncompressed / compressed, checked for entries over RATIO_FROM_BYTES
RATIO_FROM_BYTES = 1024 * 1024
BATCH = 100


def _unique_path(category: str, name: str, taken: set[str], sample_id: int) -> str:
    path = f"{category}/{name}.json"
    if path in taken:
        path = f"{category}/{name}.{sample_id}.json"
    taken.add(path)
    return path


def export_zip(session: Session, ctx: ProjectContext) -> IO[bytes]:
    """The whole dataset as a zip in a spooled temporary file, positioned at its start."""
    out = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)
    files: list[dict[str, Any]] = []
    taken: set[str] = set()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for batch in repository.iter_all(session, ctx.project.id):
            blobs = repository.values_many(session, [s.id for s in batch])
            for s in batch:
                values = np.frombuffer(blobs.get(s.id, b""), dtype="<f4").reshape(s.n_rows, s.n_axes)
                payload = {
                    "device_name": s.device_name or "",
                    "device_type": s.device_type or "",
                    "interval_ms": s.interval_ms,
                    "sensors": s.sensors,
                    "values": values.astype(np.float64).tolist(),
                }
                key = ctx.project.hmac_key if s.signature_status == "valid" else None
                path = _unique_path(s.category, s.filename, taken, s.id)
                zf.writestr(path, sign_acquisition_json(payload, key))
                files.append(
                    {
                        "path": path,
                        "name": s.filename,
                        "category": s.category,
                        "label": {"type": "label", "label": s.label} if s.label else {"type": "unlabeled"},
                        "metadata": s.meta or {},
                        "enabled": s.enabled,
                        "signatureStatus": s.signature_status,
                    }
                )
        zf.writestr(LABELS_FILE, json.dumps({"version": 1, "files": files}, indent=1))
    out.seek(0)
    return out


def _safe_name(name: str) -> str | None:
    """The normalised entry name, or None if it tries to leave the archive."""
    if "\\" in name or name.startswith("/") or (len(name) > 1 and name[1] == ":") or "\x00" in name:
        return None
    norm = posixpath.normpath(name)
    if norm.startswith("../") or norm == ".." or "/../" in f"/{name}/":
        return None
    return norm


def _read_labels(zf: zipfile.ZipFile) -> dict[str, dict[str, Any]]:
    try:
        info = zf.getinfo(LABELS_FILE)
    except KeyError:
        return {}
    if info.file_size > 64 * 1024 * 1024:
        raise InvalidInput(f"{LABELS_FILE} is too large")
    try:
        with zf.open(info) as f:
            doc = json.loads(f.read(64 * 1024 * 1024 + 1))
        return {str(e["path"]): e for e in doc.get("files", []) if isinstance(e, dict) and "path" in e}
    except (ValueError, TypeError, AttributeError, zipfile.BadZipFile, RuntimeError) as exc:
        raise InvalidInput(f"{LABELS_FILE} is not a valid labels file: {exc}") from None


def _entry_options(path: str, entry: dict[str, Any]) -> tuple[ingestion.UploadOptions, dict[str, Any]]:
    category = entry.get("category") or path.split("/", 1)[0]
    if category not in CATEGORIES:
        category = "training"
    label_info = entry.get("label")
    label = None
    if isinstance(label_info, dict):
        label = str(label_info.get("label", "")) if label_info.get("type") == "label" else ""
        label = ingestion.check_label(label, path)
    meta = entry.get("metadata") if isinstance(entry.get("metadata"), dict) else {}
    name = entry.get("name")
    try:
        name = validate_filename(name) if isinstance(name, str) else None
    except SampleFormatError:
        name = None
    extra = {
        "name": name,
        "enabled": entry.get("enabled", True) is not False,
        "invalid": entry.get("signatureStatus") == "invalid",
        "metadata": {str(k): str(v) for k, v in meta.items()},
    }
    return ingestion.UploadOptions(category=category, label=label), extra


def _read_entry(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    with zf.open(info) as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise SampleFormatError(info.filename, f"is larger than the limit of {limit // 1024 // 1024} MB per file")
    if len(data) > RATIO_FROM_BYTES and info.compress_size and len(data) / info.compress_size > MAX_RATIO:
        raise SampleFormatError(info.filename, f"compresses more than {MAX_RATIO}:1; refusing a possible zip bomb")
    return data


def import_zip(
    session: Session, ctx: ProjectContext, archive: IO[bytes], disallow_duplicates: bool = False
) -> list[dict[str, Any]]:
    """Store every sample file of the archive; one result per entry in /files' shape."""
    limit = get_settings().max_file_bytes
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InvalidInput(f"the upload is not a zip archive ({exc})") from None
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        if len(infos) > MAX_ENTRIES:
            raise InvalidInput(f"the archive has {len(infos)} entries; the limit is {MAX_ENTRIES}")
        declared = sum(i.file_size for i in infos)
        if declared > MAX_TOTAL_UNCOMPRESSED:
            raise InvalidInput(f"the archive unpacks to {declared} bytes; the limit is {MAX_TOTAL_UNCOMPRESSED}")
        labels = _read_labels(zf)
        results: list[dict[str, Any]] = []
        pending: list[tuple[int, ingestion.NewSample]] = []
        total = 0
        for info in infos:
            path = _safe_name(info.filename)
            if path == LABELS_FILE:
                continue
            try:
                if path is None:
                    raise SampleFormatError(info.filename, "has a path that leaves the archive; refused")
                data = _read_entry(zf, info, limit)
                total += len(data)
                if total > MAX_TOTAL_UNCOMPRESSED:
                    raise InvalidInput(f"the archive unpacks to more than {MAX_TOTAL_UNCOMPRESSED} bytes")
                entry = labels.get(path, {})
                options, extra = _entry_options(path, entry if isinstance(entry, dict) else {})
                filename = posixpath.basename(path)
                new = ingestion.parse_one_file(data, filename, None, options, ctx.project.hmac_key)
                new.name = str(extra["name"] or new.name)[:255]
                new.metadata, new.enabled = extra["metadata"], extra["enabled"]
                new.signature_status = "invalid" if extra["invalid"] else None
            except SampleFormatError as exc:
                results.append({"success": False, "fileName": info.filename, "error": str(exc)})
                continue
            except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError) as exc:
                results.append({"success": False, "fileName": info.filename, "error": f"cannot be read: {exc}"})
                continue
            except ingestion.BadUpload as exc:
                results.append({"success": False, "fileName": info.filename, "error": exc.message})
                continue
            results.append({"success": True, "fileName": info.filename})
            pending.append((len(results) - 1, new))
            if len(pending) >= BATCH:
                _flush(session, ctx, pending, results, disallow_duplicates)
        _flush(session, ctx, pending, results, disallow_duplicates)
    stored = sum(1 for r in results if r["success"])
    record(session, ctx, "samples.imported", count=stored, failed=len(results) - stored)
    session.commit()
    return results


def _flush(session, ctx, pending, results, disallow_duplicates) -> None:
    outcome = ingestion.store(session, ctx, [n for _, n in pending], disallow_duplicates=disallow_duplicates)
    for (slot, new), result in zip(pending, outcome, strict=False):
        if isinstance(result, DomainError):
            results[slot] = {"success": False, "fileName": results[slot]["fileName"], "error": result.message}
        else:
            results[slot].update(sampleId=result, name=new.name, category=new.category, label=new.label)
    session.commit()
    pending.clear()
