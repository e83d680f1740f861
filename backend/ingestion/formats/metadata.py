"""The `x-metadata` header: string key/values stored with a sample."""

from __future__ import annotations

import json

from .errors import SampleFormatError
from .sample import describe_value
from .text import check_text

_WHAT = "the x-metadata header"


def parse_metadata_header(value: str) -> dict[str, str]:
    """Parse `x-metadata`: a JSON object whose keys and values are all strings."""
    try:
        parsed = json.loads(value)
    except (ValueError, RecursionError) as exc:
        raise SampleFormatError("", f'{_WHAT} is not valid JSON ({exc}); send an object like {{"site": "A"}}') from None
    if not isinstance(parsed, dict):
        raise SampleFormatError("", f"{_WHAT} must be a JSON object of string keys and values")
    for key, item in parsed.items():
        if not key.strip():
            raise SampleFormatError("", f"{_WHAT} has an empty key")
        if not isinstance(item, str):
            raise SampleFormatError("", f"{_WHAT}: the value of {key!r} must be a string, not {describe_value(item)}")
        check_text("", f"{_WHAT}: key {key!r}", key)
        check_text("", f"{_WHAT}: the value of {key!r}", item)
    return parsed
