from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, case, delete, func, null, or_, select, update
from sqlalchemy.orm import Session

from backend.models.user import AuthToken, LoginThrottle, User


def find_user(session: Session, username_or_email: str) -> User | None:
    value = username_or_email.strip()
    return session.scalar(select(User).where(or_(User.username == value, User.email == value.lower())))


def user_named(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username.strip()))


def username_taken(session: Session, username: str) -> bool:
    return session.scalar(select(func.count()).select_from(User).where(User.username == username)) > 0


def email_taken(session: Session, email: str) -> bool:
    return session.scalar(select(func.count()).select_from(User).where(User.email == email)) > 0


def any_user(session: Session) -> bool:
    return session.scalar(select(User.id).limit(1)) is not None


def delete_token(session: Session, hashed: str) -> None:
    session.execute(delete(AuthToken).where(AuthToken.token_hash == hashed))


def get_throttle(session: Session, key: str) -> LoginThrottle | None:
    return session.get(LoginThrottle, key)


def _insert_ignoring_duplicates(session: Session):
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(LoginThrottle)


def take_attempt(session: Session, key: str, limit: int, now: datetime, window_start: datetime) -> bool:
    """Count one log-in attempt against `key` unless it is at its limit or locked; True if counted.

    One conditional UPDATE, so parallel attempts cannot all slip under the limit: PostgreSQL
    re-checks the WHERE clause after waiting for the row lock, SQLite runs writers one at a time.
    A lapsed lock or an old window starts the count again."""
    t = LoginThrottle
    stmt = _insert_ignoring_duplicates(session).values(key=key, failures=0, first_failure_at=now)
    session.execute(stmt.on_conflict_do_nothing(index_elements=["key"]))
    lapsed = or_(t.first_failure_at < window_start, and_(t.locked_until.is_not(None), t.locked_until <= now))
    open_ = and_(t.failures < limit, or_(t.locked_until.is_(None), t.locked_until <= now))
    counted = session.execute(
        update(t)
        .where(t.key == key, or_(lapsed, open_))
        .values(
            failures=case((lapsed, 1), else_=t.failures + 1),
            first_failure_at=case((lapsed, now), else_=t.first_failure_at),
            locked_until=case((lapsed, null()), else_=t.locked_until),
        )
        .execution_options(synchronize_session=False)
    )
    return counted.rowcount == 1


def give_back_attempt(session: Session, key: str) -> None:
    t = LoginThrottle
    session.execute(
        update(t)
        .where(t.key == key, t.failures > 0)
        .values(failures=t.failures - 1)
        .execution_options(synchronize_session=False)
    )


def lock_if_at_limit(session: Session, key: str, limit: int, until: datetime) -> None:
    t = LoginThrottle
    session.execute(
        update(t)
        .where(t.key == key, t.failures >= limit, or_(t.locked_until.is_(None), t.locked_until < until))
        .values(locked_until=until)
        .execution_options(synchronize_session=False)
    )


def forget_attempts(session: Session, key: str) -> None:
    session.execute(delete(LoginThrottle).where(LoginThrottle.key == key))
