"""Upload fixtures: a private upload directory per test, and access rules registered for
the test's owner type only while the test runs."""

from __future__ import annotations

import pytest

from portal import uploads

OWNER = "test_case"


@pytest.fixture(autouse=True)
def english(app, monkeypatch):
    """These tests check the English msgids; the portal's default language is zh-CN."""
    monkeypatch.setitem(app.config, "BABEL_DEFAULT_LOCALE", "en")


@pytest.fixture
def upload_dir(app, tmp_path, monkeypatch):
    path = tmp_path / "uploads"
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(path))
    return path


@pytest.fixture
def allow(upload_dir):
    """allow(predicate): register `predicate` for OWNER for this test."""

    def register(predicate):
        uploads.register_file_access(OWNER, predicate)
        return predicate

    yield register
    uploads.unregister_file_access(OWNER)
