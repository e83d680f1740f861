"""Accounts: sign-up, log-in with brute-force protection, sessions and bearer tokens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session

from backend.auth import repository
from backend.auth.password_policy import password_problem
from backend.auth.schemas import LogIn, SignUp
from backend.core.config import get_settings
from backend.core.errors import Conflict, Forbidden, InvalidInput, TooManyRequests, Unauthorized
from backend.core.security import hash_password, new_token, sign, token_hash, unsign, verify_password
from backend.models.base import utcnow
from backend.models.user import AuthToken, User

# The failure window: failures older than this are forgotten.
FAILURE_WINDOW = timedelta(minutes=15)
# Per address the allowance is larger: a whole class may share one NAT.
ADDRESS_LIMIT_FACTOR = 4
KNOWN_DEVICE_DAYS = 180


def create_user(session: Session, username: str, password: str, email: str | None = None) -> User:
    if repository.username_taken(session, username):
        raise Conflict(f"The username '{username}' is taken")
    if email and repository.email_taken(session, email):
        raise Conflict(f"An account with the e-mail '{email}' exists already")
    user = User(username=username, email=email, password_hash=hash_password(password))
    session.add(user)
    session.flush()
    return user


def _check_signup_allowed(session: Session, invitation: str | None) -> None:
    mode = get_settings().signup_mode
    if mode == "open" or not repository.any_user(session):
        return  # the first account can always be made: someone has to invite the others
    if mode == "closed":
        raise Forbidden("Sign-up is closed on this server; ask an administrator to create your account")
    from backend.team.service import pending_invitation  # team depends on auth, not the reverse

    if not invitation or pending_invitation(session, invitation) is None:
        raise Forbidden("Sign-up on this server needs an invitation: open the invitation link you were sent")


def sign_up(session: Session, body: SignUp) -> User:
    _check_signup_allowed(session, body.invitation)
    problem = password_problem(body.password, body.username, body.email)
    if problem:
        raise InvalidInput(problem)
    # E-mail addresses are not verified, so one that belongs to another account is simply not
    # linked: the answer is the same whether it exists or not (usernames are public anyway).
    email = body.email if body.email and not repository.email_taken(session, body.email) else None
    user = create_user(session, body.username, body.password, email)
    session.commit()
    return user


def sign_up_and_log_in(session: Session, body: SignUp) -> LogInResult:
    """A new account, signed in at once (the sign-up form)."""
    user = sign_up(session, body)
    token, row = issue_token(session, user)
    session.commit()
    return LogInResult(user, token, row)


def issue_token(session: Session, user: User, kind: str = "session") -> tuple[str, AuthToken]:
    token = new_token("tfs_")
    row = AuthToken(
        user_id=user.id,
        token_hash=token_hash(token),
        kind=kind,
        expires_at=utcnow() + timedelta(days=get_settings().session_days),
    )
    session.add(row)
    return token, row


# ---- known devices: browsers where this account has logged in before -------------------------
def known_device_cookie(user: User) -> str:
    return sign(f"{user.id}:{int(utcnow().timestamp())}:{new_token(nbytes=9)}", get_settings().secret_key)


def _is_known_device(cookie: str | None, user: User | None) -> bool:
    value = unsign(cookie, get_settings().secret_key) if cookie and user else None
    if value is None:
        return False
    user_id, issued, _ = (value.split(":") + ["", ""])[:3]
    fresh = issued.isdigit() and utcnow().timestamp() - int(issued) < KNOWN_DEVICE_DAYS * 86400
    return user_id == str(user.id) and fresh


# ---- log-in -------------------------------------------------------------------------------
@dataclass
class LogInResult:
    user: User
    token: str
    row: AuthToken


def log_in(session: Session, body: LogIn, client_ip: str, device_cookie: str | None = None) -> LogInResult:
    """Counts the attempt before checking the password, so parallel guesses cannot outrun the limit.

    Attempts count per account (whether named by username or e-mail) and per client address; a
    browser where the account has logged in before is exempt from the address limit, so a
    colleague behind the same NAT as an attacker still gets in."""
    settings = get_settings()
    now = utcnow()
    user = repository.find_user(session, body.username)
    account_key = f"account:{user.id}" if user else f"name:{body.username.strip().lower()}"
    limits = {account_key: settings.login_max_failures}
    if not _is_known_device(device_cookie, user):
        limits[f"ip:{client_ip}"] = settings.login_max_failures * ADDRESS_LIMIT_FACTOR
    taken = []
    for key, limit in limits.items():
        if not repository.take_attempt(session, key, limit, now, now - FAILURE_WINDOW):
            for earlier in taken:
                repository.give_back_attempt(session, earlier)
            session.commit()
            raise _locked_out(session, key)
        taken.append(key)
    session.commit()  # visible to parallel attempts before the slow password check

    # Checked against a dummy hash when there is no such user: the same cost either way.
    if not verify_password(user.password_hash if user else None, body.password) or user is None:
        until = utcnow() + timedelta(seconds=settings.login_lockout_seconds)
        for key, limit in limits.items():
            repository.lock_if_at_limit(session, key, limit, until)
        session.commit()
        raise Unauthorized("Wrong username or password")
    repository.forget_attempts(session, account_key)
    for key in taken:
        if key != account_key:
            repository.give_back_attempt(session, key)  # a success is not held against the address
    token, row = issue_token(session, user)
    session.commit()
    return LogInResult(user, token, row)


def _locked_out(session: Session, key: str) -> TooManyRequests:
    row = repository.get_throttle(session, key)
    now = utcnow()
    wait = int((row.locked_until - now).total_seconds()) + 1 if row and row.locked_until else 5
    what = "this account" if not key.startswith("ip:") else "your address"
    return TooManyRequests(f"Too many failed log-ins for {what}; try again in {wait} s", retry_after=max(wait, 1))


def log_out(session: Session, token: str | None) -> None:
    if token:
        repository.delete_token(session, token_hash(token))
        session.commit()
