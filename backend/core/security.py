"""Password hashing (argon2), and random tokens stored only as hashes."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# Verified against when the user does not exist, so a missing user costs the same time.
_DUMMY_HASH = _hasher.hash("tinyforge-dummy-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def new_token(prefix: str = "", nbytes: int = 32) -> str:
    return prefix + secrets.token_urlsafe(nbytes)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# Project API keys are issued as `tf_<secret>`. Edge Impulse's CLI refuses keys that do not start
# with `ei_`, so every key is also accepted as `ei_<secret>`: both spellings hash alike.
API_KEY_PREFIX = "tf_"
EI_API_KEY_PREFIX = "ei_"


def api_key_hash(raw: str) -> str:
    raw = raw.strip()
    if raw.startswith(EI_API_KEY_PREFIX):
        raw = API_KEY_PREFIX + raw[len(EI_API_KEY_PREFIX) :]
    return token_hash(raw)


def edge_impulse_form(raw: str) -> str:
    """The `ei_` spelling of a project API key, for Edge Impulse's tools."""
    if raw.startswith(EI_API_KEY_PREFIX):
        return raw
    return EI_API_KEY_PREFIX + raw.removeprefix(API_KEY_PREFIX)


def sign(value: str, secret: str) -> str:
    """`value.signature`: a value the server gave out and can later recognise as its own."""
    mac = hmac.new(secret.encode(), value.encode(), hashlib.sha256).hexdigest()[:32]
    return f"{value}.{mac}"


def unsign(signed: str, secret: str) -> str | None:
    value = signed.rpartition(".")[0]
    if not value or not hmac.compare_digest(sign(value, secret), signed):
        return None
    return value
