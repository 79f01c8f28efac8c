"""Notification tests read the English msgids."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def english(app, monkeypatch):
    """These tests check the English msgids; the portal's default language is zh-CN."""
    monkeypatch.setitem(app.config, "BABEL_DEFAULT_LOCALE", "en")
