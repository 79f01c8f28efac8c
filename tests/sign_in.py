"""Signing a test client in, second factor included (shared by the fixtures and the tests
that post to /login or /api/v1/auth/token themselves).

A TOTP code's time step is accepted once per user. When the current step (and the next
one, which the portal also accepts) is already used, the code comes from a later step and
the portal's clock moves forward to it: the rule is the portal's, the test waits for it.
"""

from __future__ import annotations

from datetime import timedelta

import pyotp
from sqlalchemy import select

from portal import clock
from portal.accounts.models import UserTotp
from portal.accounts.two_factor import STEP_SECONDS, TWO_FACTOR_ROLES, current_step
from portal.extensions import db
from tests.factories import DEFAULT_PASSWORD, TOTP_SECRETS


def needs_code(user) -> bool:
    return user.role in TWO_FACTOR_ROLES


def fresh_code(user) -> str:
    """A TOTP code for `user` that the portal has not seen yet."""
    secret = TOTP_SECRETS[user.username]
    last_step = db.session.scalar(select(UserTotp.last_step).where(UserTotp.user_id == user.id))
    step = current_step()
    if last_step is not None and last_step >= step:
        if last_step > step:  # wait until the last used step is the current one
            _move_clock(timedelta(seconds=(last_step - step) * STEP_SECONDS))
        step = last_step + 1  # within the one step of drift the portal accepts
    return pyotp.TOTP(secret, interval=STEP_SECONDS).at(step * STEP_SECONDS)


_froze_clock = False


def _move_clock(by: timedelta) -> None:
    global _froze_clock
    if clock._frozen is None:  # a running clock stops here; release_clock() restarts it
        _froze_clock = True
    clock.set_now(clock.now() + by)


def release_clock() -> None:
    """Let the clock run again if a sign-in here stopped it (called after each test)."""
    global _froze_clock
    if _froze_clock:
        clock.reset()
        _froze_clock = False


def sign_in(client, user, password: str = DEFAULT_PASSWORD):
    """Post the login form and, for staff, committee and admin, the code; returns the last
    answer (a 303 on success)."""
    response = client.post("/login", data={"username": user.username, "password": password})
    if response.status_code == 303 and "/login/verify" in response.headers["Location"]:
        response = client.post("/login/verify", data={"code": fresh_code(user)})
    return response


def token_request(user, password: str = DEFAULT_PASSWORD) -> dict[str, str]:
    body = {"username": user.username, "password": password}
    if needs_code(user):
        body["otp"] = fresh_code(user)
    return body


def bearer(client, user, password: str = DEFAULT_PASSWORD) -> dict[str, str]:
    response = client.post("/api/v1/auth/token", json=token_request(user, password))
    assert response.status_code == 200, response.get_json()
    return {"Authorization": f"Bearer {response.get_json()['access_token']}"}
