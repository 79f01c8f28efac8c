"""Bearer tokens: what is accepted and every way a forged or stale token is refused."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from portal.api.auth import _signing_key
from tests.factories import DEFAULT_PASSWORD
from tests.sign_in import token_request


def _claims(app, user, **overrides):
    now = datetime.now(UTC)
    claims = {
        "iss": app.config["JWT_ISSUER"],
        "aud": app.config["JWT_AUDIENCE"],
        "sub": str(user.id),
        "iat": now,
        "nbf": now,
        "exp": now + timedelta(minutes=5),
        "jti": "test-jti",
        "tv": user.token_version,
    }
    claims.update(overrides)
    return claims


def _me(client, token):
    return client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})


def _assert_refused(response):
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_token_from_the_token_endpoint_works_and_expires_within_15_minutes(client, users, app):
    response = client.post("/api/v1/auth/token", json=token_request(users["staff"]))
    body = response.get_json()
    assert response.status_code == 200 and body["token_type"] == "Bearer"
    assert 0 < body["expires_in"] <= 900
    with app.app_context():
        header = jwt.get_unverified_header(body["access_token"])
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert header["alg"] == "HS256"
    assert {"iss", "aud", "sub", "iat", "exp", "jti"} <= claims.keys()
    assert claims["exp"] - claims["iat"] <= 900
    me = _me(client, body["access_token"])
    assert me.status_code == 200 and me.get_json()["username"] == "staff1"
    assert me.headers["Cache-Control"] == "no-store"


def test_wrong_credentials_get_401_in_the_error_format(client, users):
    response = client.post("/api/v1/auth/token", json={"username": "staff1", "password": "nope"})
    assert response.status_code == 401
    assert set(response.get_json()["error"]) == {"code", "message", "fields"}


def test_a_missing_field_is_named(client):
    response = client.post("/api/v1/auth/token", json={"username": "staff1"})
    assert response.status_code == 422
    assert "password" in response.get_json()["error"]["fields"]


def test_a_body_that_is_not_json_is_named(client):
    response = client.post("/api/v1/auth/token", data="username=x", content_type="text/plain")
    assert response.status_code == 422
    assert "body" in response.get_json()["error"]["fields"]


def test_alg_none_is_refused(app, client, users):
    def b64(part):
        return base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=").decode()

    claims = _claims(app, users["admin"])
    claims = {k: int(v.timestamp()) if isinstance(v, datetime) else v for k, v in claims.items()}
    token = f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(claims)}."
    _assert_refused(_me(client, token))


def test_a_token_signed_with_another_key_is_refused(app, client, users):
    token = jwt.encode(_claims(app, users["admin"]), "x" * 64, algorithm="HS256")
    _assert_refused(_me(client, token))


def test_hs_rs_confusion_is_refused(app, client, users):
    """An RS256 token, and an HS256 token keyed with an RSA public key: both refused."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    rs_token = jwt.encode(_claims(app, users["admin"]), private, algorithm="RS256")
    _assert_refused(_me(client, rs_token))
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = base64.urlsafe_b64encode(b'{"alg":"HS256","typ":"JWT"}').rstrip(b"=")
    claims = _claims(app, users["admin"])
    claims = {k: int(v.timestamp()) if isinstance(v, datetime) else v for k, v in claims.items()}
    body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=")
    import hashlib
    import hmac

    signature = base64.urlsafe_b64encode(
        hmac.new(public_pem, header + b"." + body, hashlib.sha256).digest()
    ).rstrip(b"=")
    _assert_refused(_me(client, (header + b"." + body + b"." + signature).decode()))


@pytest.mark.parametrize(
    "overrides",
    [
        {"aud": "someone-else"},
        {"iss": "someone-else"},
        {"exp": datetime(2020, 1, 1, tzinfo=UTC)},
        {"sub": "999999"},
        {"tv": 0},
    ],
)
def test_wrong_audience_issuer_expired_unknown_or_stale_tokens_are_refused(
    app, client, users, overrides
):
    with app.test_request_context():
        token = jwt.encode(
            _claims(app, users["admin"], **overrides), _signing_key(), algorithm="HS256"
        )
    _assert_refused(_me(client, token))


@pytest.mark.parametrize("missing", ["exp", "aud", "iss", "jti", "sub"])
def test_tokens_missing_a_required_claim_are_refused(app, client, users, missing):
    claims = _claims(app, users["admin"])
    del claims[missing]
    with app.test_request_context():
        token = jwt.encode(claims, _signing_key(), algorithm="HS256")
    _assert_refused(_me(client, token))


def test_a_token_expires_on_the_portal_clock(client, users, api_token, clock_at):
    headers = api_token(users["staff"])
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    clock_at(datetime.now(UTC) + timedelta(minutes=16))
    _assert_refused(client.get("/api/v1/me", headers=headers))


def test_changing_the_password_revokes_earlier_tokens(client, users, api_token):
    headers = api_token(users["worker"])
    response = client.post(
        "/api/v1/me/password",
        headers=headers,
        json={"current_password": DEFAULT_PASSWORD, "new_password": "a-brand-new-secret"},
    )
    assert response.status_code == 200
    _assert_refused(client.get("/api/v1/me", headers=headers))


def test_a_disabled_users_token_stops_working(client, users, api_token, db):
    headers = api_token(users["member"])
    users["member"].active = False
    db.session.commit()
    _assert_refused(client.get("/api/v1/me", headers=headers))


def test_the_api_ignores_the_session_cookie(client, users, login):
    login(users["admin"])
    assert client.get("/api/v1/me").status_code == 401


def test_not_a_bearer_scheme_is_refused(client, users):
    _assert_refused(client.get("/api/v1/me", headers={"Authorization": "Basic YWRtaW46eA=="}))
