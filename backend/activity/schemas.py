from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, computed_field

from backend.activity.words import describe


class ActivityPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    actor_name: str
    actor_user_id: int | None
    action: str
    details: dict[str, Any]
    created_at: datetime

    @computed_field(description="what happened in plain words, to follow the actor's name")
    @property
    def summary(self) -> str:
        return describe(self.action, self.details)
