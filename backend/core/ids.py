"""The one type for ids that callers send: bounded to what the database's columns hold.

Ids are PostgreSQL `integer` columns (up to 2^31-1); SQLite's rowids go to 2^63-1 but are
bounded the same so both backends answer alike. A path id outside the range answers 404 (no
such thing exists, see backend.main); a query or body id outside it answers 422.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query
from pydantic import Field

MAX_ID = 2**31 - 1

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]


def QueryCursor(description: str):  # noqa: N802 - reads like a type in signatures
    """An optional id to page after (0 is accepted: before every id)."""
    return Annotated[int | None, Query(ge=0, le=MAX_ID, description=description)]


def in_range(value: int) -> bool:
    return 1 <= value <= MAX_ID
