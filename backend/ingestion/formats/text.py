"""Decoding uploaded text files, with errors that say what to do."""

from __future__ import annotations

import codecs

from .errors import SampleFormatError

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def decode_utf8(body: bytes, filename: str, what: str, *, allow_utf16: bool = False) -> str:
    """Decode UTF-8 (a leading BOM is dropped). UTF-16 with a BOM only when `allow_utf16`."""
    if body.startswith(codecs.BOM_UTF8):
        body = body[len(codecs.BOM_UTF8) :]
    elif body.startswith(_UTF16_BOMS):
        if allow_utf16:
            try:
                return body.decode("utf-16")
            except UnicodeDecodeError:
                raise SampleFormatError(filename, "is not valid UTF-16 text") from None
        raise SampleFormatError(filename, f"is UTF-16 text; save it as UTF-8 ({what} files must be UTF-8)")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SampleFormatError(
            filename,
            f"is not valid UTF-8 text (byte 0x{body[exc.start]:02x} at offset {exc.start}); "
            f"save the {what} file as UTF-8",
        ) from None


def check_text(filename: str, field: str, value: str) -> str:
    """Refuse text a database cannot store: NUL and lone surrogates (from JSON \\u escapes)."""
    if "\x00" in value:
        raise SampleFormatError(filename, f"{field} contains a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise SampleFormatError(filename, f"{field} contains an invalid Unicode escape (a lone surrogate)") from None
    return value
