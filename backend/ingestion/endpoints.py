"""Edge Impulse's ingestion API, at the root of the origin.

POST /api/{training,testing,anomaly}/data   one acquisition file (JSON, CBOR, binary CBOR, multipart)
POST /api/{training,testing,anomaly,split}/files   multipart field `data`, many files

Big uploads (over 1 MB, or of unknown length) take one of the process's parse slots
(INGEST_PARALLEL_PARSES) and wait up to INGEST_PARSE_WAIT seconds for one, else 503 with
Retry-After; limits of one sample are in formats/limits.py.

Authentication: `x-api-key` (admin or ingestion-only key), or a signed-in editor with the
project in `x-project-id` (or `?project_id=`). Errors of /files come back in Edge Impulse's
shape `{"success": false, "error": ...}` (plus `detail`, like the rest of our API).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, PlainTextResponse
from sqlalchemy.orm import Session
from starlette.background import BackgroundTask

from backend.core.config import get_settings
from backend.core.db import get_sessionmaker
from backend.core.deps import ProjectContext
from backend.core.errors import DomainError, error_responses
from backend.core.events import publish
from backend.ingestion import service
from backend.ingestion.formats import SampleFormatError
from backend.ingestion.formats.limits import MAX_SAMPLE_VALUES
from backend.ingestion.parse_slots import parse_slot
from backend.ingestion.schemas import UPLOAD_ERRORS, FilesResponse, UploadError
from backend.ingestion.streaming import read_body, read_multipart_files

router = APIRouter(tags=["ingestion"])


@dataclass
class Upload:
    """Who uploads (an API key or a signed-in editor), with the session that resolved them."""

    ctx: ProjectContext
    session: Session


async def _uploader(request: Request) -> AsyncIterator[Upload]:
    # The hot path of devices: the session is opened here rather than by SessionDep so that
    # authorising and, later, parse + store each cross into the threadpool once.
    session = get_sessionmaker()()
    try:
        yield Upload(await run_in_threadpool(service.resolve_uploader, request, session), session)
    finally:
        if session.in_transaction():  # a failed request: rolling back is a round trip
            await run_in_threadpool(session.close)
        else:
            session.close()


Uploader = Annotated[Upload, Depends(_uploader)]


@router.post(
    "/api/{category}/data",
    response_class=PlainTextResponse,
    responses=error_responses(413, 421, 503),
    summary="Upload one data acquisition file; answers the stored sample name",
)
async def upload_data(category: str, request: Request, up: Uploader):
    service.check_category(category, allow_split=False)
    options = service.options_from_headers(request.headers, category)
    filename = service.data_file_name(request.headers)
    async with parse_slot(request):
        body = await read_body(request, get_settings().max_file_bytes, filename)
        name, event = await run_in_threadpool(
            service.receive_data, up.session, up.ctx, body, request.headers.get("content-type", ""), filename, options
        )
        del body  # the 100 MB it may be is not kept while the answer goes out
    # The sample is committed; its live event goes out once the device has its answer.
    return PlainTextResponse(name, background=BackgroundTask(publish, *event))


def _parse_all(files, options, hmac_key) -> tuple[list, list[str]]:
    parsed, names = [], []
    values = 0  # all files are held until stored together: their sum is bounded like one sample's
    for i, f in enumerate(files):
        try:
            filename = service.part_file_name(f.raw_name, i)
            names.append(filename)
            new = service.parse_one_file(f.read(), filename, f.content_type, options, hmac_key)
            if values + new.parsed.values.size > MAX_SAMPLE_VALUES:
                raise SampleFormatError(
                    filename,
                    f"one request may carry {MAX_SAMPLE_VALUES} values in all, and "
                    "this file would pass that; upload it in another request",
                )
            values += new.parsed.values.size
            parsed.append(new)
        except SampleFormatError as exc:
            if len(names) == i:
                names.append(exc.filename or f"file {i + 1}")
            parsed.append(exc)
        except DomainError as exc:  # a label inferred from the name that we cannot store
            parsed.append(SampleFormatError(names[-1], exc.message.removeprefix(f"{names[-1]}: ")))
        finally:
            f.close()
    return parsed, names


def _parse_and_store(up: Upload, files, options) -> list[dict]:
    parsed, names = _parse_all(files, options, up.ctx.project.hmac_key)
    return service.ingest_files(up.session, up.ctx, parsed, names, options)


@router.post(
    "/api/{category}/files",
    response_model=FilesResponse,
    responses={
        code: {"model": UploadError, "description": "Nothing stored: " + text} for code, text in UPLOAD_ERRORS.items()
    },
    summary="Upload files (multipart field `data`): JSON, CBOR, CSV, WAV",
)
async def upload_files(category: str, request: Request, up: Uploader):
    settings = get_settings()
    try:
        service.check_category(category, allow_split=True)
        options = service.options_from_headers(request.headers, category)
        async with parse_slot(request):
            files = await read_multipart_files(
                request,
                "data",
                settings.max_files_per_request,
                settings.max_file_bytes,
                max(settings.max_request_bytes, settings.max_file_bytes),
            )
            results = await run_in_threadpool(_parse_and_store, up, files, options)
    except DomainError as exc:
        headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after is not None else None
        return JSONResponse(
            {"success": False, "error": exc.message, "detail": exc.message},
            status_code=exc.status_code,
            headers=headers,
        )
    if not any(r["success"] for r in results):
        error = "; ".join(r["error"] for r in results[:5])
        return JSONResponse({"success": False, "error": error, "detail": error, "files": results}, status_code=400)
    return {"success": True, "files": results}
