from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field


class WorkerSeen(BaseModel):
    hostname: str
    pid: int
    last_seen_at: datetime
    queues: list[str]


class WorkersSeen(BaseModel):
    connected: bool
    workers: list[WorkerSeen]


class HealthReport(BaseModel):
    status: Literal["ok", "degraded"]
    problems: list[str] = Field(description="why the studio is degraded, in words a user can act on")
    database: str
    database_backend: str
    broker: str
    broker_state: str
    events: str
    events_state: str
    queues: dict[str, int] = Field(description="live workers per queue (jobs, interactive)")
    worker: WorkersSeen
