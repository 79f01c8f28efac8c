"""Session timeouts, a fresh session at sign-in, common passwords, the security log."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from portal.accounts.common_passwords import CHINESE_COMMON, common_passwords
from portal.accounts.models import User
from portal.accounts.passwords import password_problem
from tests.factories import DEFAULT_PASSWORD

T0 = datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC)
TOO_COMMON = "This password is too common; choose another."


# --- session timeouts ------------------------------------------------------------------


@pytest.mark.parametrize("role", ["staff", "committee", "admin"])
def test_an_idle_session_ends_after_30_minutes(client, users, login, clock_at, role):
    clock_at(T0)
    login(users[role])
    clock_at(T0 + timedelta(minutes=29))
    assert client.get("/dashboard").status_code == 200  # and counts as activity
    clock_at(T0 + timedelta(minutes=29 + 29))
    assert client.get("/dashboard").status_code == 200
    clock_at(T0 + timedelta(minutes=29 + 29 + 31))
    response = client.get("/dashboard?tab=1")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login?next=/dashboard?tab%3D1")
    assert "30 minutes without activity" in client.get("/login").text
    assert client.get("/dashboard").status_code == 302  # signed out for good


def test_a_session_ends_12_hours_after_sign_in_however_active(client, users, login, clock_at):
    clock_at(T0)
    login(users["staff"])
    for minutes in range(20, 12 * 60, 20):  # a request every 20 minutes up to 11h40
        clock_at(T0 + timedelta(minutes=minutes))
        assert client.get("/dashboard").status_code == 200
    clock_at(T0 + timedelta(hours=11, minutes=59))
    assert client.get("/dashboard").status_code == 200
    clock_at(T0 + timedelta(hours=12, minutes=1))
    response = client.get("/dashboard")
    assert response.status_code == 302 and "/login?next=" in response.headers["Location"]
    assert "12 hours have passed" in client.get("/login").text


def test_workers_and_member_agencies_keep_their_sessions(client, users, login, clock_at):
    clock_at(T0)
    login(users["worker"])
    clock_at(T0 + timedelta(hours=13))
    assert client.get("/dashboard").status_code == 200


# --- a fresh session at sign-in ---------------------------------------------------------


@pytest.mark.parametrize("role", ["worker", "staff"])
def test_nothing_planted_before_sign_in_survives_it(client, users, login, role):
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
        session["_fresh"] = True
    login(users[role])
    with client.session_transaction() as session:
        assert "planted" not in session
        assert "pending_2fa" not in session
    assert client.get("/dashboard").status_code == 200


def test_logout_and_a_password_change_end_other_sessions(app, client, users, login, db):
    staff = users["staff"]
    login(staff)
    other = app.test_client()
    from tests.sign_in import sign_in

    assert sign_in(other, staff).status_code == 303
    response = client.post(
        "/account/password",
        data={
            "current_password": DEFAULT_PASSWORD,
            "new_password": "a-brand-new-secret",
            "confirm": "a-brand-new-secret",
        },
    )
    assert response.status_code == 303
    assert client.get("/dashboard").status_code == 200  # this session carries on
    assert other.get("/dashboard").status_code == 302  # the other one ended
    version = staff.session_version
    client.post("/logout")
    assert client.get("/dashboard").status_code == 302
    assert staff.session_version >= version


# --- common passwords ------------------------------------------------------------------


def test_the_common_password_list_is_loaded_once_and_case_blind():
    assert common_passwords() is common_passwords()
    assert len(common_passwords()) >= 30_000
    for password in ("1234567890", "qwertyuiop", "password123", "1qaz2wsx3edc", "QWERTYUIOP"):
        assert password_problem(password) == "too common", password
    for password in CHINESE_COMMON:
        if len(password) >= 10:
            assert password_problem(password.upper()) == "too common", password
    assert password_problem(DEFAULT_PASSWORD) is None


def test_registration_refuses_a_common_password(client, db):
    response = client.post(
        "/register",
        data={
            "role": "worker",
            "username": "zhangwei",
            "display_name": "张伟",
            "email": "",
            "password": "woaini1314",
            "confirm": "woaini1314",
        },
    )
    assert response.status_code == 200 and TOO_COMMON in response.text
    assert db.session.scalar(select(User).where(User.username == "zhangwei")) is None


def test_a_password_change_refuses_a_common_password(client, users, login):
    login(users["worker"])
    response = client.post(
        "/account/password",
        data={
            "current_password": DEFAULT_PASSWORD,
            "new_password": "qwertyuiop",
            "confirm": "qwertyuiop",
        },
    )
    assert response.status_code == 200 and TOO_COMMON in response.text


def test_an_admin_cannot_give_a_new_user_a_common_password(client, users, login, db):
    login(users["admin"])
    response = client.post(
        "/admin/users/new",
        data={
            "username": "newstaff",
            "display_name": "New",
            "email": "",
            "role": "staff",
            "password": "Password123",
        },
    )
    assert response.status_code == 200 and TOO_COMMON in response.text
    assert db.session.scalar(select(User).where(User.username == "newstaff")) is None


# --- the security log ------------------------------------------------------------------


def _events(caplog) -> list[dict]:
    return [r.security for r in caplog.records if r.name == "portal.security"]


def _assert_nothing_secret(caplog, *secrets: str) -> None:
    for record in caplog.records:
        text = record.getMessage()
        for secret in secrets:
            assert secret not in text, (secret, text)


def test_failed_sign_ins_are_logged_without_secrets(client, users, caplog):
    caplog.set_level(logging.INFO, logger="portal.security")
    client.post("/login", data={"username": "worker1", "password": "wrong-secret-1"})
    client.post(
        "/api/v1/auth/token", json={"username": "nobody-here", "password": "wrong-secret-2"}
    )
    [page, api] = _events(caplog)
    assert page["event"] == api["event"] == "login.failed"
    assert page["endpoint"] == "accounts.login" and api["endpoint"] == "api.issue_token_route"
    assert page["remote_addr"] == "127.0.0.1"
    assert len(page["account"]) == 12
    _assert_nothing_secret(caplog, "worker1", "nobody-here", "wrong-secret")


def test_a_refused_second_factor_is_logged_with_the_user_id(client, users, caplog):
    caplog.set_level(logging.INFO, logger="portal.security")
    client.post("/login", data={"username": "staff1", "password": DEFAULT_PASSWORD})
    client.post("/login/verify", data={"code": "987654"})
    [event] = _events(caplog)
    assert event["event"] == "login.second_factor_refused"
    assert event["user_id"] == users["staff"].id
    _assert_nothing_secret(caplog, "987654", "staff1", DEFAULT_PASSWORD)


def test_permission_refusals_are_logged(client, users, login, caplog):
    login(users["worker"])
    caplog.set_level(logging.INFO, logger="portal.security")
    assert client.get("/admin/users").status_code == 403
    [event] = _events(caplog)
    assert event["event"] == "access.denied" and event["user_id"] == users["worker"].id
    assert event["endpoint"] == "admin.users"


def test_bad_and_revoked_tokens_are_logged_without_the_token(client, users, api_token, caplog, db):
    headers = api_token(users["staff"])
    caplog.set_level(logging.INFO, logger="portal.security")
    assert (
        client.get("/api/v1/me", headers={"Authorization": "Bearer abc.def.ghi"}).status_code == 401
    )
    users["staff"].token_version += 1
    db.session.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    events = _events(caplog)
    assert [e["event"] for e in events] == ["token.invalid", "token.revoked"]
    assert events[1]["user_id"] == users["staff"].id
    _assert_nothing_secret(caplog, "abc.def.ghi", headers["Authorization"].split()[1])
