"""The app factory: error mapping, routers, and the built UI."""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from backend.api import api_router
from backend.core.browser_security import BrowserSecurityMiddleware
from backend.core.config import get_settings
from backend.core.errors import DomainError, errors_as_json
from backend.eicompat.endpoints import STUDIO_API_PATHS
from backend.ingestion.cors import INGESTION_PATHS, KeyAuthenticatedCors

log = logging.getLogger("tinyforge")


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(x) for x in err.get("loc", ()) if x not in ("body",))
        msg = err.get("msg", "invalid")
        parts.append(f"{loc}: {msg}" if loc else msg)
    return "; ".join(parts) or "invalid request"


def _path_id_out_of_range(exc: RequestValidationError) -> bool:
    errors = exc.errors()
    return bool(errors) and all(e.get("loc", ("",))[0] == "path" and e.get("type") in _RANGE_ERRORS for e in errors)


_RANGE_ERRORS = ("greater_than_equal", "less_than_equal")


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(_: Request, exc: DomainError):
        headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after is not None else None
        return JSONResponse({"detail": exc.message}, status_code=exc.status_code, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError):
        if _path_id_out_of_range(exc):  # no row can have it: the thing does not exist
            first = exc.errors()[0]
            what = str(first["loc"][-1]).removesuffix("_id").replace("_", " ").capitalize()
            return JSONResponse({"detail": f"{what} {first.get('input')} not found"}, status_code=404)
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in exc.errors()]
        return JSONResponse({"detail": _validation_message(exc), "errors": errors}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException):
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return JSONResponse({"detail": "Internal error; the server log has the details"}, status_code=500)


PACKAGE_UI = Path(__file__).resolve().parents[1] / "frontend" / "dist"
API_PREFIXES = ("api/", "v1/")


def ui_folder(settings) -> Path:
    """Where the built UI is: UI_DIR if set, else next to the package (never relative to the cwd)."""
    return Path(settings.ui_dir).resolve() if settings.ui_dir else PACKAGE_UI


def mount_ui(app: FastAPI) -> None:
    dist = ui_folder(get_settings())
    index = dist / "index.html"

    @app.get("/{path:path}", include_in_schema=False)
    async def ui(path: str):
        if path.startswith(API_PREFIXES) or path in ("api", "v1"):
            return JSONResponse({"detail": f"No API route /{path}"}, status_code=404)
        candidate = (dist / path).resolve()
        if path and candidate.is_file() and dist in candidate.parents:
            return FileResponse(candidate)
        if index.is_file():
            return FileResponse(index)
        return JSONResponse(
            {
                "detail": f"The UI is not built (no {index}); run `make run` or "
                "`cd frontend && npm run build`, or set UI_DIR"
            },
            status_code=404,
        )


def create_app() -> FastAPI:
    settings = get_settings()
    app = FastAPI(
        title="TinyForge", version="0.1.0", docs_url="/api/docs", redoc_url=None, openapi_url="/api/openapi.json"
    )
    install_error_handlers(app)
    app.add_middleware(BrowserSecurityMiddleware, public_url=settings.public_url)
    # Only the API-key routes are open to other origins (Edge Impulse's phone client), never with cookies.
    app.add_middleware(KeyAuthenticatedCors, patterns=(INGESTION_PATHS, STUDIO_API_PATHS))
    if settings.trusted_proxy_list:  # outermost: the checks inside see the real client and scheme
        from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxy_list)
    app.include_router(api_router)
    document = app.openapi
    app.openapi = lambda: errors_as_json(document())  # type: ignore[method-assign]
    mount_ui(app)
    app.state.settings = settings
    return app


app = create_app()
