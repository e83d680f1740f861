from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

AssignableRole = Literal["viewer", "editor", "admin"]


class MemberPublic(BaseModel):
    user_id: int
    username: str
    email: str | None
    role: str
    joined_at: datetime


class MemberUpdate(BaseModel):
    role: AssignableRole = Field(description="owner is given only by transferring ownership")


class TransferOwnership(BaseModel):
    user_id: int


class InvitationCreate(BaseModel):
    username: str | None = Field(None, max_length=64)
    email: str | None = Field(None, max_length=254)
    role: AssignableRole = "editor"

    @model_validator(mode="after")
    def _one_invitee(self) -> InvitationCreate:
        if bool(self.username) == bool(self.email):
            raise ValueError("give exactly one of username or email")
        return self


class InvitationPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    project_id: int
    project_name: str | None = None
    invitee_username: str | None
    invitee_email: str | None
    role: str
    status: str
    created_at: datetime
    expires_at: datetime


class InvitationCreated(InvitationPublic):
    token: str = Field(description="shown once; the invitee accepts with it")
    accept_url: str
