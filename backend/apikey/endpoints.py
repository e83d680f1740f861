from __future__ import annotations

from fastapi import APIRouter, Response

from backend.apikey import repository, service
from backend.apikey.schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyPublic, HmacKeyPublic
from backend.core.deps import ProjectAdmin, ProjectEditor, SessionDep
from backend.core.ids import PathId
from backend.core.security import edge_impulse_form

router = APIRouter(prefix="/api/projects/{project_id}", tags=["api keys"])


@router.get("/apikeys", response_model=list[ApiKeyPublic])
def list_keys(ctx: ProjectAdmin, session: SessionDep):
    return repository.list_keys(session, ctx.project.id)


@router.post("/apikeys", response_model=ApiKeyCreated, status_code=201)
def create_key(body: ApiKeyCreate, ctx: ProjectAdmin, session: SessionDep):
    key, raw = service.create_key_for(session, ctx, body.role, body.name)
    return _shown_once(key, raw)


@router.post(
    "/apikeys/phone",
    response_model=ApiKeyCreated,
    status_code=200,
    responses={201: {"model": ApiKeyCreated, "description": "A new key was made (none was in use)"}},
    summary="The caller's ingestion key for phones: the same one on every visit until revoked",
)
def phone_key(ctx: ProjectAdmin, session: SessionDep, response: Response):
    key, raw, created = service.phone_key_for(session, ctx)
    response.status_code = 201 if created else 200
    return _shown_once(key, raw)


def _shown_once(key, raw: str) -> ApiKeyCreated:
    return ApiKeyCreated(
        **ApiKeyPublic.model_validate(key).model_dump(), key=raw, edge_impulse_key=edge_impulse_form(raw)
    )


@router.delete("/apikeys/{key_id}", response_model=ApiKeyPublic)
def revoke_key(key_id: PathId, ctx: ProjectAdmin, session: SessionDep):
    return service.revoke_key(session, ctx, key_id)


@router.get("/hmac-key", response_model=HmacKeyPublic)
def get_hmac_key(ctx: ProjectEditor):
    return HmacKeyPublic(hmac_key=ctx.project.hmac_key)


@router.post("/hmac-key/rotate", response_model=HmacKeyPublic)
def rotate_hmac_key(ctx: ProjectAdmin, session: SessionDep):
    return HmacKeyPublic(hmac_key=service.rotate_hmac_key(session, ctx))
