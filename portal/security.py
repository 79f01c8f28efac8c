"""Roles and deny-by-default access.

Every view declares who may reach it, with `@public` or `@roles_required(...)`.
A before_request hook refuses any endpoint that declares nothing, so a new page
is closed until someone opens it on purpose. Object-level rules (recusal, ties
to an agency, "only your own") are predicates in each domain's services.
"""

from __future__ import annotations

import enum
import hashlib
import logging
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, current_app, g, has_request_context, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal.errors import NotPermitted


class Role(enum.StrEnum):
    WORKER = "worker"
    MEMBER = "member"
    STAFF = "staff"
    COMMITTEE = "committee"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.WORKER: _l("Worker"),
    Role.MEMBER: _l("Member agency"),
    Role.STAFF: _l("Secretariat staff"),
    Role.COMMITTEE: _l("Committee member"),
    Role.ADMIN: _l("Administrator"),
}

ALL_ROLES = frozenset(Role)
PUBLIC = "public"

# Endpoints registered by extensions, public by name.
PUBLIC_ENDPOINTS = frozenset({"static", "bootstrap.static"})


def public(view: Callable) -> Callable:
    """Anyone, logged in or not, may use this view."""
    view._access = PUBLIC
    return view


def roles_required(*roles: Role) -> Callable[[Callable], Callable]:
    """Only logged-in users holding one of `roles` may use this view."""
    allowed = frozenset(roles)
    if not allowed or not allowed <= ALL_ROLES:
        raise ValueError(f"unknown roles: {roles}")

    def decorate(view: Callable) -> Callable:
        view._access = allowed
        return view

    return decorate


def logged_in(view: Callable) -> Callable:
    """Any logged-in user, whatever the role."""
    view._access = ALL_ROLES
    return view


def access_rule(app: Flask, endpoint: str | None) -> Any:
    """PUBLIC, a frozenset of roles, or None when the endpoint declares nothing."""
    if endpoint is None:
        return None
    if endpoint in PUBLIC_ENDPOINTS:
        return PUBLIC
    view = app.view_functions.get(endpoint)
    return getattr(view, "_access", None)


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def current_actor():
    """The user acting in this request (session user for pages, token user for the API)."""
    return g.get("actor")


security_log = logging.getLogger("portal.security")


def account_ref(username: str | None) -> str:
    """A short reference to a typed username for the security log (never the name itself)."""
    normalized = (username or "").strip().lower()
    return hashlib.sha256(normalized.encode()).hexdigest()[:12]


def log_security_event(event: str, *, user_id: int | None = None, username: str | None = None):
    """One line in the `portal.security` log: the event, the user id if known, the remote
    address and the endpoint. Never a password, code, token or personal data: a username
    appears only as `account_ref` (a SHA-256 prefix)."""
    fields: dict[str, object] = {"event": event, "user_id": user_id}
    if username is not None:
        fields["account"] = account_ref(username)
    if has_request_context():
        fields["remote_addr"] = request.remote_addr
        fields["endpoint"] = request.endpoint
    security_log.warning(
        " ".join(f"{key}={value}" for key, value in fields.items()),
        extra={"security": fields},
    )


class AuthenticationRequired(Exception):
    """Raised for anonymous requests to a protected endpoint."""


def enforce_access() -> Any:
    """before_request: deny by default."""
    endpoint = request.endpoint
    if endpoint is None:  # no route matched: let the 404 handler answer
        return None
    if is_api_request():
        from portal.api.auth import actor_from_bearer  # the API never uses the session cookie

        g.actor = actor_from_bearer()
    else:
        g.actor = current_user if current_user.is_authenticated else None
    rule = access_rule(current_app, endpoint)
    if rule == PUBLIC:
        return None
    if rule is None:
        log_security_event("access.denied", user_id=getattr(g.actor, "id", None))
        raise NotPermitted(str(_l("This page is not open to anyone.")))
    if g.actor is None:
        if is_api_request():
            raise AuthenticationRequired()
        return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
    if g.actor.role not in rule:
        log_security_event("access.denied", user_id=g.actor.id)
        raise NotPermitted(str(_l("Your role may not use this page.")))
    return None


def require(condition: bool, message: str) -> None:
    """Raise NotPermitted unless `condition` holds (for object-level checks in services)."""
    if not condition:
        raise NotPermitted(message)


def has_role(user, roles: Iterable[Role]) -> bool:
    return user is not None and getattr(user, "role", None) in set(roles)
