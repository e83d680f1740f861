"""Reading upload bodies with limits enforced while the bytes arrive.

A body over the limit is refused as soon as it crosses it (413), never read whole into memory
first. Files of a multipart upload are spooled: small ones stay in memory, big ones go to a
temporary file until the whole request has arrived and passed its limits.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from urllib.parse import unquote_to_bytes

from fastapi import Request
from python_multipart.multipart import MultipartParser, parse_options_header

from backend.core.errors import DomainError, PayloadTooLarge

SPOOL_IN_MEMORY_BYTES = 1024 * 1024


class MalformedBody(DomainError):
    status_code = 400


MAX_PART_HEADER_BYTES = 16 * 1024


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:g} MB"


def declared_length(request: Request) -> int | None:
    try:
        return int(request.headers.get("content-length", ""))
    except ValueError:
        return None


async def read_body(request: Request, limit: int, what: str) -> bytes:
    """The whole body, refused with 413 once it passes `limit` bytes."""
    declared = declared_length(request)
    if declared is not None and declared > limit:
        raise PayloadTooLarge(f"{what} is {declared} bytes; the limit is {_mb(limit)} per file")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"{what} is larger than the limit of {_mb(limit)} per file")
        chunks.append(chunk)
    return b"".join(chunks)


@dataclass
class UploadedFile:
    """One file part: its raw file name bytes (validated later), content type and spooled data."""

    raw_name: bytes | None
    content_type: str | None
    size: int = 0
    spool: tempfile.SpooledTemporaryFile = field(
        default_factory=lambda: tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY_BYTES)
    )

    def read(self) -> bytes:
        self.spool.seek(0)
        return self.spool.read()

    def close(self) -> None:
        self.spool.close()


def _part_filename(disposition: dict[bytes, bytes]) -> bytes | None:
    if b"filename*" in disposition:  # RFC 5987: UTF-8''percent-encoded
        value = disposition[b"filename*"]
        if b"''" in value:
            value = value.split(b"''", 1)[1]
        return unquote_to_bytes(value)
    return disposition.get(b"filename")


async def read_multipart_files(
    request: Request, field_name: str, max_files: int, max_file_bytes: int, max_total_bytes: int | None = None
) -> list[UploadedFile]:
    """The parts named `field_name` of a multipart/form-data body (other parts are ignored).

    413 when a file passes `max_file_bytes`, the files together pass `max_total_bytes` (default: one
    file's limit) or there are more than `max_files` files; 400 when the body is not multipart or is
    malformed. The total bounds what one request may spool to disk, whatever the file count."""
    total_limit = max_total_bytes if max_total_bytes is not None else max_file_bytes
    declared = declared_length(request)
    if declared is not None and declared > total_limit + max_files * MAX_PART_HEADER_BYTES:
        raise PayloadTooLarge(f"the request is {declared} bytes; the limit is {_mb(total_limit)} of files per request")
    content_type = request.headers.get("content-type", "")
    media, options = parse_options_header(content_type)
    if media != b"multipart/form-data":
        raise MalformedBody(
            f"send the files as multipart/form-data in the field '{field_name}' "
            f"(got Content-Type {content_type or 'none'!r})"
        )
    boundary = options.get(b"boundary")
    if not boundary:
        raise MalformedBody("the multipart body has no boundary in its Content-Type")

    files: list[UploadedFile] = []
    state: dict = {
        "headers": {},
        "name": b"",
        "value": b"",
        "current": None,
        "header_bytes": 0,
        "parts": 0,
        "total": 0,
    }

    def on_part_begin() -> None:
        state["headers"] = {}
        state["current"] = None
        state["header_bytes"] = 0
        state["parts"] += 1
        if state["parts"] > max_files + 100:  # stray fields count too, so nobody sends a million
            raise PayloadTooLarge(f"too many parts in one request; the limit is {max_files} files")

    def on_header_field(data: bytes, start: int, end: int) -> None:
        state["name"] += data[start:end]
        _count_header(end - start)

    def on_header_value(data: bytes, start: int, end: int) -> None:
        state["value"] += data[start:end]
        _count_header(end - start)

    def _count_header(n: int) -> None:
        state["header_bytes"] += n
        if state["header_bytes"] > MAX_PART_HEADER_BYTES:
            raise MalformedBody("a multipart part has headers larger than 16 KB")

    def on_header_end() -> None:
        state["headers"][state["name"].strip().lower()] = state["value"].strip()
        state["name"], state["value"] = b"", b""

    def on_headers_finished() -> None:
        _, disposition = parse_options_header(state["headers"].get(b"content-disposition", b""))
        if disposition.get(b"name", b"") != field_name.encode():
            return
        if len(files) >= max_files:
            raise PayloadTooLarge(f"too many files in one request; the limit is {max_files}")
        ctype = state["headers"].get(b"content-type")
        current = UploadedFile(
            raw_name=_part_filename(disposition), content_type=ctype.decode("latin-1") if ctype else None
        )
        files.append(current)
        state["current"] = current

    def on_part_data(data: bytes, start: int, end: int) -> None:
        current: UploadedFile | None = state["current"]
        if current is None:
            return
        current.size += end - start
        state["total"] += end - start
        if state["total"] > total_limit:
            raise PayloadTooLarge(f"the files of this request pass the limit of {_mb(total_limit)} per request")
        if current.size > max_file_bytes:
            name = (current.raw_name or b"").decode("utf-8", "replace") or f"file {len(files)}"
            raise PayloadTooLarge(f"{name}: larger than the limit of {_mb(max_file_bytes)} per file")
        current.spool.write(data[start:end])

    parser = MultipartParser(
        boundary,
        {
            "on_part_begin": on_part_begin,
            "on_header_field": on_header_field,
            "on_header_value": on_header_value,
            "on_header_end": on_header_end,
            "on_headers_finished": on_headers_finished,
            "on_part_data": on_part_data,
        },
    )
    try:
        async for chunk in request.stream():
            parser.write(chunk)
        parser.finalize()
    except (PayloadTooLarge, MalformedBody):
        _close_all(files)
        raise
    except Exception as exc:  # python-multipart's errors on malformed bodies
        _close_all(files)
        raise MalformedBody(f"the multipart body is malformed: {exc}") from None
    if not files:
        raise MalformedBody(f"no files: send each file in a multipart field named '{field_name}'")
    return files


def _close_all(files: list[UploadedFile]) -> None:
    for f in files:
        f.close()


async def spool_body(request: Request, limit: int, what: str) -> tempfile.SpooledTemporaryFile:
    """The body in a spooled temporary file (for archives), refused with 413 past `limit`."""
    declared = declared_length(request)
    if declared is not None and declared > limit:
        raise PayloadTooLarge(f"{what} is {declared} bytes; the limit is {_mb(limit)}")
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY_BYTES * 8)
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            spool.close()
            raise PayloadTooLarge(f"{what} is larger than the limit of {_mb(limit)}")
        spool.write(chunk)
    spool.seek(0)
    return spool
