"""File downloads built in a spooled temporary file and streamed out in chunks."""

from __future__ import annotations

from typing import BinaryIO

from fastapi.responses import StreamingResponse

CHUNK_BYTES = 1024 * 1024


def zip_download(out: BinaryIO, filename: str) -> StreamingResponse:
    """Streams `out` (read from its current position, closed at the end) as an attached zip."""

    def chunks():
        try:
            while chunk := out.read(CHUNK_BYTES):
                yield chunk
        finally:
            out.close()

    return StreamingResponse(
        chunks(), media_type="application/zip", headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )
