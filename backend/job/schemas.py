from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, computed_field

from backend.job.titles import job_title


class JobPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    project_id: int
    kind: str
    status: str
    progress: float
    params: dict[str, Any]
    result: dict[str, Any] | None
    error: str | None
    cancel_requested: bool
    attempts: int
    created_by_id: int | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    waiting: str | None = Field(None, description="why a queued job is not starting (no live worker for its queue)")

    @computed_field(description="what the job does, in plain words (e.g. 'Training')")
    @property
    def title(self) -> str:
        return job_title(self.kind, self.params)


class JobLogLine(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    created_at: datetime
    line: str


class JobDetail(JobPublic):
    logs: list[JobLogLine]


class SelfTestCreate(BaseModel):
    steps: int = Field(20, ge=1, le=10_000, description="rounds of work")
    step_seconds: float = Field(0.1, ge=0, le=60, description="pause per round (to watch progress)")
