from __future__ import annotations

import re
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

USERNAME_RE = re.compile(r"^[A-Za-z0-9_.-]{3,64}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def check_username(v: str) -> str:
    if not USERNAME_RE.match(v):
        raise ValueError("username must be 3-64 characters: letters, digits, '_', '.' or '-'")
    return v


def check_email(v: str | None) -> str | None:
    if v in (None, ""):
        return None
    if len(v) > 254 or not EMAIL_RE.match(v):
        raise ValueError("email is not a valid e-mail address")
    return v.lower()


class SignUp(BaseModel):
    username: str
    password: str = Field(
        min_length=10, max_length=256, description="at least 10 characters, and not a common or easily guessed one"
    )
    email: str | None = None
    invitation: str | None = Field(
        None, max_length=128, description="an invitation link's token; needed when SIGNUP=invite"
    )

    _u = field_validator("username")(check_username)
    _e = field_validator("email")(check_email)


class LogIn(BaseModel):
    username: str = Field(max_length=254, description="username or e-mail")
    password: str = Field(max_length=256)


class UserPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    email: str | None
    created_at: datetime


class LoginResult(BaseModel):
    user: UserPublic
    token: str = Field(description="bearer token for scripts; browsers use the session cookie")
    expires_at: datetime
