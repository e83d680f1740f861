"""Splitting a multipart/form-data body into parts, for the multipart variant of /data."""

from __future__ import annotations

from dataclasses import dataclass, field

from python_multipart.multipart import MultipartParser, parse_options_header

from .errors import SampleFormatError


@dataclass
class MessagePart:
    """One part of a multipart body: its form field name, file name, content type and bytes."""

    name: str
    body: bytes
    content_type: str = "application/octet-stream"
    filename: str | None = None
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def media_type(self) -> str:
        return media_type(self.content_type)


def media_type(content_type: str | None) -> str:
    """'application/json; charset=utf-8' -> 'application/json'."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def split_multipart(body: bytes, content_type: str, filename: str) -> list[MessagePart]:
    """Split a multipart/form-data body; the boundary comes from `content_type`."""
    _, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    if not boundary:
        raise SampleFormatError(filename, "multipart body has no boundary in its Content-Type")
    parts: list[MessagePart] = []
    headers: dict[str, str] = {}
    chunks: list[bytes] = []
    header_name: list[bytes] = []
    header_value: list[bytes] = []

    def on_part_begin() -> None:
        headers.clear()
        chunks.clear()

    def on_header_field(data: bytes, start: int, end: int) -> None:
        header_name.append(data[start:end])

    def on_header_value(data: bytes, start: int, end: int) -> None:
        header_value.append(data[start:end])

    def on_header_end() -> None:
        name = b"".join(header_name).decode("latin-1").strip().lower()
        headers[name] = b"".join(header_value).decode("utf-8", "replace").strip()
        header_name.clear()
        header_value.clear()

    def on_part_data(data: bytes, start: int, end: int) -> None:
        chunks.append(data[start:end])

    def on_part_end() -> None:
        _, disposition = parse_options_header(headers.get("content-disposition", ""))
        parts.append(
            MessagePart(
                name=disposition.get(b"name", b"").decode("utf-8", "replace"),
                body=b"".join(chunks),
                content_type=headers.get("content-type", "application/octet-stream"),
                filename=disposition[b"filename"].decode("utf-8", "replace") if b"filename" in disposition else None,
                headers=dict(headers),
            )
        )

    parser = MultipartParser(
        boundary,
        {
            "on_part_begin": on_part_begin,
            "on_header_field": on_header_field,
            "on_header_value": on_header_value,
            "on_header_end": on_header_end,
            "on_part_data": on_part_data,
            "on_part_end": on_part_end,
        },
    )
    try:
        parser.write(body)
        parser.finalize()
    except Exception as exc:  # python-multipart's errors on malformed bodies
        raise SampleFormatError(filename, f"is not a valid multipart body: {exc}") from None
    if not parts:
        raise SampleFormatError(filename, "multipart body has no parts")
    return parts


def pick_message(parts: list[MessagePart], filename: str) -> tuple[MessagePart, list[MessagePart]]:
    """The acquisition message and its attachments.

    The message is the part named `message` (our API) or `body` (what edge-impulse-uploader
    sends), else the first JSON or CBOR part.
    """
    for wanted in ("message", "body"):
        for i, part in enumerate(parts):
            if part.name == wanted:
                return part, parts[:i] + parts[i + 1 :]
    for i, part in enumerate(parts):
        if part.media_type in ("application/json", "application/cbor"):
            return part, parts[:i] + parts[i + 1 :]
    raise SampleFormatError(filename, "multipart body has no 'message' part with the JSON or CBOR acquisition data")
