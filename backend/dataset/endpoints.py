"""The dataset API: /api/projects/{project_id}/samples. Viewers browse; editors change."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response, StreamingResponse

from backend.core.config import get_settings
from backend.core.deps import ProjectEditor, ProjectViewer, SessionDep
from backend.core.downloads import zip_download
from backend.core.errors import InvalidInput, error_responses, file_response
from backend.core.ids import PathId, QueryCursor
from backend.dataset import archive, repository, service, splitting, summary
from backend.dataset.audio import MAX_BINS, MAX_COLUMNS
from backend.dataset.schemas import (
    BulkIds,
    BulkResult,
    BulkUpdate,
    Category,
    CropRequest,
    DatasetSummary,
    MetadataKeys,
    RebalanceResult,
    SampleDetail,
    SampleListItem,
    SamplePage,
    SamplePublic,
    SampleUpdate,
    Sparkline,
    Spectrogram,
    SplitPreview,
    SplitRequest,
)
from backend.ingestion.parse_slots import parse_slot
from backend.ingestion.schemas import FilesResponse
from backend.ingestion.streaming import read_multipart_files, spool_body

router = APIRouter(prefix="/api/projects/{project_id}/samples", tags=["dataset"])
MAX_IMPORT_FACTOR = 20  # an archive may be this many times the per-file limit


METADATA_MAX_KEYS, METADATA_MAX_VALUES = 50, 100


def _text_filter(name: str, values: list[str]) -> None:
    if any("\x00" in v for v in values):
        raise InvalidInput(f"{name}: text filters cannot contain NUL characters")


def _metadata_pairs(pairs: list[str]) -> dict[str, str]:
    _text_filter("metadata", pairs)
    out: dict[str, str] = {}
    for pair in pairs:
        key, eq, value = pair.partition("=")
        if not eq or not key:
            raise InvalidInput(f"metadata filter {pair!r}: write it as key=value")
        out[key] = value
    return out


@router.get("", response_model=SamplePage)
def list_samples(
    ctx: ProjectViewer,
    session: SessionDep,
    category: Category | None = None,
    label: list[str] | None = Query(
        None, description="exact label, repeat for any of several; empty for unlabeled samples"
    ),
    metadata: list[str] = Query([], max_length=20, description="key=value (exact); repeat for several, all must match"),
    search: str | None = Query(None, max_length=200, description="part of the name, case-insensitive"),
    signature_status: Literal["valid", "invalid", "unsigned"] | None = None,
    enabled: bool | None = None,
    min_length_ms: float | None = Query(None, ge=0),
    max_length_ms: float | None = Query(None, ge=0),
    cursor: QueryCursor("next_cursor of the previous page") = None,
    limit: int = Query(100, ge=1, le=1000),
    order: Literal["newest", "oldest"] = "newest",
    include_total: bool = False,
):
    """Keyset pages in id order: walking next_cursor yields each sample once, also while samples
    are added or removed meanwhile."""
    _text_filter("label", label or [])
    _text_filter("search", [search or ""])
    flt = repository.SampleFilter(
        category, label, search, signature_status, enabled, min_length_ms, max_length_ms, _metadata_pairs(metadata)
    )
    items, next_cursor = service.list_samples(session, ctx, flt, cursor, limit, order == "newest")
    return SamplePage(
        items=[
            SampleListItem.model_validate(s).model_copy(update={"sparkline": shape and Sparkline(**shape)})
            for s, shape in items
        ],
        next_cursor=next_cursor,
        total=repository.count(session, ctx.project.id, flt) if include_total else None,
    )


@router.get("/metadata", response_model=MetadataKeys)
def metadata_keys(ctx: ProjectViewer, session: SessionDep):
    """The metadata keys of the project's samples (by name, at most 50) and their most common
    values (at most 100 each): what the list's metadata filter can choose from."""
    return service.metadata_keys(session, ctx, METADATA_MAX_KEYS, METADATA_MAX_VALUES)


@router.get("/summary", response_model=DatasetSummary)
def dataset_summary(ctx: ProjectViewer, session: SessionDep):
    return summary.summarize(session, ctx.project.id)


@router.get(
    "/export",
    summary="Zip of acquisition JSON files plus info.labels",
    response_class=StreamingResponse,
    responses=file_response("application/zip", "The dataset as a zip"),
)
def export_dataset(ctx: ProjectViewer, session: SessionDep):
    return zip_download(archive.export_zip(session, ctx), f"project-{ctx.project.id}-export.zip")


