"""The OpenAPI 3.1 document, built from the registry of API operations."""

from __future__ import annotations

import re
from typing import Any

from flask import current_app
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from portal.api.registry import OPERATIONS, Operation, api_route, is_public
from portal.api.schemas import Error
from portal.security import public
from portal.validators import DATABASE_INT_MAX

_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
_TYPES = {
    "int": {"type": "integer", "minimum": 0, "maximum": DATABASE_INT_MAX},
    "float": {"type": "number"},
}

ERROR_DESCRIPTIONS = {
    400: "Bad request",
    401: "Missing, invalid, expired or revoked bearer token",
    403: "The caller's role may not do this",
    404: "Not found",
    409: "Not allowed in the current state",
    413: "Too large",
    422: "Validation failed; `error.fields` names each field",
    429: "Too many requests",
}


def _path(rule: str) -> tuple[str, list[dict[str, Any]]]:
    params = []
    for converter, name in _CONVERTER.findall(rule):
        params.append(
            {
                "name": name,
                "in": "path",
                "required": True,
                "schema": _TYPES.get(converter, {"type": "string"}),
            }
        )
    return "/api/v1" + _CONVERTER.sub(r"{\2}", rule), params


class _Components:
    """Component schemas of every body and response model, generated in one pass.

    Several modules define models of the same name (`CaseOut`, `StaffList`, `ReasonIn`, ...);
    one pass lets pydantic give colliding names distinct component names, where keying by
    `__name__` let the last model overwrite the others and documented wrong schemas.
    """

    def __init__(self, models: list[type[BaseModel]]) -> None:
        unique = list(dict.fromkeys(models))
        refs, defs = models_json_schema(
            [(model, "validation") for model in unique],
            ref_template="#/components/schemas/{model}",
        )
        self.schemas: dict[str, Any] = defs.get("$defs", {})
        self._refs = {model: refs[(model, "validation")] for model in unique}

    def ref(self, model: type[BaseModel]) -> dict[str, str]:
        return dict(self._refs[model])


def _query_params(model: type[BaseModel]) -> list[dict[str, Any]]:
    schema = model.model_json_schema()
    required = set(schema.get("required", []))
    return [
        {
            "name": name,
            "in": "query",
            "required": name in required,
            "schema": prop,
            **({"description": prop["description"]} if "description" in prop else {}),
        }
        for name, prop in schema.get("properties", {}).items()
    ]


def _operation(op: Operation, components: _Components, path_params) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "operationId": f"{op.endpoint.removeprefix('api.')}_{op.method}",
        "summary": op.summary,
        "tags": list(op.tags),
        "parameters": list(path_params) + (_query_params(op.query) if op.query else []),
        "responses": {},
    }
    if op.body is not None:
        doc["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": components.ref(op.body)}},
        }
    success: dict[str, Any] = {"description": "Success"}
    if op.response is not None:
        success["content"] = {"application/json": {"schema": components.ref(op.response)}}
    doc["responses"][str(op.status)] = success
    error_ref = {"content": {"application/json": {"schema": components.ref(Error)}}}
    codes = set(op.errors) | ({401, 403} if not is_public(op) else set())
    if op.body is not None or op.query is not None:
        codes.add(422)
    for code in sorted(codes):
        doc["responses"][str(code)] = {
            "description": ERROR_DESCRIPTIONS.get(code, "Error"),
            **error_ref,
        }
    if is_public(op):
        doc["security"] = []
    else:
        doc["x-roles"] = sorted(str(role) for role in op.access)
    return doc


def build_document() -> dict[str, Any]:
    models = [Error] + [
        model for op in OPERATIONS for model in (op.body, op.response) if model is not None
    ]
    components = _Components(models)
    paths: dict[str, dict[str, Any]] = {}
    for op in sorted(OPERATIONS, key=lambda o: (o.rule, o.method)):
        path, params = _path(op.rule)
        paths.setdefault(path, {})[op.method] = _operation(op, components, params)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Occupational health self-regulation portal API",
            "version": "1",
            "description": "Everything a person can do on the portal's pages, as JSON. "
            "Errors always have the form "
            '`{"error": {"code", "message", "fields"}}`.',
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": components.schemas,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
            },
        },
        "security": [{"bearer": []}],
    }


@api_route("/openapi.json", summary="This document", tags=["meta"])
@public
def openapi_document():
    document = current_app.extensions.get("portal_openapi")
    if document is None:
        document = current_app.extensions["portal_openapi"] = build_document()
    return document


__all__ = ["build_document"]
