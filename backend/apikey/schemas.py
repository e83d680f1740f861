from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class ApiKeyCreate(BaseModel):
    name: str = Field("", max_length=120)
    role: Literal["admin", "readonly", "ingestiononly"] = "ingestiononly"


class ApiKeyPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    role: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class ApiKeyCreated(ApiKeyPublic):
    key: str = Field(description="shown once; store it now")
    edge_impulse_key: str = Field(description="the same key spelled `ei_...`, for Edge Impulse's tools")


class HmacKeyPublic(BaseModel):
    hmac_key: str
