from __future__ import annotations

from fastapi import APIRouter, Request, Response

from backend.auth import service
from backend.auth.schemas import LogIn, LoginResult, SignUp, UserPublic
from backend.core.config import get_settings
from backend.core.deps import SESSION_COOKIE, CurrentUser, SessionDep, _bearer
from backend.core.errors import error_responses

router = APIRouter(prefix="/api/auth", tags=["auth"])
KNOWN_DEVICE_COOKIE = "tf_device"


def _set_cookie(request: Request, response: Response, name: str, value: str, days: int) -> None:
    settings = get_settings()
    # Secure whenever the browser reached us over HTTPS (serve --https, or a trusted proxy's
    # X-Forwarded-Proto, see TRUSTED_PROXIES), or when COOKIE_SECURE says so.
    secure = settings.cookie_secure or request.url.scheme == "https"
    response.set_cookie(name, value, httponly=True, samesite="lax", secure=secure, max_age=days * 86400, path="/")


@router.post("/signup", response_model=LoginResult, status_code=201)
def sign_up(body: SignUp, request: Request, session: SessionDep, response: Response):
    res = service.sign_up_and_log_in(session, body)
    _set_cookie(request, response, SESSION_COOKIE, res.token, get_settings().session_days)
    _set_cookie(
        request, response, KNOWN_DEVICE_COOKIE, service.known_device_cookie(res.user), service.KNOWN_DEVICE_DAYS
    )
    return LoginResult(user=UserPublic.model_validate(res.user), token=res.token, expires_at=res.row.expires_at)


@router.post("/login", response_model=LoginResult, responses=error_responses(429))
def log_in(body: LogIn, request: Request, session: SessionDep, response: Response):
    client_ip = request.client.host if request.client else "unknown"
    done = service.log_in(session, body, client_ip, request.cookies.get(KNOWN_DEVICE_COOKIE))
    _set_cookie(request, response, SESSION_COOKIE, done.token, get_settings().session_days)
    _set_cookie(
        request, response, KNOWN_DEVICE_COOKIE, service.known_device_cookie(done.user), service.KNOWN_DEVICE_DAYS
    )
    return LoginResult(user=UserPublic.model_validate(done.user), token=done.token, expires_at=done.row.expires_at)


@router.post("/logout", status_code=204)
def log_out(request: Request, session: SessionDep, response: Response):
    service.log_out(session, _bearer(request) or request.cookies.get(SESSION_COOKIE))
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.status_code = 204
    return response


@router.get("/me", response_model=UserPublic)
def me(user: CurrentUser):
    return user
