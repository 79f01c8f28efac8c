"""Factories for test data, one function per kind of object."""

from __future__ import annotations

import itertools

from portal.accounts import services
from portal.accounts.models import User
from portal.security import Role

DEFAULT_PASSWORD = "correct-horse-battery"
_numbers = itertools.count(1)


def make_user(
    role: str | Role = Role.WORKER,
    username: str | None = None,
    password: str = DEFAULT_PASSWORD,
    **fields,
) -> User:
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
    return user
