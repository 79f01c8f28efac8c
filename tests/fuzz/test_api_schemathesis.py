"""Every API operation driven with generated parameters and bodies (schemathesis).

Each answer must be: no 5xx; an error in the portal's JSON error format; a success that
conforms to the documented response schema. The document is the one the app serves
(`/api/v1/openapi.json`, built from the operation registry at import time).
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

import portal.api  # noqa: F401  (routes register themselves on import)
from portal.api.openapi import build_document

DOCUMENT = build_document()
schema = schemathesis.openapi.from_dict(DOCUMENT)

# The role that fuzzes an operation: the most capable ordinary one it allows.
ROLE_PREFERENCE = ("staff", "admin", "committee", "member", "worker")


def role_for(operation) -> str | None:
    roles = operation.definition.raw.get("x-roles")
    if roles is None:
        return None
    return next(role for role in ROLE_PREFERENCE if role in roles)


def error_format(ctx, response, case):
    """Every 4xx answer is {"error": {"code", "message", "fields"}}."""
    if response.status_code < 400:
        return None
    body = response.json()
    error = body["error"]
    assert set(error) == {"code", "message", "fields"}, body
    assert isinstance(error["code"], str) and error["code"], body
    assert isinstance(error["message"], str) and error["message"], body
    assert isinstance(error["fields"], dict), body
    return None


CHECKS = [not_a_server_error, content_type_conformance, response_schema_conformance, error_format]


@schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_operation(case, app, bearer, example_rollback):
    role = role_for(case.operation)
    headers = bearer(role) if role else {}
    with example_rollback():
        case.call_and_validate(app=app, headers=headers, checks=CHECKS)


def test_the_fuzzed_document_is_the_served_one(client):
    assert client.get("/api/v1/openapi.json").get_json() == DOCUMENT
