"""Flask-Login wiring: the session holds "user id:session version".

Sessions of staff, committee members and administrators also end after 30 minutes without
a request and 12 hours after sign-in, measured on the portal's clock (the session carries
`signed_in_at` and `last_seen`, in seconds).
"""

from __future__ import annotations

from flask import Flask, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user

from portal import clock
from portal.extensions import db, login_manager
from portal.security import Role, is_api_request, log_security_event

TIMED_ROLES = frozenset({Role.STAFF, Role.COMMITTEE, Role.ADMIN})
SIGN_IN_ENDPOINTS = frozenset({"accounts.login", "accounts.login_verify", "accounts.login_enrol"})
IDLE_SECONDS = 30 * 60
ABSOLUTE_SECONDS = 12 * 60 * 60


def load_user(session_id: str):
    from portal.accounts.models import User

    user_id, _sep, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


def start_session(user) -> None:
    """Sign `user` in on a fresh session (nothing planted before survives)."""
    session.clear()
    login_user(user)
    now = int(clock.now().timestamp())
    session["signed_in_at"] = now
    session["last_seen"] = now


def _expiry_reason() -> str | None:
    now = clock.now().timestamp()
    signed_in_at, last_seen = session.get("signed_in_at"), session.get("last_seen")
    if not isinstance(signed_in_at, int | float) or not isinstance(last_seen, int | float):
        return _("Your session has ended. Please sign in again.")
    if now - signed_in_at >= ABSOLUTE_SECONDS:
        return _("You were signed out because 12 hours have passed since you signed in.")
    if now - last_seen >= IDLE_SECONDS:
        return _("You were signed out after 30 minutes without activity.")
    return None


def enforce_session_timeouts():
    """before_request (before the access check): end an idle or too old session."""
    if request.endpoint in (None, "static") or is_api_request():
        return None
    if not current_user.is_authenticated or current_user.role not in TIMED_ROLES:
        return None
    reason = _expiry_reason()
    if reason is None:
        session["last_seen"] = int(clock.now().timestamp())
        return None
    log_security_event("session.expired", user_id=current_user.id)
    logout_user()
    session.clear()
    if request.endpoint in SIGN_IN_ENDPOINTS:
        return None  # signing in again: let the form do it, on the emptied session
    flash(reason, "warning")
    return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))


def register(app: Flask) -> None:
    login_manager.user_loader(load_user)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please sign in to continue.")
    login_manager.session_protection = "strong"
    app.before_request(enforce_session_timeouts)
