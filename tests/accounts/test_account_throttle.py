"""Per-account throttling of sign-in: only failed attempts count, keyed on the typed
username whether or not the account exists. Runs its own app with the limiter on."""

from __future__ import annotations

import logging

import pytest

from portal import create_app
from portal.extensions import db, limiter
from tests.databases import empty_database, suite_config
from tests.factories import DEFAULT_PASSWORD, make_user


@pytest.fixture
def limited(tmp_path):
    with empty_database(tmp_path, "accountlimit") as url:
        app = create_app(
            {
                **suite_config(),
                "SQLALCHEMY_DATABASE_URI": url,
                "UPLOAD_DIR": str(tmp_path / "uploads"),
                "RATELIMIT_ENABLED": True,
                "LOGIN_RATE_LIMIT": "100 per minute",
                "LOGIN_ACCOUNT_RATE_LIMIT": "5 per 15 minutes",
                "BABEL_DEFAULT_LOCALE": "en",
            }
        )
        with app.app_context():
            db.create_all()
            make_user("worker", username="alice")
            make_user("worker", username="bob")
            db.session.commit()
        limiter.reset()
        try:
            yield app
        finally:
            limiter.reset()
            limiter.enabled = False
            with app.app_context():
                db.session.remove()
                db.engine.dispose()


def _login(client, username, password="wrong-password", addr="10.0.0.1"):  # noqa: S107
    return client.post(
        "/login",
        data={"username": username, "password": password},
        environ_base={"REMOTE_ADDR": addr},
    )


def test_the_sixth_failure_on_an_account_is_refused_from_any_address(limited, caplog):
    client = limited.test_client()
    for n in range(5):
        assert _login(client, "alice", addr=f"10.0.0.{n + 1}").status_code == 200
    caplog.set_level(logging.INFO, logger="portal.security")
    blocked = _login(client, "ALICE ", password=DEFAULT_PASSWORD, addr="10.9.9.9")
    assert blocked.status_code == 429
    assert any(
        r.security["event"] == "login.throttled"
        for r in caplog.records
        if r.name == "portal.security"
    )  # noqa: E501
    assert _login(client, "bob", password=DEFAULT_PASSWORD, addr="10.0.0.1").status_code == 303


def test_known_and_unknown_accounts_get_identical_answers(limited):
    client = limited.test_client()
    known = [_login(client, "alice") for _ in range(6)]
    unknown = [_login(client, "nobody-at-all") for _ in range(6)]
    assert [r.status_code for r in known] == [r.status_code for r in unknown]
    assert [r.status_code for r in known] == [200] * 5 + [429]
    assert known[-1].get_data() == unknown[-1].get_data()


def test_successful_sign_ins_do_not_count(limited):
    client = limited.test_client()
    for _ in range(6):
        assert _login(client, "alice", password=DEFAULT_PASSWORD).status_code == 303
        client.post("/logout")


def test_the_token_endpoint_is_throttled_per_account_too(limited):
    client = limited.test_client()
    for n in range(5):
        response = client.post(
            "/api/v1/auth/token",
            json={"username": "alice", "password": "wrong-password"},
            environ_base={"REMOTE_ADDR": f"10.1.0.{n}"},
        )
        assert response.status_code == 401
    blocked = client.post(
        "/api/v1/auth/token",
        json={"username": "alice", "password": DEFAULT_PASSWORD},
        environ_base={"REMOTE_ADDR": "10.2.0.1"},
    )
    assert blocked.status_code == 429 and blocked.get_json()["error"]["code"] == "rate_limited"
    other = client.post(
        "/api/v1/auth/token",
        json={"username": "bob", "password": DEFAULT_PASSWORD},
        environ_base={"REMOTE_ADDR": "10.2.0.1"},
    )
    assert other.status_code == 200


def test_wrong_second_factor_codes_are_throttled_per_pending_user(limited):
    with limited.app_context():
        make_user("staff", username="carol")
        db.session.commit()
    client = limited.test_client()
    response = client.post("/login", data={"username": "carol", "password": DEFAULT_PASSWORD})
    assert response.headers["Location"].endswith("/login/verify")
    answers = [client.post("/login/verify", data={"code": "000000"}).status_code for _ in range(6)]
    assert answers[:5] == [200] * 5 and answers[5] == 429


def test_wrong_codes_for_new_recovery_codes_are_throttled_per_user(limited):
    with limited.app_context():
        make_user("staff", username="dave")
        db.session.commit()
    client = limited.test_client()
    with limited.app_context():
        from portal.accounts.models import User
        from tests.sign_in import sign_in

        sign_in(client, db.session.scalar(db.select(User).where(User.username == "dave")))
    answers = [
        client.post("/account/two-factor", data={"code": "000000"}).status_code for _ in range(6)
    ]
    assert answers == [422] * 5 + [429]
