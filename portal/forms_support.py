"""Helpers shared by page views: copying domain errors onto forms, safe redirects."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from portal.errors import DomainError, ValidationFailed
from portal.security import is_api_request
from portal.validators import text_problem, text_problems


def show_domain_error(form: FlaskForm, error: DomainError) -> None:
    """Attach a service's field errors to the form fields, or flash the message."""
    attached = False
    for name, why in error.fields.items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = [*field.errors, why] if isinstance(field.errors, list) else [why]
            attached = True
    flash(error.message, "danger" if not attached else "warning")


def safe_next(target: str | None, fallback_endpoint: str = "accounts.dashboard") -> str:
    """Only same-site relative paths are followed after login."""
    if target:
        parts = urlsplit(target)
        if (
            not parts.scheme
            and not parts.netloc
            and target.startswith("/")
            and not target.startswith("//")
            and "\\" not in target
        ):
            return target
    return url_for(fallback_endpoint)


def see_other(endpoint: str, **values):
    """Redirect after a POST with 303 so a reload does not send the form again."""
    return redirect(url_for(endpoint, **values), code=303)


def refuse_control_characters() -> None:
    """Refuse, before any view runs, input holding NUL, other C0 control characters or lone
    surrogates: in the path, the query string, form fields and JSON bodies.

    PostgreSQL cannot store NUL at all (a 500 there), and no field of the portal wants these
    characters. The answer is a 422 naming each field: JSON `error.fields` for the API, the
    message of the error page for forms. Uploaded files are not text and are not looked at.
    """
    fields: dict[str, str] = {}
    for name, value in (request.view_args or {}).items():
        if isinstance(value, str) and text_problem(value):
            fields[name] = text_problem(value) or ""
    for source in (request.args, request.form):
        for name, values in source.lists():
            problem = text_problem(name) or next(filter(None, map(text_problem, values)), None)
            if problem:
                fields[name] = problem
    if is_api_request() and request.is_json:
        fields.update(text_problems(request.get_json(silent=True)))
    if not fields:
        return
    names = ", ".join(sorted(fields))
    raise ValidationFailed(
        _(
            "Some fields contain a control character (such as NUL) or invalid text: %(names)s. "
            "Remove it and send again.",
            names=names,
        ),
        fields,
    )
