from __future__ import annotations

from datetime import datetime
from typing import Literal

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


class StageStatus(BaseModel):
    key: Literal["collect", "impulse", "features", "train", "test", "deploy"]
    title: str
    done: bool
    detail: str = Field(description="how far this step is, in words")
    page: str = Field(description="the project page where the step is done (under /projects/{id}/)")
    action: str = Field(description="the words of the button that takes you there")


class ProjectStatus(BaseModel):
    stages: list[StageStatus]
    next: StageStatus | None = Field(description="the first step not done yet; null when all are done")
    samples: dict[str, dict[str, int]] = Field(description="enabled samples per category, then per label")


class SampleDataAdded(BaseModel):
    count: int = Field(description="samples added")
    labels: list[str]
    frequency_hz: float
    seconds: float = Field(description="length of all samples together")
