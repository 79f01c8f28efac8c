"""Sign-in throttling: per address (LOGIN_RATE_LIMIT) and per account
(LOGIN_ACCOUNT_RATE_LIMIT, keyed on the normalized username whether or not the account
exists, so a refusal says nothing about it). Only failed attempts count against an account,
so its owner signing in often is not throttled, and a guesser switching addresses is."""

from __future__ import annotations

from flask import current_app, g, request, session

from portal.extensions import limiter
from portal.security import account_ref, current_actor, log_security_event

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


def signed_in_account_key() -> str:
    """Codes a signed-in user types (for new recovery codes) count against their account."""
    return f"account-2fa:{current_actor().id}"


# Wrong app codes for new recovery codes, by page or API (both answer 422), per account.
renewal_limit = limiter.limit(
    account_limit,
    key_func=signed_in_account_key,
    methods=["POST"],
    deduct_when=lambda response: response.status_code == 422,
)
