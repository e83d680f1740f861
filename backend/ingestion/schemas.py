"""Response shapes of the ingestion API (Edge Impulse's)."""
from __future__ import annotations

from pydantic import BaseModel


class FileResult(BaseModel):
    success: bool
    fileName: str  # noqa: N815 - Edge Impulse's field name
    sampleId: int | None = None  # noqa: N815
    name: str | None = None
    category: str | None = None
    label: str | None = None
    error: str | None = None


class FilesResponse(BaseModel):
    success: bool
    files: list[FileResult] = []
    error: str | None = None
