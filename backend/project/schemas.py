from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator


def _clean_name(v: str) -> str:
    v = v.strip()
    if not v:
        raise ValueError("name must not be empty")
    if any(ord(c) < 32 for c in v):
        raise ValueError("name must not contain control characters")
    return v


class ProjectCreate(BaseModel):
    name: str = Field(max_length=120)
    _n = field_validator("name")(_clean_name)


class ProjectUpdate(BaseModel):
    name: str = Field(max_length=120)
    _n = field_validator("name")(_clean_name)


class ProjectPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    created_at: datetime
    role: str = Field(description="your role in the project")
    member_count: int = 0
