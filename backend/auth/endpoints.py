from __future__ import annotations

from fastapi import APIRouter, Request, Response

from backend.auth import service
from backend.auth.schemas import LoginResult, LogIn, SignUp, UserPublic
from backend.core.config import get_settings
from backend.core.deps import SESSION_COOKIE, CurrentUser, SessionDep, _bearer
from backend.core.errors import error_responses

router = APIRouter(prefix="/api/auth", tags=["auth"])


def _set_cookie(response: Response, token: str) -> None:
    settings = get_settings()
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax", secure=settings.cookie_secure,
                        max_age=settings.session_days * 86400, path="/")


@router.post("/signup", response_model=LoginResult, status_code=201)
def sign_up(body: SignUp, session: SessionDep, response: Response):
    user = service.sign_up(session, body)
    token, row = service.issue_token(session, user)
    session.commit()
    _set_cookie(response, token)
    return LoginResult(user=UserPublic.model_validate(user), token=token, expires_at=row.expires_at)


@router.post("/login", response_model=LoginResult, responses=error_responses(429))
def log_in(body: LogIn, request: Request, session: SessionDep, response: Response):
    client_ip = request.client.host if request.client else "unknown"
    user, token, row = service.log_in(session, body, client_ip)
    _set_cookie(response, token)
    return LoginResult(user=UserPublic.model_validate(user), token=token, expires_at=row.expires_at)


@router.post("/logout", status_code=204)
def log_out(request: Request, session: SessionDep, response: Response):
    service.log_out(session, _bearer(request) or request.cookies.get(SESSION_COOKIE))
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.status_code = 204
    return response


@router.get("/me", response_model=UserPublic)
def me(user: CurrentUser):
    return user
