"""Bearer tokens: short-lived JWTs signed with a pinned algorithm.

Claims: iss, aud, sub, iat, nbf, exp, jti, and `tv`, the user's token version, so
that bumping the version (password change, role change, revocation) ends every
token already issued.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from datetime import timedelta

import jwt
from flask import current_app, request
from flask_babel import gettext as _
from pydantic import Field

from portal import clock
from portal.accounts import services as account_services
from portal.accounts import throttle, two_factor
from portal.accounts.models import User
from portal.api.registry import api_route
from portal.api.schemas import Strict
from portal.api.validation import parse_body
from portal.errors import Unauthorized
from portal.extensions import db, limiter
from portal.security import AuthenticationRequired, log_security_event, public

REQUIRED_CLAIMS = ["iss", "aud", "sub", "iat", "exp", "jti"]


def _signing_key() -> bytes:
    """A key of its own, derived from the secret key, so tokens and cookies never share one."""
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, b"oha-portal api token signing", hashlib.sha256).digest()


def issue_token(user: User) -> tuple[str, int]:
    ttl = min(int(current_app.config["JWT_TTL_SECONDS"]), 900)
    now = clock.now()
    claims = {
        "iss": current_app.config["JWT_ISSUER"],
        "aud": current_app.config["JWT_AUDIENCE"],
        "sub": str(user.id),
        "iat": now,
        "nbf": now,
        "exp": now + timedelta(seconds=ttl),
        "jti": uuid.uuid4().hex,
        "tv": user.token_version,
    }
    token = jwt.encode(claims, _signing_key(), algorithm=current_app.config["JWT_ALGORITHM"])
    return token, ttl


class InvalidToken(AuthenticationRequired):
    pass


def decode_token(token: str) -> dict:
    """Verify signature, algorithm, issuer, audience and required claims; then the times,
    against the portal's clock (PyJWT would use the wall clock, which tests cannot move)."""
    key = _signing_key()
    config = current_app.config
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[config["JWT_ALGORITHM"]],
            audience=config["JWT_AUDIENCE"],
            issuer=config["JWT_ISSUER"],
            options={
                "require": REQUIRED_CLAIMS,
                "verify_exp": False,
                "verify_iat": False,
                "verify_nbf": False,
            },
        )
    except jwt.PyJWTError as error:
        raise InvalidToken(str(error)) from None
    now = clock.now().timestamp()
    exp, nbf = claims.get("exp"), claims.get("nbf")
    if not isinstance(exp, int | float) or now >= exp:
        raise InvalidToken("the token has expired")
    if nbf is not None and (not isinstance(nbf, int | float) or now < nbf):
        raise InvalidToken("the token is not valid yet")
    return claims


def actor_from_bearer() -> User | None:
    """The user a request's bearer token names; None without a token; 401 for a bad one."""
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _sep, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        log_security_event("token.malformed")
        raise InvalidToken("not a bearer token")
    try:
        claims = decode_token(token.strip())
    except InvalidToken:
        log_security_event("token.invalid")  # never the token itself
        raise
    sub = str(claims.get("sub", ""))
    user = db.session.get(User, int(sub)) if sub.isdigit() else None
    if user is None or not user.active or claims.get("tv") != user.token_version:
        log_security_event("token.revoked", user_id=user.id if user else None)
        raise InvalidToken("the token has been revoked")
    return user


class TokenRequest(Strict):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)
    otp: str | None = Field(
        default=None,
        max_length=32,
        description=(
            "Staff, committee members and administrators: the 6-digit code of their "
            "authenticator app, or one of their recovery codes. Others leave it out."
        ),
    )


class TokenResponse(Strict):
    access_token: str
    token_type: str = "Bearer"  # noqa: S105 (the scheme name, not a secret)
    expires_in: int


@api_route(
    "/auth/token",
    methods=["POST"],
    summary="Exchange a username, password (and one-time code) for a bearer token "
    "(at most 15 minutes)",
    tags=["auth"],
    body=TokenRequest,
    response=TokenResponse,
    errors=(401, 422, 429),
)
@public
@limiter.limit(throttle.address_limit, on_breach=throttle.log_throttled)
@limiter.limit(
    throttle.account_limit,
    key_func=throttle.account_key,
    deduct_when=throttle.attempt_failed,
    on_breach=throttle.log_throttled,
)
def issue_token_route():
    data = parse_body(TokenRequest)
    user = account_services.check_password(data.username, data.password)
    second_factor = None
    if user is not None and two_factor.requires_two_factor(user):
        second_factor = two_factor.verify_second_factor(user, data.otp)
        if second_factor is None:
            two_factor.record_refusal(user)
            log_security_event("login.second_factor_refused", user_id=user.id)
            user = None
    elif user is None:
        log_security_event("login.failed", username=data.username)
    if user is None:
        db.session.commit()  # a refusal's audit entry, a spent recovery code
        throttle.mark_failed()
        # One answer for every failure: it tells neither whether the account exists nor
        # whether the password was right.
        raise Unauthorized(
            _("The username, password or one-time code is wrong."),
            {"otp": _("Staff, committee and administrator accounts also need a one-time code.")},
        )
    account_services.record_login(user, second_factor)
    db.session.commit()
    token, ttl = issue_token(user)
    return TokenResponse(access_token=token, expires_in=ttl).model_dump()
