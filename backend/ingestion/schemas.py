"""Response shapes of the ingestion API (Edge Impulse's)."""

from __future__ import annotations

from pydantic import BaseModel

from backend.core.errors import ErrorResponse


class FileResult(BaseModel):
    success: bool
    fileName: str  # noqa: N815 - Edge Impulse's field name
    sampleId: int | None = None  # noqa: N815
    name: str | None = None
    category: str | None = None
    label: str | None = None
    error: str | None = None
    warnings: list[str] = []  # what was changed to store the file, e.g. stereo down-mixed to mono


class FilesResponse(BaseModel):
    success: bool
    files: list[FileResult] = []
    error: str | None = None


class UploadError(ErrorResponse):
    """An upload refused whole, in Edge Impulse's shape (`success`, `error`) plus our `detail`."""

    success: bool = False
    error: str
    files: list[FileResult] | None = None


# The errors of the upload itself; refused callers (401, 403, 404) get the plain ErrorResponse.
UPLOAD_ERRORS = {
    400: "no file could be used (each has its error)",
    413: "a file or the request is too large",
    503: "busy parsing other large uploads; see Retry-After",
}
