"""Domain errors, mapped to HTTP answers in one place (backend.main)."""
from __future__ import annotations


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