@router.post(
    "/import",
    response_model=FilesResponse,
    responses=error_responses(413, 503),
    summary="Import an export zip: raw application/zip body, or multipart field `file`",
)
async def import_dataset(request: Request, ctx: ProjectEditor, session: SessionDep, disallow_duplicates: bool = False):
    limit = get_settings().max_file_bytes * MAX_IMPORT_FACTOR
    async with parse_slot(request):  # an archive's files are parsed like uploads: one at a time per slot
        if request.headers.get("content-type", "").startswith("multipart/form-data"):
            part = (await read_multipart_files(request, "file", 1, limit))[0]
            body = part.spool
        else:
            body = await spool_body(request, limit, "the archive")
        try:
            results = await run_in_threadpool(archive.import_zip, session, ctx, body, disallow_duplicates)
        finally:
            body.close()
    return {"success": any(r["success"] for r in results) or not results, "files": results}


@router.post("/bulk-update", response_model=BulkResult)
def bulk_update(body: BulkUpdate, ctx: ProjectEditor, session: SessionDep):
    """Relabel, move between categories, enable or disable many samples at once."""
    return BulkResult(updated=service.bulk_update(session, ctx, body))


@router.post("/bulk-delete", response_model=BulkResult)
def bulk_delete(body: BulkIds, ctx: ProjectEditor, session: SessionDep):
    return BulkResult(deleted=service.delete_samples(session, ctx, body.ids))


@router.post(
    "/rebalance",
    response_model=RebalanceResult,
    summary="Training/testing 80/20, deterministic from each sample's content hash",
)
def rebalance(ctx: ProjectEditor, session: SessionDep):
    return service.rebalance(session, ctx)


@router.get("/{sample_id}", response_model=SampleDetail)
def get_sample(
    sample_id: PathId,
    ctx: ProjectViewer,
    session: SessionDep,
    max_points: int = Query(
        2000, ge=0, le=1_000_000, description="downsample (min/max per bucket) to this many rows; 0: all"
    ),
):
    sample = service.get_sample(session, ctx, sample_id)
    times, values, reduced = service.plot_values(session, sample, max_points)
    return SampleDetail(
        **SamplePublic.model_validate(sample).model_dump(), timestamps_ms=times, values=values, downsampled=reduced
    )


@router.patch("/{sample_id}", response_model=SamplePublic)
def update_sample(sample_id: PathId, body: SampleUpdate, ctx: ProjectEditor, session: SessionDep):
    """Rename, relabel, move (training/testing/anomaly), enable or disable."""
    return service.update_sample(session, ctx, sample_id, body)


@router.delete("/{sample_id}", status_code=204)
def delete_sample(sample_id: PathId, ctx: ProjectEditor, session: SessionDep):
    service.get_sample(session, ctx, sample_id)
    service.delete_samples(session, ctx, [sample_id])


@router.post("/{sample_id}/crop", response_model=SamplePublic)
def crop_sample(sample_id: PathId, body: CropRequest, ctx: ProjectEditor, session: SessionDep):
    return service.crop_sample(session, ctx, sample_id, body.start_ms, body.end_ms)


@router.post("/{sample_id}/split", response_model=list[SamplePublic], status_code=201)
def split_sample(sample_id: PathId, body: SplitRequest, ctx: ProjectEditor, session: SessionDep):
    """Into windows of `window_ms`, or one clip of `window_ms` around each burst of energy (mode
    `events`; the cuts are those `split/preview` answers for the same body)."""
    ids = splitting.split(session, ctx, sample_id, body)
    return [service.get_sample(session, ctx, i) for i in ids]


@router.post("/{sample_id}/split/preview", response_model=SplitPreview)
def preview_split(sample_id: PathId, body: SplitRequest, ctx: ProjectViewer, session: SessionDep):
    """The cuts `split` would make, changing nothing."""
    return splitting.preview(session, ctx, sample_id, body)


@router.get(
    "/{sample_id}/audio.wav",
    response_class=Response,
    responses=file_response("audio/wav", "The audio sample as 16-bit mono PCM WAV"),
)
def sample_audio(
    sample_id: PathId,
    ctx: ProjectViewer,
    session: SessionDep,
    start_ms: float | None = Query(None, ge=0, description="only from here (ms)"),
    end_ms: float | None = Query(None, gt=0, description="only up to here (ms)"),
):
    body = service.audio_wav(session, ctx, sample_id, start_ms, end_ms)
    return Response(body, media_type="audio/wav", headers={"Cache-Control": "private, no-cache"})


@router.get("/{sample_id}/spectrogram", response_model=Spectrogram)
def sample_spectrogram(
    sample_id: PathId,
    ctx: ProjectViewer,
    session: SessionDep,
    columns: int = Query(400, ge=1, le=MAX_COLUMNS, description="frames, spread evenly over the sample"),
    bands: int = Query(128, ge=8, le=MAX_BINS, description="at most this many frequency bands"),
):
    return service.spectrogram(session, ctx, sample_id, columns, bands)
