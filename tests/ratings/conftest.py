"""Ratings fixtures: English msgids, the clock in January 2026 (so 2025 is over), users."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.factories import make_user
from tests.ratings.factories import link_user, make_member

T0 = datetime(2026, 1, 20, 2, 0, tzinfo=UTC)  # 20 January 2026, 10:00 in Shanghai


@pytest.fixture(autouse=True)
def english(app, monkeypatch):
    monkeypatch.setitem(app.config, "BABEL_DEFAULT_LOCALE", "en")


@pytest.fixture
def now(clock_at):
    clock_at(T0)
    return T0


@pytest.fixture
def member(db):
    return make_member()


@pytest.fixture
def people(db, member):
    made = {
        "staff": make_user("staff", "staff-r"),
        "member": make_user("member", "agency-r"),
        "admin": make_user("admin", "admin-r"),
        "committee": make_user("committee", "committee-r"),
        "worker": make_user("worker", "worker-r"),
    }
    link_user(made["member"], member)
    return made
