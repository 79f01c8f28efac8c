"""Sign-in throttling: per address (LOGIN_RATE_LIMIT) and per account
(LOGIN_ACCOUNT_RATE_LIMIT, keyed on the normalized username whether or not the account
exists, so a refusal says nothing about it). Only failed attempts count against an account,
so its owner signing in often is not throttled, and a guesser switching addresses is."""

from __future__ import annotations

from flask import current_app, g, request, session

from portal.security import account_ref, log_security_event

DEFAULT_ACCOUNT_LIMIT = "5 per 15 minutes"


def address_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def account_limit() -> str:
    return current_app.config.get("LOGIN_ACCOUNT_RATE_LIMIT", DEFAULT_ACCOUNT_LIMIT)


def typed_username() -> str:
    """The username of a sign-in attempt, from the form or the JSON body."""
    if request.is_json:
        body = request.get_json(silent=True)
        value = body.get("username") if isinstance(body, dict) else None
    else:
        value = request.form.get("username")
    return value if isinstance(value, str) else ""


def account_key() -> str:
    return "login-account:" + account_ref(typed_username())


def pending_user_key() -> str:
    """Second-factor attempts count against the account waiting for its second step."""
    pending = session.get("pending_2fa") or {}
    return f"login-account-2fa:{pending.get('uid', '')}"


def mark_failed() -> None:
    g.login_failed = True


def attempt_failed(_response) -> bool:
    return bool(g.get("login_failed"))


def log_throttled(_limit) -> None:
    log_security_event("login.throttled", username=typed_username() or None)
