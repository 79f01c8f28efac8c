"""/api/v1: JSON API. Every route is declared with `api_route`, which registers it on
the blueprint and records what the OpenAPI document says about it."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from portal.api import (  # noqa: E402,F401  (routes register themselves on import)
    accounts,
    auth,
    calendar,
    committees,
    complaints,
    discipline,
    files,
    inspections,
    mediation,
    members,
    notifications,
    openapi,
    publication,
    ratings,
    system,
)
