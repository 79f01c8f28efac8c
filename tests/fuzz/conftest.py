"""Fixtures for the fuzz tests: a rollback per generated example, tokens per role."""

from __future__ import annotations

from contextlib import contextmanager

import pytest

from portal.api.auth import issue_token
from tests.factories import make_user


@pytest.fixture
def example_rollback(db):
    """each(): a context in which one example's writes are undone afterwards.

    The `db` fixture rolls back once per test; hypothesis runs many examples in one test,
    so each example gets a savepoint of its own, and no example sees another's rows.
    """

    @contextmanager
    def each():
        db.session.commit()  # the fixtures' rows stay; only a savepoint of the test's is released
        connection = db.session.get_bind()
        savepoint = connection.begin_nested()
        try:
            yield
        finally:
            db.session.rollback()
            if savepoint.is_active:
                savepoint.rollback()
            db.session.expunge_all()

    return each


@pytest.fixture
def bearer(db):
    """bearer(role) -> Authorization headers of a new user with that role, the token issued
    directly (not through /auth/token). One user per test: hashing passwords is slow."""

    issued: dict[str, dict[str, str]] = {}

    def headers_for(role: str) -> dict[str, str]:
        if role not in issued:
            user = make_user(role=role)
            db.session.commit()
            issued[role] = {"Authorization": f"Bearer {issue_token(user)[0]}"}
        return issued[role]

    return headers_for
