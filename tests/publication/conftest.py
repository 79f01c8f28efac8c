"""Publication fixtures: English msgids, a frozen clock, the statutory calendar, two
agencies each with a user, and one user per other role."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from portal import calendar_edits
from portal.extensions import db as _db
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.publication.factories import link_user, make_member

T0 = datetime(2026, 6, 15, 2, 0, tzinfo=UTC)  # Monday 15 June 2026, 10:00 in Shanghai


@pytest.fixture(autouse=True)
def english(app, monkeypatch):
    monkeypatch.setitem(app.config, "BABEL_DEFAULT_LOCALE", "en")


@pytest.fixture
def upload_dir(app, tmp_path, monkeypatch):
    path = tmp_path / "uploads"
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(path))
    return path


@pytest.fixture
def seeded(db):
    return calendar_edits.seed_from_chinesecalendar(actor="test")


@pytest.fixture
def now(clock_at, seeded):
    clock_at(T0)
    return T0


@pytest.fixture
def member(db):
    return make_member()


@pytest.fixture
def other_member(db):
    return make_member("安康职业卫生技术服务有限公司", "31")


@pytest.fixture(scope="session")
def _default_hash() -> str:
    from portal.accounts.passwords import hash_password

    return hash_password(DEFAULT_PASSWORD)


@pytest.fixture
def people(db, member, other_member, monkeypatch, _default_hash):
    from portal.accounts import services as account_services

    original = account_services.hash_password
    monkeypatch.setattr(
        account_services,
        "hash_password",
        lambda password: _default_hash if password == DEFAULT_PASSWORD else original(password),
    )
    made = {
        "staff": make_user("staff", "pub-staff", display_name="王敏"),
        "committee": make_user("committee", "pub-committee"),
        "worker": make_user("worker", "pub-worker"),
        "member": make_user("member", "pub-agency-a", email="a@example.cn"),
        "member2": make_user("member", "pub-agency-b"),
        "admin": make_user("admin", "pub-admin"),
    }
    link_user(made["member"], member)
    link_user(made["member2"], other_member)
    return made


def commit() -> None:
    """Keep what a test set up when a request it makes later rolls back (a savepoint)."""
    _db.session.commit()


@pytest.fixture
def sign_in(client, login):
    """sign_in(user): sign out whoever is signed in, then sign `user` in."""

    def switch(user):
        client.post("/logout")
        return login(user)

    return switch
