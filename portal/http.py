"""Error pages, JSON errors under /api, and the security headers every answer gets."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from portal.errors import DomainError
from portal.extensions import db
from portal.security import PUBLIC_ENDPOINTS, AuthenticationRequired, is_api_request

log = logging.getLogger(__name__)

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# Directives every answer's policy must hold, whatever policy its view chose.
REQUIRED_CSP = {
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
REFERRER_POLICY = "same-origin"  # stricter than strict-origin-when-cross-origin
HSTS = "max-age=31536000; includeSubDomains"

ERROR_TITLES = {
    400: lambda: _("The request could not be understood"),
    401: lambda: _("Please sign in"),
    403: lambda: _("You may not open this page"),
    404: lambda: _("Page not found"),
    405: lambda: _("This action is not allowed here"),
    409: lambda: _("This cannot be done in the current state"),
    413: lambda: _("The upload is too large"),
    422: lambda: _("Some fields need correcting"),
    429: lambda: _("Too many attempts; please wait a moment"),
    500: lambda: _("Something went wrong on our side"),
}

HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "validation_failed",
    429: "rate_limited",
    500: "server_error",
}


def json_error(status: int, code: str, message: str, fields: dict | None = None, headers=None):
    body = {"error": {"code": code, "message": message, "fields": fields or {}}}
    response = jsonify(body)
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def error_page(status: int, message: str | None = None):
    title = ERROR_TITLES.get(status, ERROR_TITLES[500])()
    return render_template("errors/error.html", status=status, title=title, message=message), status


def _answer(status: int, code: str, message: str, fields=None, headers=None):
    if is_api_request():
        return json_error(status, code, message, fields, headers)
    body, status = error_page(status, message)
    return body, status, headers or {}


def register(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def _domain_error(error: DomainError):
        db.session.rollback()
        return _answer(error.status, error.code, error.message, error.fields)

    @app.errorhandler(AuthenticationRequired)
    def _auth_required(_error):
        return json_error(
            401,
            "unauthorized",
            _("A valid bearer token is required."),
            headers={"WWW-Authenticate": 'Bearer realm="api"'},
        )

    @app.errorhandler(CSRFError)
    def _csrf_error(error: CSRFError):
        return _answer(
            400,
            "csrf",
            _("The form expired or was sent from elsewhere. Please reload the page and try again."),
        )

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        status = error.code or 500
        message = ERROR_TITLES[status]() if status in ERROR_TITLES else error.description
        if status == 429:
            message = _("Too many attempts; please wait a moment")
        kept = {
            name: value
            for name, value in error.get_headers()
            if name in ("Allow", "Retry-After") or name.startswith("X-RateLimit")
        }
        return _answer(status, HTTP_CODES.get(status, "error"), message, headers=kept)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        db.session.rollback()
        log.exception("unhandled error on %s %s", request.method, request.path)
        return _answer(500, "server_error", ERROR_TITLES[500]())

    @app.after_request
    def _security_headers(response):
        headers = response.headers
        headers["Content-Security-Policy"] = with_required_directives(
            headers.get("Content-Security-Policy", CSP)
        )
        headers["X-Content-Type-Options"] = "nosniff"
        headers.setdefault("Referrer-Policy", REFERRER_POLICY)
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if app.config["ENV_NAME"] == "production":
            headers["Strict-Transport-Security"] = HSTS
        if _holds_private_data() or not _chosen_to_be_cached(response):
            headers["Cache-Control"] = "no-store"
        return response


def with_required_directives(policy: str) -> str:
    """A view may set a narrower policy (a download, a chart); it still gets these."""
    present = {part.split()[0].lower() for part in policy.split(";") if part.strip()}
    missing = [f"{name} {value}" for name, value in REQUIRED_CSP.items() if name not in present]
    return "; ".join([policy.strip().rstrip(";"), *missing]) if missing else policy


def _chosen_to_be_cached(response) -> bool:
    """Only static files and answers a public view marked cacheable may be stored;
    everything else (receipts, tracking pages, forms with a CSRF token...) is no-store."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return True
    return response.status_code == 304 or "public" in (response.headers.get("Cache-Control") or "")


def _holds_private_data() -> bool:
    """Authenticated pages and API answers must not be stored by any cache."""
    from flask import g

    return g.get("actor") is not None or request.headers.get("Authorization") is not None
