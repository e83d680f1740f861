"""Versions: save the state of a project, list and compare saved states, and rebuild one (or the
project as it is now) as a new project owned by the caller.

Saving references samples (their values are never copied); a referenced sample that is later
deleted or cropped is kept in `kept_samples` by the dataset's own delete and crop paths.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend.activity.service import record
from backend.core.deps import ProjectContext
from backend.core.errors import Conflict, Forbidden, NotFound
from backend.core.events import project_channel, publish_after_commit
from backend.models.project import Project
from backend.models.version import ProjectVersion
from backend.project.service import create_project
from backend.version import diff, repository, snapshot
from backend.version.schemas import (
    ProjectCopyRequest,
    VersionCreate,
    VersionDiff,
    VersionPublic,
    VersionSamplePage,
    VersionSampleRow,
    VersionSummary,
)


def summary(version: ProjectVersion) -> VersionSummary:
    counts = version.sample_counts or {}
    return VersionSummary(
        id=version.id,
        project_id=version.project_id,
        number=version.number,
        name=f"v{version.number}",
        description=version.description,
        created_by=version.created_by_name,
        created_at=version.created_at,
        samples=sum(n for labels in counts.values() for n in labels.values()),
        sample_counts=counts,
        impulses=version.headline or [],
        public_since=version.public_since if version.public_token_hash else None,
    )


def to_public(version: ProjectVersion) -> VersionPublic:
    return VersionPublic(
        **summary(version).model_dump(), impulse_details=[snapshot.public_impulse(e) for e in version.impulses or []]
    )


def save_version(session: Session, ctx: ProjectContext, body: VersionCreate) -> ProjectVersion:
    project_id = ctx.project.id
    repository.lock_for_save(session, project_id)
    impulses = snapshot.capture_impulses(session, project_id)
    version = None
    for _ in range(5):  # two saves at once may pick the same number: take the next one
        version = ProjectVersion(
            project_id=project_id,
            number=repository.next_number(session, project_id),
            description=body.description,
            created_by_id=ctx.user.id if ctx.user else None,
            created_by_name=ctx.actor_name,
            impulses=impulses,
            headline=[snapshot.headline(e).model_dump() for e in impulses],
        )
        try:
            with session.begin_nested():
                session.add(version)
                session.flush()
            break
        except IntegrityError:
            version = None
    if version is None:
        raise Conflict("Could not allocate a version number: try again")
    repository.reference_samples(session, version.id, project_id)
    version.sample_counts = repository.sample_counts(session, version.id)
    record(session, ctx, "version.saved", version_id=version.id, number=version.number)
    # Teammates' open versions lists refresh on this.
    publish_after_commit(
        session,
        project_channel(project_id),
        {
            "type": "version",
            "action": "saved",
            "version_id": version.id,
            "number": version.number,
            "by": ctx.actor_name,
        },
    )
    session.commit()
    return version


def list_versions(session: Session, ctx: ProjectContext) -> list[VersionSummary]:
    return [summary(v) for v in repository.list_for_project(session, ctx.project.id)]


def get_version(session: Session, ctx: ProjectContext, version_id: int) -> ProjectVersion:
    version = repository.get(session, ctx.project.id, version_id)
    if version is None:
        raise NotFound(f"Version {version_id} not found")
    return version


def sample_page(
    session: Session,
    ctx: ProjectContext,
    version_id: int,
    *,
    cursor: int | None,
    limit: int,
    category: str | None,
    label: str | None,
) -> VersionSamplePage:
    return page_of(
        session, get_version(session, ctx, version_id), cursor=cursor, limit=limit, category=category, label=label
    )


def page_of(
    session: Session,
    version: ProjectVersion,
    *,
    cursor: int | None,
    limit: int,
    category: str | None,
    label: str | None,
) -> VersionSamplePage:
    rows = repository.sample_page(session, version, cursor=cursor, limit=limit + 1, category=category, label=label)
    items = [
        VersionSampleRow(
            id=ref.sample_id,
            name=name,
            label=ref.label,
            category=ref.category,
            enabled=ref.enabled,
            length_ms=length,
            content_hash=ref.content_hash,
            in_project=bool(present),
        )
        for ref, name, length, present in rows[:limit]
    ]
    return VersionSamplePage(items=items, next_cursor=items[-1].id if len(rows) > limit else None)


def compare(session: Session, ctx: ProjectContext, version_id: int, other_id: int) -> VersionDiff:
    """What changed from `version_id` to `other_id` (either may be the older)."""
    before, after = get_version(session, ctx, version_id), get_version(session, ctx, other_id)
    return VersionDiff(
        from_version=before.number,
        to_version=after.number,
        samples=diff.sample_changes(
            repository.sample_states(session, before.id), repository.sample_states(session, after.id)
        ),
        impulses=diff.impulse_changes(before.impulses or [], after.impulses or []),
    )


def _new_project(session: Session, ctx: ProjectContext, name: str) -> Project:
    if ctx.user is None:
        raise Forbidden("A new project needs an owner: sign in as a user (an API key cannot own projects)")
    return create_project(session, ctx.user, name[:120])


def _provenance(session: Session, ctx: ProjectContext, project: Project, action: str, **details) -> None:
    """The new project's activity says where it came from."""
    record(
        session,
        ProjectContext(project=project, role="owner", user=ctx.user),
        action,
        source_project_id=ctx.project.id,
        source_project=ctx.project.name,
        **details,
    )


def restore_version(session: Session, ctx: ProjectContext, version_id: int, body: ProjectCopyRequest) -> Project:
    """A new project with the version's samples (labels, categories, enabled flags as saved),
    impulses and trained models."""
    version = get_version(session, ctx, version_id)
    project = _new_project(session, ctx, body.name or f"{ctx.project.name} v{version.number}")
    snapshot.copy_samples(session, repository.version_sample_batches(session, version), project.id, ctx.user.id)
    snapshot.copy_impulses(session, version.impulses or [], ctx.project.id, project.id, ctx.user.id)
    record(session, ctx, "version.restored", version_id=version.id, number=version.number, new_project_id=project.id)
    _provenance(session, ctx, project, "project.restored", version=version.number)
    session.commit()
    return project


def clone_project(session: Session, ctx: ProjectContext, body: ProjectCopyRequest) -> Project:
    """A new project with the current samples, impulses and trained models."""
    impulses = snapshot.capture_impulses(session, ctx.project.id)
    project = _new_project(session, ctx, body.name or f"{ctx.project.name} (copy)")
    snapshot.copy_samples(session, repository.live_sample_batches(session, ctx.project.id), project.id, ctx.user.id)
    snapshot.copy_impulses(session, impulses, ctx.project.id, project.id, ctx.user.id)
    record(session, ctx, "project.cloned", new_project_id=project.id)
    _provenance(session, ctx, project, "project.cloned_from")
    session.commit()
    return project
