"""Shared fixtures: one app per run, each test in a transaction rolled back at its end.

The suite runs on SQLite by default and on PostgreSQL when PORTAL_TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import flask_babel
import pytest
from flask import Flask, g
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import text

from portal import clock, create_app
from portal.extensions import db as _db
from portal.extensions import limiter
from tests.databases import suite_config
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.pii_watch import PersonalDataWatch
from tests.sign_in import bearer, release_clock
from tests.sign_in import sign_in as sign_in_with_second_factor

PG_URL = os.environ.get("PORTAL_TEST_DATABASE_URL")


def database_url(tmp_dir: Path, name: str = "test.sqlite3") -> str:
    return PG_URL or f"sqlite:///{tmp_dir / name}"


def reset_schema(app: Flask) -> None:
    with app.app_context():
        if _db.engine.dialect.name == "postgresql":
            with _db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        else:
            _db.drop_all()
        _db.create_all()


def _forget_user_between_requests() -> None:
    # Requests in a test share the test's app context, so Flask-Login's per-request cache
    # in `g` would carry one client's user into the next request.
    g.pop("_login_user", None)
    g.pop("actor", None)
    flask_babel.refresh()  # and Flask-Babel's cached locale


_personal_data_watch = PersonalDataWatch()


def pytest_sessionstart(session):
    _personal_data_watch.install()


def pytest_sessionfinish(session, exitstatus):
    """Fail the run if any log record held a worker's personal data (tests/pii_watch.py)."""
    hits = _personal_data_watch.uninstall()
    if hits:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.ensure_newline()
            reporter.write_line("personal data reached the logs:", red=True)
            for hit in hits:
                reporter.write_line(f"  {hit}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session")
def app(tmp_path_factory) -> Iterator[Flask]:
    tmp = tmp_path_factory.mktemp("portal")
    application = create_app(
        {
            **suite_config(),
            "SQLALCHEMY_DATABASE_URI": database_url(tmp),
            "UPLOAD_DIR": str(tmp / "uploads"),
        }
    )
    application.before_request_funcs.setdefault(None, []).insert(0, _forget_user_between_requests)
    reset_schema(application)
    yield application
    with application.app_context():
        _db.engine.dispose()


class ConnectionBoundSession(FlaskSession):
    """Flask-SQLAlchemy's session picks the engine by table, ignoring `bind`; tests need
    every statement on the one connection that holds the outer transaction."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        return bind or self.bind or super().get_bind(mapper, clause=clause, **kwargs)


@pytest.fixture
def db(app: Flask):
    """The database, inside a transaction that is rolled back after the test.

    Views and services may commit: with `create_savepoint`, a commit only releases a
    savepoint inside the outer transaction.
    """
    with app.app_context():
        connection = _db.engine.connect()
        outer = connection.begin()
        session = _db._make_scoped_session(
            {
                "bind": connection,
                "join_transaction_mode": "create_savepoint",
                "class_": ConnectionBoundSession,
            }
        )
        original = _db.session
        _db.session = session
        try:
            yield _db
        finally:
            session.remove()
            _db.session = original
            outer.rollback()
            connection.close()


@pytest.fixture
def client(app: Flask, db):
    # The limiter is one global object: an app that a test creates with other settings
    # re-enables it for every app. Each test starts from this app's setting, with no hits.
    limiter.enabled = app.config["RATELIMIT_ENABLED"]
    if getattr(limiter, "_storage", None) is not None:
        limiter.reset()
    yield app.test_client()
    release_clock()


@pytest.fixture
def clock_at():
    """Freeze the portal's clock: clock_at(datetime(..., tzinfo=...))."""

    def freeze(instant: datetime) -> None:
        clock.set_now(instant)

    yield freeze
    clock.reset()


@pytest.fixture
def users(db):
    """One user per role, each with DEFAULT_PASSWORD."""
    return {
        role: make_user(role=role, username=f"{role}1")
        for role in ("worker", "member", "staff", "committee", "admin")
    }


@pytest.fixture
def login(client):
    """login(user): sign the test client in as `user` through the real login form, and the
    second step (TOTP) for staff, committee members and administrators."""

    def sign_in(user, password: str = DEFAULT_PASSWORD):
        response = sign_in_with_second_factor(client, user, password)
        assert response.status_code == 303, response.get_data(as_text=True)[:500]
        return client

    return sign_in


@pytest.fixture
def api_token(client):
    """api_token(user) -> the Authorization header value for the API."""

    def token_for(user, password: str = DEFAULT_PASSWORD) -> dict[str, str]:
        return bearer(client, user, password)

    return token_for
