"""Edge Impulse's ingestion API, at the root of the origin.

POST /api/{training,testing,anomaly}/data   one acquisition file (JSON, CBOR, binary CBOR, multipart)
POST /api/{training,testing,anomaly,split}/files   multipart field `data`, many files

Authentication: `x-api-key` (admin or ingestion-only key), or a signed-in editor with the
project in `x-project-id` (or `?project_id=`). Errors of /files come back in Edge Impulse's
shape `{"success": false, "error": ...}` (plus `detail`, like the rest of our API).
"""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, PlainTextResponse

from backend.core.config import get_settings
from backend.core.deps import ProjectContext, SessionDep
from backend.core.errors import DomainError
from backend.ingestion import service
from backend.ingestion.formats import SampleFormatError
from backend.ingestion.schemas import FilesResponse
from backend.ingestion.streaming import read_body, read_multipart_files

router = APIRouter(tags=["ingestion"])


def _uploader(request: Request, session: SessionDep) -> ProjectContext:
    return service.resolve_uploader(request, session)


Uploader = Annotated[ProjectContext, Depends(_uploader)]


@router.post("/api/{category}/data", response_class=PlainTextResponse,
             summary="Upload one data acquisition file; answers the stored sample name")
async def upload_data(category: str, request: Request, ctx: Uploader, session: SessionDep):
    service.check_category(category, allow_split=False)
    options = service.options_from_headers(request.headers, category)
    filename = service.data_file_name(request.headers)
    body = await read_body(request, get_settings().max_file_bytes, filename)
    new = await run_in_threadpool(service.parse_data, body, request.headers.get("content-type", ""), filename,
                                  options, ctx.project.hmac_key)
    name = await run_in_threadpool(service.ingest_data, session, ctx, new, options)
    return PlainTextResponse(name)


def _parse_all(files, options, hmac_key) -> tuple[list, list[str]]:
    parsed, names = [], []
    for i, f in enumerate(files):
        try:
            filename = service.part_file_name(f.raw_name, i)
            names.append(filename)
            parsed.append(service.parse_one_file(f.read(), filename, f.content_type, options, hmac_key))
        except SampleFormatError as exc:
            if len(names) == i:
                names.append(exc.filename or f"file {i + 1}")
            parsed.append(exc)
        except DomainError as exc:  # a label inferred from the name that we cannot store
            parsed.append(SampleFormatError(names[-1], exc.message.removeprefix(f"{names[-1]}: ")))
        finally:
            f.close()
    return parsed, names


@router.post("/api/{category}/files", response_model=FilesResponse,
             summary="Upload files (multipart field `data`): JSON, CBOR, CSV, WAV")
async def upload_files(category: str, request: Request, ctx: Uploader, session: SessionDep):
    settings = get_settings()
    try:
        service.check_category(category, allow_split=True)
        options = service.options_from_headers(request.headers, category)
        files = await read_multipart_files(request, "data", settings.max_files_per_request,
                                           settings.max_file_bytes)
        parsed, names = await run_in_threadpool(_parse_all, files, options, ctx.project.hmac_key)
        results = await run_in_threadpool(service.ingest_files, session, ctx, parsed, names, options)
    except DomainError as exc:
        return JSONResponse({"success": False, "error": exc.message, "detail": exc.message},
                            status_code=exc.status_code)
    if not any(r["success"] for r in results):
        error = "; ".join(r["error"] for r in results[:5])
        return JSONResponse({"success": False, "error": error, "detail": error, "files": results}, status_code=400)
    return {"success": True, "files": results}
