"""Domain errors, mapped to HTTP answers in one place (backend.main), and the one error model
the OpenAPI document gives for them."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class DomainError(Exception):
    status_code = 400
    retry_after: int | None = None  # seconds, sent as Retry-After

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    status_code = 404


class Forbidden(DomainError):
    status_code = 403


class Unauthorized(DomainError):
    status_code = 401


class Conflict(DomainError):
    status_code = 409


class InvalidInput(DomainError):
    status_code = 422


class TooManyRequests(DomainError):
    status_code = 429

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class PayloadTooLarge(DomainError):
    status_code = 413


class ServiceBusy(DomainError):
    """The server is at a limit it sets itself (e.g. parsing big uploads); retry later."""

    status_code = 503

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class ErrorField(BaseModel):
    """One problem of a request that failed validation: where (path, query or body) and what."""

    loc: list[str | int]
    msg: str


class ErrorResponse(BaseModel):
    """Every error answer: `detail` is a message a user can act on."""

    detail: str
    errors: list[ErrorField] | None = Field(None, description="422 only: each invalid field")


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for routes (or routers) answering these error codes with an ErrorResponse."""
    return {code: {"model": ErrorResponse, "description": _DESCRIPTIONS[code]} for code in codes}


_DESCRIPTIONS = {
    400: "The request or uploaded data cannot be used",
    401: "Not signed in, or unknown API key",
    403: "Signed in, but without the role this needs",
    404: "No such thing (or not in your projects)",
    409: "Conflicts with the current state",
    413: "Too large",
    421: "A required header is missing",
    422: "A parameter or field is invalid",
    429: "Too many attempts; see Retry-After",
    503: "Busy or unavailable; see Retry-After",
}


def file_response(media_type: str, description: str) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route whose success is a file, not JSON."""
    return {
        200: {"description": description, "content": {media_type: {"schema": {"type": "string", "format": "binary"}}}}
    }


# What any route may answer; routes add their own (413, 429, 503...).
COMMON_ERRORS = error_responses(400, 401, 403, 404, 409, 422)


def errors_as_json(document: dict[str, Any]) -> dict[str, Any]:
    """Error answers are JSON on every route, also where the success is text or a file
    (FastAPI documents a route's extra responses in the route's own media type)."""
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            for code, response in operation.get("responses", {}).items():
                content = response.get("content", {})
                if code[:1] in "45" and content and "application/json" not in content:
                    response["content"] = {"application/json": next(iter(content.values()))}
    return document
