"""What a person typed into a wizard step when their session had already ended.

Without this, the sign-in redirect would throw away the step they had just typed. When a
step is POSTed by a browser whose sign-in is gone (password changed elsewhere, session
ended) but whose session shows it had that application's wizard open, the typed fields
(not files) are kept in `member_draft_rescues` under a random token set as a cookie; the
request then goes to the sign-in page as usual. When the owner opens that step again, the
values are shown in the form, to be checked and saved (never saved unseen), and the rescue
is deleted. Rescues are kept two days (the expiry sweep removes older ones).

CSRF still applies: a step sent from another site never gets this far.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from typing import Any

from flask import after_this_request, current_app, request, session
from flask_login import current_user
from sqlalchemy import select

from portal import clock
from portal.extensions import db
from portal.members import draft as drafts
from portal.members.models import DraftRescue

COOKIE = "oha_draft_rescue"
SESSION_KEY = "members_wizard_application"
MAX_BYTES = 32 * 1024
KEPT_SECONDS = 2 * 24 * 3600


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def remember_open(application_id: int) -> None:
    """Note in the session that this browser has the application's wizard open."""
    session[SESSION_KEY] = application_id


def keep_if_session_ended(parse) -> None:
    """before_request: keep a wizard step sent after the sign-in ended. `parse(step, form)`
    reads the step's fields from the form."""
    if request.method != "POST" or request.endpoint != "members.application_step":
        return
    if current_user.is_authenticated:
        return
    args = request.view_args or {}
    step, application_id = args.get("step"), args.get("application_id")
    if step not in drafts.FORM_STEPS or session.get(SESSION_KEY) != application_id:
        return
    values = parse(step, request.form)
    if len(json.dumps(values, ensure_ascii=False).encode()) > MAX_BYTES:
        return
    token = secrets.token_urlsafe(32)
    db.session.add(
        DraftRescue(
            token_hash=_hash(token),
            application_id=application_id,
            step=step,
            data=values,
            created_at=clock.now(),
        )
    )
    db.session.commit()

    @after_this_request
    def _set_cookie(response):
        response.set_cookie(
            COOKIE,
            token,
            max_age=KEPT_SECONDS,
            httponly=True,
            samesite="Lax",
            secure=current_app.config["ENV_NAME"] == "production",
            path="/agency/applications/",
        )
        return response


def take(actor: Any, application, step: str) -> dict[str, Any] | None:
    """The values kept for this step of this application, once (then forgotten)."""
    remember_open(application.id)
    token = request.cookies.get(COOKIE)
    if not token or len(token) > 100:
        return None
    rescue = db.session.scalar(select(DraftRescue).where(DraftRescue.token_hash == _hash(token)))
    if rescue is None or rescue.application_id != application.id or rescue.step != step:
        return None
    values = dict(rescue.data or {})
    db.session.delete(rescue)
    db.session.commit()

    @after_this_request
    def _clear_cookie(response):
        response.delete_cookie(COOKIE, path="/agency/applications/")
        return response

    return values
