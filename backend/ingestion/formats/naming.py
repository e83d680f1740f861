"""File names, labels inferred from them, and the deterministic training/testing split."""

from __future__ import annotations

import re
import unicodedata

from .errors import SampleFormatError

MAX_FILENAME_BYTES = 255
_LABEL = re.compile(r"[a-zA-Z0-9 _-]*")


def basename(name: str) -> str:
    """Last path component, for both / and \\ (browsers and Windows clients send either)."""
    return re.split(r"[/\\]", name)[-1]


def label_from_filename(name: str) -> str:
    """The label Edge Impulse infers from a file name: the leading run of [a-zA-Z0-9 _-].

    `idle.01.json` -> `idle`, `wave.json` -> `wave`, `a/b/idle.1.json` -> `idle` (the directories
    are dropped first). Surrounding spaces are trimmed; '' when the name starts with another
    character, which the caller treats as "no label".
    """
    match = _LABEL.match(basename(name))
    return match.group(0).strip() if match else ""


def validate_filename(name: str | bytes, *, strip_directories: bool = False) -> str:
    """Check an uploaded file name and return it cleaned (trimmed, Unicode NFC).

    Refused: invalid UTF-8 (bytes, or a str carrying surrogate escapes), control characters,
    path separators (unless `strip_directories`, which keeps the last component: browsers send
    `folder/file.csv` for directory uploads), `.` and `..`, empty names, more than 255 bytes.
    The caller URI-decodes `x-file-name` first.
    """
    if isinstance(name, (bytes, bytearray)):
        try:
            name = bytes(name).decode("utf-8")
        except UnicodeDecodeError:
            raise SampleFormatError("", "the file name is not valid UTF-8") from None
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raise SampleFormatError("", "the file name is not valid UTF-8") from None
    if strip_directories:
        name = basename(name)
    cleaned = unicodedata.normalize("NFC", name.strip())
    shown = repr(cleaned[:60])
    if not cleaned:
        raise SampleFormatError("", "the file name is empty")
    if any(unicodedata.category(ch) == "Cc" for ch in cleaned):
        raise SampleFormatError("", f"the file name {shown} contains control characters")
    if "/" in cleaned or "\\" in cleaned:
        raise SampleFormatError("", f"the file name {shown} contains a path separator; send the base name only")
    if cleaned in (".", ".."):
        raise SampleFormatError("", f"{shown} is not a file name")
    if len(cleaned.encode("utf-8")) > MAX_FILENAME_BYTES:
        raise SampleFormatError("", f"the file name is longer than {MAX_FILENAME_BYTES} bytes")
    return cleaned


def split_category(content_hash: str) -> str:
    """'training' or 'testing' for category `split`, deterministic from the sample's hash.

    Same rule as edge-impulse-uploader: skip leading 'f's, then the first hex digit 0-b means
    training, c-e testing: 12 of 15 digits, 80/20.
    """
    digits = content_hash.lower().lstrip("f")
    if not digits:
        return "training"
    if digits[0] not in "0123456789abcde":
        raise ValueError(f"not a hex digest: {content_hash!r}")
    return "training" if digits[0] in "0123456789ab" else "testing"
