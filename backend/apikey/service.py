"""Project API keys for devices and scripts (generated here, shown once, stored hashed), and the
project's HMAC key for signed data files."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from sqlalchemy.orm import Session

from backend.activity.service import record
from backend.apikey import repository
from backend.core.config import get_settings
from backend.core.deps import ProjectContext
from backend.core.errors import Forbidden, NotFound
from backend.core.security import API_KEY_PREFIX, api_key_hash, edge_impulse_form, new_token
from backend.models.base import utcnow
from backend.models.project import ApiKey, Project


def create_key(
    session: Session,
    project: Project,
    role: str,
    name: str = "",
    created_by_id: int | None = None,
    edge_impulse: bool = False,
) -> tuple[ApiKey, str]:
    """A new key, answered once in full: `tf_...`, or with `edge_impulse` its `ei_...` spelling
    (both spellings of a key are accepted everywhere; the stored prefix follows the one issued)."""
    raw = new_token(API_KEY_PREFIX, 24)
    if edge_impulse:
        raw = edge_impulse_form(raw)
    key = ApiKey(
        project_id=project.id,
        name=name,
        role=role,
        prefix=raw[:10],
        key_hash=api_key_hash(raw),
        created_by_id=created_by_id,
    )
    session.add(key)
    session.flush()
    return key, raw


def create_key_for(session: Session, ctx: ProjectContext, role: str, name: str) -> tuple[ApiKey, str]:
    key, raw = create_key(session, ctx.project, role, name, ctx.user.id if ctx.user else None)
    record(session, ctx, "apikey.created", name=name, role=role, prefix=key.prefix)
    session.commit()
    return key, raw


def _phone_secret(key: ApiKey) -> str:
    """A phone key's value, derived from the server's secret and the key row: keys are stored
    hashed, so this is how "Connect a phone" can show the same key again on every visit."""
    message = f"phone-key:{key.project_id}:{key.created_by_id}:{key.id}".encode()
    digest = hmac.new(get_settings().secret_key.encode(), message, hashlib.sha256).digest()
    return API_KEY_PREFIX + base64.urlsafe_b64encode(digest[:24]).decode().rstrip("=")


def phone_key_for(session: Session, ctx: ProjectContext) -> tuple[ApiKey, str, bool]:
    """The caller's ingestion key for phones in this project: (key, value, created now).

    One per person and project, reused until revoked (then the next call makes a new one). A key
    whose value no longer derives (the server's secret changed) is left alone and replaced."""
    if ctx.user is None:
        raise Forbidden("Phone keys belong to signed-in members; an API key cannot make one")
    for key in repository.phone_keys(session, ctx.project.id, ctx.user.id, "ingestiononly"):
        raw = _phone_secret(key)
        if hmac.compare_digest(api_key_hash(raw), key.key_hash):
            return key, raw, False
    key = ApiKey(
        project_id=ctx.project.id,
        name=f"phone of {ctx.user.username}",
        role="ingestiononly",
        prefix="",
        key_hash=f"pending-{secrets.token_hex(16)}",
        created_by_id=ctx.user.id,
    )
    session.add(key)
    session.flush()  # the value derives from the row's id
    raw = _phone_secret(key)
    key.prefix, key.key_hash = raw[:10], api_key_hash(raw)
    record(session, ctx, "apikey.created", name=key.name, role=key.role, prefix=key.prefix)
    session.commit()
    return key, raw, True


def revoke_key(session: Session, ctx: ProjectContext, key_id: int) -> ApiKey:
    key = session.get(ApiKey, key_id)
    if key is None or key.project_id != ctx.project.id:
        raise NotFound(f"API key {key_id} not found")
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        record(session, ctx, "apikey.revoked", name=key.name, prefix=key.prefix)
        session.commit()
    return key


def rotate_hmac_key(session: Session, ctx: ProjectContext) -> str:
    ctx.project.hmac_key = secrets.token_hex(16)
    record(session, ctx, "hmac_key.rotated")
    session.commit()
    return ctx.project.hmac_key
