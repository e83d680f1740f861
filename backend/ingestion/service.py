"""Turning uploads into stored samples, with Edge Impulse's header semantics.

Who may upload: a project API key with the admin or ingestion-only role (x-api-key), or a
signed-in editor of the project named by the `x-project-id` header or `?project_id=` (the
studio's own upload form). Read-only keys may not.

Decisions:
- The stored sample name is the file name without its .json/.cbor/.csv/.wav extension
  (`idle.01.json` -> `idle.01`); x-add-date-id appends `.<unique id>`. /data answers that name.
- /data uploads (devices, forwarders) write no activity record, only the live event: a device
  streaming samples would drown the log. A /files request writes one activity record.
- A file whose content hash already exists is refused only with x-disallow-duplicates.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from fastapi import Request
from sqlalchemy.orm import Session

from backend.activity.service import record
from backend.core.config import get_settings
from backend.core.deps import ProjectContext, api_key_from_request, resolve_project, user_from_request
from backend.core.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound, Unauthorized
from backend.core.events import project_channel, publish_after_commit
from backend.core.ids import in_range
from backend.ingestion import repository
from backend.ingestion.formats import (
    ParsedSample,
    SampleFormatError,
    label_from_filename,
    parse_data_body,
    parse_file,
    parse_metadata_header,
    split_category,
    validate_filename,
)
from backend.ingestion.formats.text import check_text
from backend.models.sample import CATEGORIES

MAX_LABEL_CHARS = 128
MAX_NAME_CHARS = 255
EVENT_MAX_IDS = 500
WARNING_METADATA_KEY = "upload_warning"  # metadata key holding what the parser changed
_EXTENSION = re.compile(r"\.(json|cbor|csv|wav|wave)$", re.IGNORECASE)
_TRUE = ("1", "true", "yes")


class BadUpload(DomainError):
    status_code = 400


class MissingHeader(DomainError):
    """Edge Impulse answers 421 when a required header (x-file-name) is missing."""

    status_code = 421


class DuplicateSample(Conflict):
    pass


@dataclass
class UploadOptions:
    category: str  # training | testing | anomaly | split
    label: str | None  # None: infer from the file name
    disallow_duplicates: bool = False
    add_date_id: bool = False
    metadata: dict[str, str] = field(default_factory=dict)
    device_type: str = ""


@dataclass
class NewSample:
    """A parsed upload with its name, category and label decided, ready to store."""

    name: str
    category: str
    label: str
    parsed: ParsedSample
    metadata: dict[str, str]
    enabled: bool = True
    signature_status: str | None = None  # None: as verified; an import may carry 'invalid' over


def resolve_uploader(request: Request, session: Session) -> ProjectContext:
    if request.headers.get("x-api-key", "").strip():
        key = api_key_from_request(request, session)
        if key.role == "readonly":
            raise Forbidden("This API key is read-only and cannot upload data; use an ingestion-only or admin key")
        return ProjectContext(project=key.project, role="editor", api_key=key)
    if user_from_request(request, session) is None:
        raise Unauthorized(
            "Missing x-api-key header: send a project API key (or sign in and name the project with x-project-id)"
        )
    raw = request.headers.get("x-project-id") or request.query_params.get("project_id") or ""
    if not raw.strip().isdigit():
        raise InvalidInput("Signed-in uploads name the project: send the x-project-id header or ?project_id=")
    if not in_range(int(raw)):  # no project has it; the database cannot even compare it
        raise NotFound(f"Project {raw.strip()[:20]} not found")
    return resolve_project(request, session, int(raw), "editor")


def check_category(category: str, allow_split: bool) -> str:
    allowed = CATEGORIES + (("split",) if allow_split else ())
    if category not in allowed:
        raise BadUpload(f"Unknown category {category[:40]!r}: use one of {', '.join(allowed)}")
    return category


def check_label(label: str, filename: str = "") -> str:
    label = label.strip()
    try:
        check_text(filename, "the label", label)
    except SampleFormatError as exc:
        raise BadUpload(str(exc)) from None
    if len(label) > MAX_LABEL_CHARS:
        where = f"{filename}: " if filename else ""
        raise BadUpload(f"{where}the label is longer than {MAX_LABEL_CHARS} characters")
    if any(ch < " " for ch in label):
        raise BadUpload(f"{filename + ': ' if filename else ''}the label contains control characters")
    return label


def options_from_headers(headers, category: str) -> UploadOptions:
    flag = lambda name: headers.get(name, "").strip().lower() in _TRUE  # noqa: E731
    label = None
    if flag("x-no-label"):
        label = ""
    elif "x-label" in headers:
        label = check_label(unquote(headers["x-label"]))
    metadata: dict[str, str] = {}
    if headers.get("x-metadata", "").strip():
        try:
            metadata = parse_metadata_header(headers["x-metadata"])
        except SampleFormatError as exc:
            raise BadUpload(exc.message) from None
    return UploadOptions(
        category=category,
        label=label,
        disallow_duplicates=flag("x-disallow-duplicates"),
        add_date_id=flag("x-add-date-id"),
        metadata=metadata,
        device_type=headers.get("x-device-type", "")[:255],
    )


def data_file_name(headers) -> str:
    raw = headers.get("x-file-name")
    if raw is None or not raw.strip():
        raise MissingHeader("Missing x-file-name header: name the file (URI-encoded), e.g. x-file-name: idle.01.json")
    try:
        return validate_filename(unquote(raw, errors="strict"))
    except UnicodeDecodeError:
        raise BadUpload("x-file-name is not valid UTF-8 once URI-decoded") from None
    except SampleFormatError as exc:
        raise BadUpload(f"x-file-name: {exc.message}") from None


def part_file_name(raw: bytes | None, index: int) -> str:
    if raw is None:
        raise SampleFormatError(f"file {index + 1}", "has no file name in its multipart part")
    text = raw.decode("utf-8", "surrogateescape")
    if text.startswith(("/", "\\")) or ".." in re.split(r"[/\\]", text):
        raise SampleFormatError(f"file {index + 1}", f"the file name {text[:60]!r} contains path characters")
    try:
        return validate_filename(raw, strip_directories=True)
    except SampleFormatError as exc:
        raise SampleFormatError(f"file {index + 1}", exc.message) from None


def sample_name(filename: str, add_date_id: bool) -> str:
    name = _EXTENSION.sub("", filename) or filename
    if add_date_id:
        suffix = "." + secrets.token_hex(6)
        return name[: MAX_NAME_CHARS - len(suffix)] + suffix
    return name[:MAX_NAME_CHARS]


def decide(parsed: ParsedSample, filename: str, options: UploadOptions) -> NewSample:
    """Name, category and label of an upload (pure: runs in the request's threadpool)."""
    category = split_category(parsed.content_hash) if options.category == "split" else options.category
    label = options.label if options.label is not None else check_label(label_from_filename(filename), filename)
    metadata = options.metadata
    if parsed.warnings:  # kept with the sample, so whoever looks at it later sees it too
        metadata = {**metadata, WARNING_METADATA_KEY: " ".join(parsed.warnings)}
    return NewSample(
        name=sample_name(filename, options.add_date_id),
        category=category,
        label=label,
        parsed=parsed,
        metadata=metadata,
    )


def parse_data(body: bytes, content_type: str, filename: str, options: UploadOptions, hmac_key: str) -> NewSample:
    try:
        return decide(parse_data_body(body, content_type, filename, hmac_key), filename, options)
    except SampleFormatError as exc:
        raise BadUpload(str(exc)) from None


def parse_one_file(
    body: bytes, filename: str, content_type: str | None, options: UploadOptions, hmac_key: str
) -> NewSample:
    return decide(parse_file(body, filename, content_type, hmac_key), filename, options)


def sample_row(ctx: ProjectContext, new: NewSample, device_type: str = "") -> dict[str, Any]:
    p = new.parsed
    return {
        "project_id": ctx.project.id,
        "category": new.category,
        "label": new.label,
        "filename": new.name,
        "device_name": (p.device_name or None) and p.device_name[:255],
        "device_type": (p.device_type or device_type)[:255],
        "interval_ms": p.interval_ms,
        "sensors": [{"name": n, "units": u} for n, u in p.sensors],
        "n_rows": int(p.values.shape[0]),
        "n_axes": int(p.values.shape[1]),
        "length_ms": p.length_ms,
        "content_hash": p.content_hash,
        "signature_status": new.signature_status or p.signature_status,
        "meta": dict(new.metadata),
        "enabled": new.enabled,
        "uploaded_by_user_id": ctx.user.id if ctx.user else None,
        "uploaded_by_api_key_id": ctx.api_key.id if ctx.api_key else None,
    }


def store(
    session: Session,
    ctx: ProjectContext,
    samples: list[NewSample],
    *,
    disallow_duplicates: bool,
    device_type: str = "",
    announce: bool = True,
) -> list[int | DomainError]:
    """Insert the samples (one transaction, the caller commits); a refused one gets its error.

    `announce=False`: the caller publishes `added_event` itself once committed."""
    if get_settings().ingest_async_commit:
        repository.relax_commit_durability(session)
    seen: set[str] = set()
    if disallow_duplicates:
        repository.lock_project(session, ctx.project.id)
        seen = repository.existing_hashes(session, ctx.project.id, [s.parsed.content_hash for s in samples])
    outcome: list[int | DomainError] = []
    rows, blobs, slots = [], [], []
    for new in samples:
        digest = new.parsed.content_hash
        if disallow_duplicates and digest in seen:
            outcome.append(
                DuplicateSample(f"{new.name}: the same data is already in the project (x-disallow-duplicates is set)")
            )
            continue
        seen.add(digest)
        slots.append(len(outcome))
        outcome.append(DomainError("not stored"))
        rows.append(sample_row(ctx, new, device_type))
        blobs.append(new.parsed.values.astype("<f4", copy=False).tobytes())
    for slot, sample_id in zip(slots, repository.insert_samples(session, rows, blobs), strict=False):
        outcome[slot] = sample_id
    ids = [x for x in outcome if isinstance(x, int)]
    if ids and announce:
        announce_added(session, ctx.project.id, ids, sorted({r["category"] for r in rows}))
    return outcome


def added_event(project_id: int, ids: list[int], categories: list[str]) -> tuple[str, dict[str, Any]]:
    """The live event announcing new samples: (channel, event)."""
    return project_channel(project_id), {
        "type": "samples.added",
        "count": len(ids),
        "ids": ids[:EVENT_MAX_IDS],
        "categories": categories,
    }


def announce_added(session: Session, project_id: int, ids: list[int], categories: list[str]) -> None:
    publish_after_commit(session, *added_event(project_id, ids, categories))


def receive_data(
    session: Session, ctx: ProjectContext, body: bytes, content_type: str, filename: str, options: UploadOptions
) -> tuple[str, tuple[str, dict[str, Any]]]:
    """Parse, store and commit one /data upload; returns the sample name and the event to publish.

    One call so the request crosses into the threadpool once; the event is left to the caller
    so it can go out after the response (the sample is committed by then)."""
    new = parse_data(body, content_type, filename, options, ctx.project.hmac_key)
    result = store(
        session,
        ctx,
        [new],
        disallow_duplicates=options.disallow_duplicates,
        device_type=options.device_type,
        announce=False,
    )[0]
    if isinstance(result, DomainError):
        raise result
    session.commit()
    return new.name, added_event(ctx.project.id, [result], [new.category])


def ingest_files(
    session: Session,
    ctx: ProjectContext,
    parsed: list[NewSample | SampleFormatError],
    names: list[str],
    options: UploadOptions,
) -> list[dict[str, Any]]:
    """Store the good files of a /files request; one result per file in Edge Impulse's shape."""
    good = [p for p in parsed if isinstance(p, NewSample)]
    stored = iter(
        store(session, ctx, good, disallow_duplicates=options.disallow_duplicates, device_type=options.device_type)
    )
    results: list[dict[str, Any]] = []
    for name, item in zip(names, parsed, strict=False):
        if isinstance(item, SampleFormatError):
            results.append({"success": False, "fileName": name, "error": str(item)})
            continue
        outcome = next(stored)
        if isinstance(outcome, DomainError):
            results.append({"success": False, "fileName": name, "error": outcome.message})
        else:
            results.append(
                {
                    "success": True,
                    "fileName": name,
                    "sampleId": outcome,
                    "name": item.name,
                    "category": item.category,
                    "label": item.label,
                    "warnings": list(item.parsed.warnings),
                }
            )
    ok = [r for r in results if r["success"]]
    if ok:
        record(
            session,
            ctx,
            "samples.uploaded",
            count=len(ok),
            failed=len(results) - len(ok),
            categories=sorted({r["category"] for r in ok}),
        )
    session.commit()
    return results
