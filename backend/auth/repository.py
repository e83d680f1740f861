from __future__ import annotations

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from backend.models.user import AuthToken, LoginThrottle, User


def find_user(session: Session, username_or_email: str) -> User | None:
    value = username_or_email.strip()
    return session.scalar(select(User).where(or_(User.username == value, User.email == value.lower())))


def username_taken(session: Session, username: str) -> bool:
    return session.scalar(select(func.count()).select_from(User).where(User.username == username)) > 0


def email_taken(session: Session, email: str) -> bool:
    return session.scalar(select(func.count()).select_from(User).where(User.email == email)) > 0


def delete_token(session: Session, hashed: str) -> None:
    session.execute(delete(AuthToken).where(AuthToken.token_hash == hashed))


def get_throttle(session: Session, key: str) -> LoginThrottle | None:
    return session.get(LoginThrottle, key)
