from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class ActivityPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    actor_name: str
    actor_user_id: int | None
    action: str
    details: dict[str, Any]
    created_at: datetime
