"""Helpers shared by page views: copying domain errors onto forms, safe redirects."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, url_for
from flask_wtf import FlaskForm

from portal.errors import DomainError


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
