"""Parsing JSON bodies and query strings with pydantic; errors name the field."""

from __future__ import annotations

from typing import TypeVar

from flask import request
from flask_babel import gettext as _
from pydantic import BaseModel, ValidationError

from portal.errors import ValidationFailed

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
        return model.model_validate(data)
    except ValidationError as error:
        raise ValidationFailed(_("Some fields need correcting."), _fields(error)) from None


def parse_query(model: type[M]) -> M:
    raw = {key: request.args.get(key) for key in request.args}
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        raise ValidationFailed(_("Some parameters need correcting."), _fields(error)) from None
