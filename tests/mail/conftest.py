"""Mail fixtures: a fake SMTP server put in place of smtplib.SMTP."""

from __future__ import annotations

import smtplib

import pytest


class FakeSMTP:
    """Records connections and messages; `fail_with` makes send_message raise."""

    instances: list[FakeSMTP] = []
    fail_with: Exception | None = None
    refuse_connection: Exception | None = None

    def __init__(self, host, port, timeout=None, **kwargs):
        if FakeSMTP.refuse_connection is not None:
            raise FakeSMTP.refuse_connection
        self.host, self.port, self.timeout = host, port, timeout
        self.tls = False
        self.logged_in_as = None
        self.sent = []
        self.closed = False
        FakeSMTP.instances.append(self)

    def starttls(self, context=None):
        self.tls = True

    def login(self, username, password):
        self.logged_in_as = (username, password)

    def send_message(self, message):
        if FakeSMTP.fail_with is not None:
            raise FakeSMTP.fail_with
        self.sent.append(message)

    def quit(self):
        self.closed = True

    def close(self):
        self.closed = True

    @classmethod
    def all_sent(cls):
        return [message for instance in cls.instances for message in instance.sent]


@pytest.fixture
def smtp(app, monkeypatch):
    """Point the portal at a mail server that is the fake; returns the fake class."""
    FakeSMTP.instances, FakeSMTP.fail_with, FakeSMTP.refuse_connection = [], None, None
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    monkeypatch.setattr(smtplib, "SMTP_SSL", FakeSMTP)
    for key, value in {
        "MAIL_SERVER": "smtp.example.cn",
        "MAIL_PORT": 587,
        "MAIL_USERNAME": "portal",
        "MAIL_PASSWORD": "smtp-secret",
        "MAIL_USE_TLS": True,
        "MAIL_SENDER": "noreply@oha.example.cn",
    }.items():
        monkeypatch.setitem(app.config, key, value)
    return FakeSMTP


@pytest.fixture(autouse=True)
def english(app, monkeypatch):
    """These tests check the English msgids; the portal's default language is zh-CN."""
    monkeypatch.setitem(app.config, "BABEL_DEFAULT_LOCALE", "en")
