"""Parsing JSON bodies and query strings with pydantic; errors name the field."""

from __future__ import annotations

from typing import TypeVar

from flask import request
from flask_babel import gettext as _
from pydantic import BaseModel, ValidationError

from portal.errors import ValidationFailed
from portal.validators import number_problems

M = TypeVar("M", bound=BaseModel)


def _fields(error: ValidationError) -> dict[str, str]:
    fields: dict[str, str] = {}
    for item in error.errors(include_url=False):
        name = ".".join(str(part) for part in item["loc"]) or "body"
        fields.setdefault(name, item["msg"])
    return fields


def parse_body(model: type[M]) -> M:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ValidationFailed(
            _("The request body must be a JSON object."),
            {"body": _("Send a JSON object with Content-Type application/json.")},
        )
    try:
        parsed = model.model_validate(data)
    except ValidationError as error:
        raise ValidationFailed(_("Some fields need correcting."), _fields(error)) from None
    return _in_range(parsed, _("Some fields need correcting."))


def parse_query(model: type[M]) -> M:
    raw = {key: request.args.get(key) for key in request.args}
    try:
        parsed = model.model_validate(raw)
    except ValidationError as error:
        raise ValidationFailed(_("Some parameters need correcting."), _fields(error)) from None
    return _in_range(parsed, _("Some parameters need correcting."))


def _in_range(parsed: M, message: str) -> M:
    """Refuse numbers no column holds (ids past 2**31 - 1 are a 500 in the database driver).
    Text with NUL or control characters never gets here: `refuse_control_characters`."""
    problems = number_problems(parsed.model_dump())
    if problems:
        raise ValidationFailed(message, problems)
    return parsed
