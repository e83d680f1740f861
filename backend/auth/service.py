"""Accounts: sign-up, log-in with brute-force protection, sessions and bearer tokens."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from backend.auth import repository
from backend.auth.schemas import LogIn, SignUp
from backend.core.config import get_settings
from backend.core.errors import Conflict, TooManyRequests, Unauthorized
from backend.core.security import hash_password, new_token, token_hash, verify_password
from backend.models.base import utcnow
from backend.models.user import AuthToken, LoginThrottle, User

# The failure window: failures older than this are forgotten.
FAILURE_WINDOW = timedelta(minutes=15)


def create_user(session: Session, username: str, password: str, email: str | None = None) -> User:
    if repository.username_taken(session, username):
        raise Conflict(f"The username '{username}' is taken")
    if email and repository.email_taken(session, email):
        raise Conflict(f"An account with the e-mail '{email}' exists already")
    user = User(username=username, email=email, password_hash=hash_password(password))
    session.add(user)
    session.flush()
    return user


def sign_up(session: Session, body: SignUp) -> User:
    user = create_user(session, body.username, body.password, body.email)
    session.commit()
    return user


def issue_token(session: Session, user: User, kind: str = "session") -> tuple[str, AuthToken]:
    token = new_token("tfs_")
    row = AuthToken(user_id=user.id, token_hash=token_hash(token), kind=kind,
                    expires_at=utcnow() + timedelta(days=get_settings().session_days))
    session.add(row)
    return token, row


def _throttle_keys(username: str, client_ip: str) -> list[str]:
    return [f"user:{username.strip().lower()}", f"ip:{client_ip}"]


def _check_throttle(session: Session, keys: list[str]) -> None:
    now = utcnow()
    for key in keys:
        row = repository.get_throttle(session, key)
        if row and row.locked_until and row.locked_until > now:
            wait = int((row.locked_until - now).total_seconds()) + 1
            raise TooManyRequests(f"Too many failed log-ins; try again in {wait} s", retry_after=wait)


def _record_failure(session: Session, keys: list[str]) -> None:
    settings = get_settings()
    now = utcnow()
    for key in keys:
        row = repository.get_throttle(session, key)
        if row is None:
            row = LoginThrottle(key=key, failures=0, first_failure_at=now)
            session.add(row)
        if now - row.first_failure_at > FAILURE_WINDOW:
            row.failures, row.first_failure_at, row.locked_until = 0, now, None
        row.failures += 1
        # Per address the allowance is larger: a whole class may share one NAT.
        limit = settings.login_max_failures * (1 if key.startswith("user:") else 4)
        if row.failures >= limit:
            row.locked_until = now + timedelta(seconds=settings.login_lockout_seconds)
    session.commit()


def _clear_failures(session: Session, keys: list[str]) -> None:
    for key in keys:
        row = repository.get_throttle(session, key)
        if row is not None and key.startswith("user:"):
            session.delete(row)


def log_in(session: Session, body: LogIn, client_ip: str) -> tuple[User, str, AuthToken]:
    keys = _throttle_keys(body.username, client_ip)
    _check_throttle(session, keys)
    user = repository.find_user(session, body.username)
    if not verify_password(user.password_hash if user else None, body.password) or user is None:
        _record_failure(session, keys)
        raise Unauthorized("Wrong username or password")
    _clear_failures(session, keys)
    token, row = issue_token(session, user)
    session.commit()
    return user, token, row


def log_out(session: Session, token: str | None) -> None:
    if token:
        repository.delete_token(session, token_hash(token))
        session.commit()
