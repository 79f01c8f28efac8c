"""Factories for test data, one function per kind of object."""

from __future__ import annotations

import itertools

import pyotp

from portal import clock
from portal.accounts import services
from portal.accounts.models import User, UserTotp
from portal.accounts.two_factor import TWO_FACTOR_ROLES
from portal.extensions import db
from portal.security import Role

DEFAULT_PASSWORD = "correct-horse-battery"
_numbers = itertools.count(1)

# The TOTP secret of every enrolled user made here, by username (tests compute codes with it).
TOTP_SECRETS: dict[str, str] = {}


def make_user(
    role: str | Role = Role.WORKER,
    username: str | None = None,
    password: str = DEFAULT_PASSWORD,
    *,
    enrol_totp: bool | None = None,
    **fields,
) -> User:
    """A user; staff, committee members and administrators come enrolled in TOTP (pass
    enrol_totp=False for one who has not set it up yet)."""
    username = username or f"user{next(_numbers)}"
    user = services.create_user(
        username=username,
        password=password,
        role=Role(role),
        display_name=fields.pop("display_name", username.title()),
        email=fields.pop("email", None),
        actor="test",
    )
    for name, value in fields.items():
        setattr(user, name, value)
    if enrol_totp if enrol_totp is not None else Role(role) in TWO_FACTOR_ROLES:
        enrol(user)
    return user


def enrol(user: User, secret: str | None = None) -> str:
    """Enrol `user` in TOTP with a known secret (kept in TOTP_SECRETS); returns it."""
    secret = secret or pyotp.random_base32()
    db.session.flush()
    totp = UserTotp(user_id=user.id, confirmed_at=clock.now())
    totp.secret = secret
    db.session.add(totp)
    db.session.flush()
    TOTP_SECRETS[user.username] = secret
    return secret
