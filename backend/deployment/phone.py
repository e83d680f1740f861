"""The phone page's side of deployments: with only its device key (x-api-key) a phone sees its
project's newest WebAssembly build, starts one when there is none, and downloads the module.
Another project's builds answer 404."""

from __future__ import annotations

from sqlalchemy.orm import Session

from backend.core.deps import ProjectContext
from backend.core.errors import Forbidden, NotFound, Unauthorized
from backend.deployment import repository, service
from backend.deployment.schemas import DeploymentCreate, PhoneBuildPublic
from backend.device.service import DEVICE_KEY_ROLES
from backend.impulse import repository as impulse_repository
from backend.models.deployment import Deployment
from backend.models.project import ApiKey

_ACTIVE = ("queued", "running")


def device_context(key: ApiKey | None) -> ProjectContext:
    """The key's project, for keys a phone may hold (admin, ingestion-only)."""
    if key is None:
        raise Unauthorized("Send the project API key in x-api-key")
    if key.role not in DEVICE_KEY_ROLES:
        raise Forbidden("This API key is read-only; phones need an admin or ingestion key")
    return ProjectContext(project=key.project, role="editor", api_key=key)


def to_public(session: Session, d: Deployment) -> PhoneBuildPublic:
    job = repository.job(session, d.job_id)
    art = repository.artifact(session, d.artifact_id)
    info = (art.info or {}) if art is not None else {}
    return PhoneBuildPublic(
        deployment_id=d.id,
        build_number=d.build_number,
        impulse_id=d.impulse_id,
        status=job.status if job is not None else "unknown",
        progress=job.progress if job is not None else 0.0,
        error=job.error if job is not None else None,
        module_url=f"/api/device-key/wasm/{d.id}/module.wasm" if art is not None else None,
        module_sha256=info.get("module_sha256"),
        sources_sha256=info.get("sources_sha256"),
        created_at=d.created_at,
    )


def latest(session: Session, ctx: ProjectContext) -> PhoneBuildPublic:
    """The newest wasm build of the project's most recently trained impulse (finished or not)."""
    d = _newest_wasm(session, ctx)
    if d is None:
        raise NotFound("This project has no WebAssembly build yet: start one")
    return to_public(session, d)


def ensure_build(session: Session, ctx: ProjectContext) -> tuple[PhoneBuildPublic, bool]:
    """The newest wasm build if it is usable or under way, else a new one: (build, started)."""
    d = _newest_wasm(session, ctx)
    if d is not None:
        current = to_public(session, d)
        if current.status in _ACTIVE or current.module_url is not None:
            return current, False
    created = service.create_deployment(session, ctx, DeploymentCreate(target="wasm"))
    return to_public(session, repository.get(session, ctx.project.id, created.id)), True


def module(session: Session, ctx: ProjectContext, deployment_id: int) -> tuple[str, bytes]:
    return service.wasm_module(session, ctx, deployment_id)


def _newest_wasm(session: Session, ctx: ProjectContext) -> Deployment | None:
    impulses = repository.trained_impulses(session, ctx.project.id)
    trained = impulse_repository.latest_trained(session, impulses[0].id) if impulses else None
    if trained is None:
        raise NotFound("This project has no trained impulse yet: train one in the studio first")
    return repository.newest_for_target(session, ctx.project.id, impulses[0].id, "wasm", trained.id)
