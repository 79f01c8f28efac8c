import pytest


@pytest.fixture(autouse=True)
def english(app, monkeypatch):
    """These tests read the English msgids (the default language is zh-CN)."""
    monkeypatch.setitem(app.config, "BABEL_DEFAULT_LOCALE", "en")
