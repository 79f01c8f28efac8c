"""Helpers shared by the discipline pages."""

from __future__ import annotations

from datetime import timedelta

from flask import make_response, render_template

from portal import clock
from portal.discipline.services.cases import Upload


def uploads_of(field) -> list[Upload]:
    """The files chosen in a MultipleFileField (an empty file input sends one empty part)."""
    return [
        Upload(item, item.filename)
        for item in (field.data or [])
        if item is not None and getattr(item, "filename", None)
    ]


def closes_in(days: int | None):
    return clock.now() + timedelta(days=days or 1)


def private_page(template: str, status: int = 200, **context):
    """A page holding a case: never stored by a cache."""
    response = make_response(render_template(template, **context), status)
    response.headers["Cache-Control"] = "no-store"
    return response
