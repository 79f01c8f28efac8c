"""Discipline fixtures: English msgids, the statutory calendar, a fixed day, a secretary, an
agency with its user, the self-regulation committee (9, meeting its quota) and the appeal
committee (6), and a spy standing in for the publication domain when a test asks."""

from __future__ import annotations

import pytest

from portal import calendar_edits, clock
from tests.discipline.factories import T0, make_agency, make_committees, staff_user
from tests.factories import DEFAULT_PASSWORD, make_user


@pytest.fixture(autouse=True)
def english(app, monkeypatch):
    monkeypatch.setitem(app.config, "BABEL_DEFAULT_LOCALE", "en")


@pytest.fixture(scope="session")
def _default_hash() -> str:
    from portal.accounts.passwords import hash_password

    return hash_password(DEFAULT_PASSWORD)


@pytest.fixture(autouse=True)
def _fast_passwords(monkeypatch, _default_hash):
    """Argon2 is slow on purpose: hash the default password once per run, and check it
    against that hash without re-deriving (the committees' tests check real votes)."""
    from portal.accounts import services as account_services
    from portal.committees import voting

    original, verify = account_services.hash_password, voting.verify_password
    monkeypatch.setattr(
        account_services,
        "hash_password",
        lambda password: _default_hash if password == DEFAULT_PASSWORD else original(password),
    )
    monkeypatch.setattr(
        voting,
        "verify_password",
        lambda stored, given: (
            given == DEFAULT_PASSWORD if stored == _default_hash else verify(stored, given)
        ),
    )


@pytest.fixture(autouse=True)
def _clock_reset():
    yield
    clock.reset()


@pytest.fixture
def seeded(db):
    return calendar_edits.seed_from_chinesecalendar(actor="test")


@pytest.fixture
def now(clock_at, seeded):
    clock_at(T0)
    return T0


@pytest.fixture
def staff(db):
    return staff_user()


@pytest.fixture
def admin(db):
    return make_user("admin", username="disc-admin")


@pytest.fixture
def agency_user(db):
    return make_user("member", username="disc-agency", email="agency@example.cn")


@pytest.fixture
def agency(db, agency_user):
    return make_agency("华安职业健康体检中心", user=agency_user)


@pytest.fixture
def committees(db, now, admin):
    """(self-regulation voters, appeal voters)."""
    return make_committees(admin)


@pytest.fixture
def published(monkeypatch):
    """Record calls to the publication domain instead of publishing."""
    calls = {"publish": [], "withdraw": []}
    from portal.publication import services

    monkeypatch.setattr(
        services, "publish_decision", lambda actor, **kw: calls["publish"].append(kw)
    )
    monkeypatch.setattr(
        services, "withdraw_entry", lambda actor, **kw: calls["withdraw"].append(kw)
    )
    return calls


@pytest.fixture
def upload_dir(app, tmp_path, monkeypatch):
    path = tmp_path / "uploads"
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(path))
    return path
