from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class OnlineMember(BaseModel):
    user_id: int
    username: str
    last_seen_at: datetime
