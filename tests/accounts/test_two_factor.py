"""TOTP second factor for staff, committee members and administrators."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pyotp
from sqlalchemy import select

from portal import audit
from portal.accounts.models import RecoveryCode, UserTotp
from tests.factories import DEFAULT_PASSWORD, TOTP_SECRETS, make_user
from tests.sign_in import fresh_code, token_request

T0 = datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC)


def _password(client, username: str, password: str = DEFAULT_PASSWORD, **kwargs):
    return client.post("/login", data={"username": username, "password": password}, **kwargs)


def _code(username: str, at: datetime) -> str:
    return pyotp.TOTP(TOTP_SECRETS[username]).at(at)


def _actions(db) -> list[str]:
    return list(db.session.scalars(select(audit.AuditEntry.action)))


def test_a_worker_signs_in_with_the_password_alone(client, users):
    response = _password(client, "worker1")
    assert response.status_code == 303 and "/login/" not in response.headers["Location"]
    assert client.get("/dashboard").status_code == 200


def test_staff_are_not_signed_in_until_the_code(client, users, clock_at, db):
    clock_at(T0)
    response = _password(client, "staff1")
    assert response.status_code == 303 and response.headers["Location"].endswith("/login/verify")
    assert client.get("/dashboard").status_code == 302  # only the pending state so far
    page = client.get("/login/verify").get_data(as_text=True)
    assert 'autocomplete="one-time-code"' in page
    assert 'inputmode="numeric"' not in page  # recovery codes have letters
    assert '<label class="form-label" for="code">' in page
    wrong = client.post("/login/verify", data={"code": "000000"})
    assert wrong.status_code == 200 and "wrong or has already been used" in wrong.text
    assert "user.second_factor_refused" in _actions(db)
    right = client.post("/login/verify", data={"code": _code("staff1", T0)})
    assert right.status_code == 303
    assert client.get("/dashboard").status_code == 200


def test_a_used_code_cannot_be_replayed(app, client, users, clock_at):
    clock_at(T0)
    code = _code("committee1", T0)
    _password(client, "committee1")
    assert client.post("/login/verify", data={"code": code}).status_code == 303
    other = app.test_client()
    _password(other, "committee1")
    replay = other.post("/login/verify", data={"code": code})
    assert replay.status_code == 200 and "already been used" in replay.text
    # nor a code of the step before, though it is within the drift window
    assert (
        other.post(
            "/login/verify", data={"code": _code("committee1", T0 - timedelta(seconds=30))}
        ).status_code
        == 200
    )  # noqa: E501
    later = T0 + timedelta(seconds=30)
    clock_at(later)
    assert other.post("/login/verify", data={"code": _code("committee1", later)}).status_code == 303


def test_the_pending_state_lasts_five_minutes(client, users, clock_at):
    clock_at(T0)
    _password(client, "admin1")
    clock_at(T0 + timedelta(minutes=5, seconds=1))
    response = client.post("/login/verify", data={"code": _code("admin1", T0)})
    assert response.status_code == 303 and response.headers["Location"].endswith("/login")
    assert client.get("/dashboard").status_code == 302


def test_an_unenrolled_user_sets_up_totp_and_gets_recovery_codes_once(client, db, clock_at):
    clock_at(T0)
    user = make_user("staff", username="newstaff", enrol_totp=False)
    response = _password(client, "newstaff")
    assert response.headers["Location"].endswith("/login/enrol")
    page = client.get("/login/enrol").get_data(as_text=True)
    totp = db.session.scalar(select(UserTotp).where(UserTotp.user_id == user.id))
    secret = totp.secret
    assert secret.encode() not in totp.secret_enc  # stored encrypted
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    assert grouped in page
    assert "<svg" in page and "data:" not in page
    assert "otpauth://totp/" in page and f"secret={secret}" in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)  # no inline script
    assert 'autocomplete="one-time-code"' in page
    assert client.get("/dashboard").status_code == 302

    bad = client.post("/login/enrol", data={"code": "123456"})
    assert bad.status_code == 200 and "user.totp_enrolled" not in _actions(db)
    done = client.post("/login/enrol", data={"code": pyotp.TOTP(secret).at(T0)})
    assert done.status_code == 200
    codes = re.findall(r"<code class=\"fs-6\">([a-z0-9-]+)</code>", done.text)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/dashboard").status_code == 200
    stored = list(db.session.scalars(select(RecoveryCode.code_hash)))
    assert len(stored) == 10 and not set(codes) & set(stored)
    assert {"user.totp_enrolled", "user.recovery_codes_issued"} <= set(_actions(db))
    assert client.get("/login/enrol").status_code == 303  # not shown again


def _enrol_and_get_codes(client, username: str, at: datetime) -> list[str]:
    _password(client, username)
    client.get("/login/enrol")
    from portal.accounts.models import User

    user = client.application.extensions["sqlalchemy"].session.scalar(
        select(User).where(User.username == username)
    )
    secret = (
        client.application.extensions["sqlalchemy"]
        .session.scalar(select(UserTotp).where(UserTotp.user_id == user.id))
        .secret
    )
    done = client.post("/login/enrol", data={"code": pyotp.TOTP(secret).at(at)})
    client.post("/logout")
    return re.findall(r"<code class=\"fs-6\">([a-z0-9-]+)</code>", done.text)


def test_a_recovery_code_works_once_and_is_audited(app, client, db, clock_at):
    clock_at(T0)
    make_user("admin", username="newadmin", enrol_totp=False)
    codes = _enrol_and_get_codes(client, "newadmin", T0)
    _password(client, "newadmin")
    used = client.post("/login/verify", data={"code": codes[0].upper()})
    assert used.status_code == 303
    assert "user.recovery_code_used" in _actions(db)
    client.post("/logout")
    _password(client, "newadmin")
    again = client.post("/login/verify", data={"code": codes[0]})
    assert again.status_code == 200
    assert client.post("/login/verify", data={"code": codes[1]}).status_code == 303


def test_an_admin_resets_two_factor_and_the_user_enrols_again(app, client, users, login, db):
    staff = users["staff"]
    version = staff.session_version
    login(users["admin"])
    response = client.post(f"/admin/users/{staff.id}/two-factor/reset")
    assert response.status_code == 303
    assert db.session.scalar(select(UserTotp).where(UserTotp.user_id == staff.id)) is None
    assert staff.session_version == version + 1
    entry = db.session.scalar(
        select(audit.AuditEntry).where(audit.AuditEntry.action == "user.totp_reset")
    )
    assert entry.object_id == str(staff.id) or entry.object_id == staff.id
    other = app.test_client()
    assert _password(other, "staff1").headers["Location"].endswith("/login/enrol")


def test_only_admins_reset_two_factor(client, users, login):
    login(users["staff"])
    response = client.post(f"/admin/users/{users['committee'].id}/two-factor/reset")
    assert response.status_code == 403


# --- the API --------------------------------------------------------------------------


def test_the_token_endpoint_needs_the_code_and_says_nothing_more(client, users, db):
    staff = users["staff"]
    missing = client.post(
        "/api/v1/auth/token", json={"username": "staff1", "password": DEFAULT_PASSWORD}
    )  # noqa: E501
    wrong_code = client.post(
        "/api/v1/auth/token",
        json={"username": "staff1", "password": DEFAULT_PASSWORD, "otp": "000000"},
    )
    wrong_password = client.post(
        "/api/v1/auth/token", json={"username": "staff1", "password": "nope-nope", "otp": "1"}
    )
    unknown = client.post("/api/v1/auth/token", json={"username": "ghost", "password": "x"})
    worker_wrong = client.post("/api/v1/auth/token", json={"username": "worker1", "password": "x"})
    answers = [missing, wrong_code, wrong_password, unknown, worker_wrong]
    assert {r.status_code for r in answers} == {401}
    assert all(r.get_json() == missing.get_json() for r in answers)
    assert "otp" in missing.get_json()["error"]["fields"]
    ok = client.post("/api/v1/auth/token", json=token_request(staff))
    assert ok.status_code == 200
    assert "user.second_factor_refused" in _actions(db)


def test_a_token_code_cannot_be_replayed(client, users, clock_at):
    clock_at(T0)
    body = {"username": "admin1", "password": DEFAULT_PASSWORD, "otp": _code("admin1", T0)}
    assert client.post("/api/v1/auth/token", json=body).status_code == 200
    assert client.post("/api/v1/auth/token", json=body).status_code == 401


def test_the_openapi_document_names_the_otp_field(client):
    schema = client.get("/api/v1/openapi.json").get_json()
    text = str(schema)
    assert "otp" in text and "TokenRequest" in text


def test_the_fixture_signs_the_same_user_in_twice_within_one_step(app, users, clock_at, login):
    clock_at(T0)
    login(users["staff"])
    second = app.test_client()
    from tests.sign_in import sign_in

    assert sign_in(second, users["staff"]).status_code == 303
    third = app.test_client()
    assert sign_in(third, users["staff"]).status_code == 303  # the clock moved a step
    assert fresh_code(users["staff"])  # and goes on
