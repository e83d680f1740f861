"""What protects a signed-in browser: cross-site request refusal (CSRF) and security headers.

Pure ASGI middleware, so Server-Sent Events and uploads stream through untouched.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backend.core.deps import SESSION_COOKIE

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# The built UI has no inline script; Mantine injects <style> tags, hence 'unsafe-inline' for styles
# only. blob: workers and media: ECharts' layout worker and recorded audio. 'wasm-unsafe-eval' lets
# the phone page compile the project's WebAssembly build (it allows WebAssembly only, not eval).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "media-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
]
# FastAPI's interactive docs load Swagger UI from a CDN with an inline script.
NO_CSP_PATHS = ("/api/docs",)
DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}


def _origin_of(url: str) -> tuple[str, str, int] | None:
    try:
        parts = urlsplit(url)
        port = parts.port or DEFAULT_PORTS.get(parts.scheme, 0)
    except ValueError:
        return None
    if not parts.scheme or not parts.hostname:
        return None
    return parts.scheme, parts.hostname.lower(), port


def is_cross_site_browser_request(scope: Scope, public_url: str = "") -> bool:
    """True when a browser sent this from a page of another origin (another port counts).

    Sec-Fetch-Site is what every current browser sends; Origin covers older ones. A request with
    neither comes from a script or a device, which cannot carry a victim's cookie unasked."""
    headers = Headers(scope=scope)
    site = headers.get("sec-fetch-site")
    if site is not None:
        return site not in ("same-origin", "none")
    origin = headers.get("origin")
    if origin is None:
        return False
    sent = _origin_of(origin)
    own = _origin_of(f"{scope.get('scheme', 'http')}://{headers.get('host', '')}")
    allowed = {own, _origin_of(public_url)} if public_url else {own}
    return sent is None or sent not in allowed


def _needs_same_origin(scope: Scope) -> bool:
    headers = Headers(scope=scope)
    # A bearer token or an API key is sent deliberately by its holder: another site cannot add
    # those headers to a victim's request without a CORS pre-flight that we do not grant.
    if headers.get("authorization", "").lower().startswith("bearer ") or headers.get("x-api-key"):
        return False
    return f"{SESSION_COOKIE}=" in headers.get("cookie", "") or scope["path"].startswith("/api/auth/")


class BrowserSecurityMiddleware:
    def __init__(self, app: ASGIApp, public_url: str = "") -> None:
        self.app = app
        self.public_url = public_url

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if (
            scope["method"] in UNSAFE_METHODS
            and _needs_same_origin(scope)
            and is_cross_site_browser_request(scope, self.public_url)
        ):
            response = JSONResponse(
                {
                    "detail": "Refused: this request came from a page on another site or "
                    "origin (cross-site request forgery protection). Use the studio's own "
                    "pages, or a bearer token or API key for scripts."
                },
                status_code=403,
            )
            await self._with_headers(response, scope, receive, send)
            return
        await self._with_headers(self.app, scope, receive, send)

    async def _with_headers(self, app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
        csp = not scope["path"].startswith(NO_CSP_PATHS)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [h for h in SECURITY_HEADERS if h[0] not in present]
                if csp and b"content-security-policy" not in present:
                    headers.append((b"content-security-policy", CONTENT_SECURITY_POLICY.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await app(scope, receive, send_with_headers)
