"""Members fixtures: a fixed day, a private upload directory, agencies and a secretary."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from portal.extensions import db as _db
from tests.factories import make_user

T0 = datetime(2026, 6, 15, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
DAY = date(2026, 6, 15)


@pytest.fixture
def today(clock_at) -> date:
    clock_at(T0)
    return DAY


@pytest.fixture
def upload_dir(app, tmp_path, monkeypatch):
    path = tmp_path / "uploads"
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(path))
    return path


@pytest.fixture
def agency(db, upload_dir):
    """A member agency user (no agency yet)."""
    return make_user("member", username="agency-a", email="a@agency.example.cn")


@pytest.fixture
def rival(db):
    """Another agency's user."""
    return make_user("member", username="agency-b", email="b@agency.example.cn")


@pytest.fixture
def secretary(db):
    return make_user("staff", username="secretary", email="sec@oha.example.cn")


@pytest.fixture
def commit(db):
    def go():
        _db.session.commit()

    return go
