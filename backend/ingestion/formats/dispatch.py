"""Which parser reads an upload: by content type on /data, by extension then content on /files."""

from __future__ import annotations

from .acquisition import parse_acquisition_cbor, parse_acquisition_json, parse_message_multipart
from .csv_format import parse_csv
from .errors import SampleFormatError
from .multipart import media_type, pick_message, split_multipart
from .sample import ParsedSample
from .wav_format import looks_like_wav, parse_wav

_JSON_TYPES = ("application/json", "text/json")
_CBOR_TYPES = ("application/cbor", "application/octet-stream")
_EXTENSIONS = {".json": "json", ".cbor": "cbor", ".csv": "csv", ".wav": "wav", ".wave": "wav"}
_IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp")
_CONTENT_TYPES = {
    "application/json": "json",
    "text/json": "json",
    "application/cbor": "cbor",
    "text/csv": "csv",
    "application/csv": "csv",
    "audio/wav": "wav",
    "audio/x-wav": "wav",
    "audio/wave": "wav",
    "audio/vnd.wave": "wav",
}


def parse_data_body(body: bytes, content_type: str, filename: str, hmac_key: str | None) -> ParsedSample:
    """Parse the body of POST /api/{category}/data.

    `application/json`; `application/cbor` or `application/octet-stream` (CBOR, possibly a
    Ref-BINARY header followed by raw samples); `multipart/form-data` with a `message` part.
    """
    media = media_type(content_type)
    if media in _JSON_TYPES:
        return parse_acquisition_json(body, filename, hmac_key)
    if media in _CBOR_TYPES:
        return parse_acquisition_cbor(body, filename, hmac_key)
    if media == "multipart/form-data":
        message, attachments = pick_message(split_multipart(body, content_type, filename), filename)
        return parse_message_multipart(message, attachments, filename, hmac_key)
    raise SampleFormatError(
        filename,
        f"unsupported Content-Type {content_type!r}; send application/json, application/cbor, "
        "application/octet-stream or multipart/form-data",
    )


def _sniff(body: bytes) -> str | None:
    if looks_like_wav(body):
        return "wav"
    head = body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head in (b"{", b"["):
        return "json"
    if head and (0xA0 <= head[0] <= 0xBB or head[0] == 0xBF):  # CBOR map header
        return "cbor"
    if body[:3] == b"\xff\xd8\xff" or body[:8] == b"\x89PNG\r\n\x1a\n":
        return "image"
    if not body.strip():
        return None
    if body[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "csv"  # UTF-16 text; the CSV reader decodes it
    try:
        body[:4096].decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < 4093:  # not just a character cut at the 4 KiB boundary
            return "unknown"
    return "csv"


def detect_format(body: bytes, filename: str, content_type: str | None) -> str:
    """'json' | 'cbor' | 'csv' | 'wav': the extension decides, else the content type, else the bytes."""
    lower = filename.lower()
    if lower.endswith(_IMAGE_EXTENSIONS):
        return "image"
    for extension, kind in _EXTENSIONS.items():
        if lower.endswith(extension):
            return kind
    by_type = _CONTENT_TYPES.get(media_type(content_type))
    if by_type:
        return by_type
    return _sniff(body) or "empty"


def parse_file(body: bytes, filename: str, content_type: str | None, hmac_key: str | None) -> ParsedSample:
    """Parse one file of POST /api/{category}/files: JSON, CBOR, CSV or WAV."""
    kind = detect_format(body, filename, content_type)
    if kind == "json":
        return parse_acquisition_json(body, filename, hmac_key)
    if kind == "cbor":
        return parse_acquisition_cbor(body, filename, hmac_key)
    if kind == "csv":
        return parse_csv(body, filename)
    if kind == "wav":
        return parse_wav(body, filename)
    if kind == "image":
        raise SampleFormatError(filename, "images are not supported yet; upload JSON, CBOR, CSV or WAV files")
    if kind == "unknown":
        raise SampleFormatError(
            filename, "is not a JSON, CBOR, CSV or WAV file; name it with one of these extensions if it is one"
        )
    raise SampleFormatError(filename, "is empty")
