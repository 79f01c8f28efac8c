"""Domain errors raised by services; pages and the API each turn them into a message."""

from __future__ import annotations


class DomainError(Exception):
    """A rule refused the action. `fields` names the input at fault, if any."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, fields: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class ValidationFailed(DomainError):
    status = 422
    code = "validation_failed"


class NotPermitted(DomainError):
    status = 403
    code = "forbidden"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class InvalidTransition(DomainError):
    status = 409
    code = "invalid_transition"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class DeadlinePassed(DomainError):
    status = 409
    code = "deadline_passed"


class Unauthorized(DomainError):
    status = 401
    code = "unauthorized"
