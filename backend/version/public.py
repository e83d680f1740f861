"""The read-only public link of a version: turned on and revoked by an editor, browsed by anyone
holding the token. Only the token's sha256 is stored; a lookup by that hash reveals nothing about
other tokens (the index compares digests, not the secret), and 256 random bits make guessing moot.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

import numpy as np
from sqlalchemy.orm import Session

from backend.activity.service import record
from backend.core.deps import ProjectContext
from backend.core.errors import Conflict, NotFound
from backend.dataset.editing import downsample_minmax
from backend.models.base import utcnow
from backend.models.project import Project
from backend.models.version import ProjectVersion
from backend.version import repository, snapshot
from backend.version.schemas import PublicLink, PublicSampleValues, PublicVersion
from backend.version.service import get_version

TOKEN_BYTES = 32
_NOT_FOUND = "This public link does not exist or was revoked"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def enable(session: Session, ctx: ProjectContext, version_id: int) -> PublicLink:
    """A new token (any previous link of this version stops working)."""
    version = get_version(session, ctx, version_id)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    version.public_token_hash, version.public_since = _digest(token), utcnow()
    record(session, ctx, "version.public_link_on", version_id=version.id, number=version.number)
    session.commit()
    return PublicLink(token=token, public_since=version.public_since)


def revoke(session: Session, ctx: ProjectContext, version_id: int) -> None:
    version = get_version(session, ctx, version_id)
    version.public_token_hash, version.public_since = None, None
    record(session, ctx, "version.public_link_off", version_id=version.id, number=version.number)
    session.commit()


def resolve(session: Session, token: str) -> ProjectVersion:
    if not token or len(token) > 128:
        raise NotFound(_NOT_FOUND)
    digest = _digest(token)
    version = repository.by_public_hash(session, digest)
    if version is None or not hmac.compare_digest(version.public_token_hash or "", digest):
        raise NotFound(_NOT_FOUND)
    return version


def describe(session: Session, version: ProjectVersion) -> PublicVersion:
    counts = version.sample_counts or {}
    project = session.get(Project, version.project_id)
    return PublicVersion(
        project_name=project.name if project else "",
        number=version.number,
        name=f"v{version.number}",
        description=version.description,
        created_at=version.created_at,
        samples=sum(n for labels in counts.values() for n in labels.values()),
        sample_counts=counts,
        impulses=version.headline or [],
        impulse_details=[snapshot.public_impulse(e) for e in version.impulses or []],
    )


def sample_values(session: Session, version: ProjectVersion, sample_id: int, max_points: int) -> PublicSampleValues:
    found = repository.sample_with_values(session, version, sample_id)
    if found is None:
        raise NotFound(f"Sample {sample_id} is not in this version")
    source, ref, blob = found
    data = np.frombuffer(blob, dtype="<f4").reshape(source.n_rows, source.n_axes)
    rows, out = downsample_minmax(data, max_points)
    return PublicSampleValues(
        id=ref.sample_id,
        name=source.filename,
        label=ref.label,
        category=ref.category,
        enabled=ref.enabled,
        interval_ms=source.interval_ms,
        sensors=source.sensors,
        timestamps_ms=(rows * source.interval_ms).tolist(),
        values=out.astype(np.float64).tolist(),
        downsampled=len(rows) < source.n_rows,
    )


def library(session: Session, version: ProjectVersion, deployment_id: int) -> tuple[str, str, bytes]:
    """A build the version references (only those: the link shows nothing else of the project)."""
    for entry in version.impulses or []:
        for d in entry.get("deployments", []):
            if d.get("id") != deployment_id:
                continue
            art = d.get("artifact")
            found = repository.artifact_with_data(session, version.project_id, art["id"]) if art else None
            if found is None or found.sha256 != art["sha256"]:
                raise Conflict(f"Build {d.get('build_number')} has no library to download")
            return found.name, found.content_type, found.data
    raise NotFound(f"Deployment {deployment_id} is not in this version")
