"""Committees fixtures: a fixed day, English messages, an administrator, a secretary, an
agency, and a balanced self-regulation committee."""

from __future__ import annotations

import pytest

from portal import clock
from tests.committees.factories import T0, make_agency, make_committee
from tests.factories import make_user


@pytest.fixture(autouse=True)
def english(app, monkeypatch):
    """These tests read the English msgids; the portal's default language is zh-CN."""
    monkeypatch.setitem(app.config, "BABEL_DEFAULT_LOCALE", "en")


@pytest.fixture(autouse=True)
def _clock_reset():
    yield
    clock.reset()  # factories.close() moves the clock


@pytest.fixture
def now(clock_at):
    clock_at(T0)
    return T0


@pytest.fixture
def admin(db):
    return make_user("admin", username="chair-admin", email="admin@oha.example.cn")


@pytest.fixture
def secretary(db):
    return make_user("staff", username="secretary", email="sec@oha.example.cn")


@pytest.fixture
def agency(db):
    return make_agency("被投诉职业健康检查中心")


@pytest.fixture
def board(db, now, admin):
    """The self-regulation committee with 9 members in office: 3 large-enterprise, 3
    small/micro-enterprise and 3 worker representatives (each exactly a third)."""
    return make_committee(admin, "self_regulation", large=3, small=3, worker=3)
