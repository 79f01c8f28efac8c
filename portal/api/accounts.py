"""Accounts through the API: registration, the caller's profile, password, user admin."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from portal.accounts import services, throttle, two_factor
from portal.api.registry import api_route
from portal.api.schemas import FromRow, PageInfo, PageQuery, Strict
from portal.api.validation import parse_body, parse_query
from portal.errors import ValidationFailed
from portal.extensions import db
from portal.security import Role, current_actor, logged_in, public, roles_required

RoleName = Literal["worker", "member", "staff", "committee", "admin"]


class UserOut(FromRow):
    id: int
    username: str
    display_name: str
    email: str | None
    role: RoleName
    active: bool


class UserList(BaseModel):
    items: list[UserOut]
    page: PageInfo


class RegisterIn(Strict):
    username: str = Field(min_length=3, max_length=64)
    password: str = Field(min_length=1, max_length=256)
    display_name: str = Field(min_length=1, max_length=100)
    role: Literal["worker", "member"]
    email: str | None = Field(None, max_length=254)


class PasswordIn(Strict):
    current_password: str = Field(min_length=1, max_length=256)
    new_password: str = Field(min_length=1, max_length=256)


class UserCreateIn(Strict):
    username: str = Field(min_length=3, max_length=64)
    password: str = Field(min_length=1, max_length=256)
    display_name: str = Field(min_length=1, max_length=100)
    role: RoleName
    email: str | None = Field(None, max_length=254)


class UserPatchIn(Strict):
    display_name: str | None = Field(None, min_length=1, max_length=100)
    email: str | None = Field(None, max_length=254)
    role: RoleName | None = None
    active: bool | None = None


class UserQuery(PageQuery):
    q: str = Field("", max_length=100, description="Part of a username or name")
    role: RoleName | None = None


@api_route(
    "/auth/register",
    methods=["POST"],
    summary="Create a worker or member agency account",
    tags=["auth"],
    body=RegisterIn,
    response=UserOut,
    status=201,
    errors=(403, 409),
)
@public
def register_account():
    data = parse_body(RegisterIn)
    user = services.register(
        username=data.username,
        password=data.password,
        display_name=data.display_name,
        role=Role(data.role),
        email=data.email,
    )
    db.session.commit()
    return UserOut.model_validate(user).model_dump(), 201


@api_route("/me", summary="The caller's own account", tags=["auth"], response=UserOut)
@logged_in
def me():
    return UserOut.model_validate(current_actor()).model_dump()


class TwoFactorOut(BaseModel):
    enrolled_at: datetime | None = Field(description="When the authenticator app was set up")
    recovery_codes_left: int


class RecoveryCodesIn(Strict):
    otp: str = Field(min_length=1, max_length=32, description="The code the app shows now")


class RecoveryCodesOut(BaseModel):
    codes: list[str] = Field(description="Shown only in this answer; the old codes stop working")


@api_route(
    "/me/two-factor",
    summary="The caller's two-factor sign-in: when it was set up, recovery codes left",
    tags=["auth"],
    response=TwoFactorOut,
)
@roles_required(*two_factor.TWO_FACTOR_ROLES)
def my_two_factor():
    actor = current_actor()
    totp = two_factor.totp_of(actor)
    return TwoFactorOut(
        enrolled_at=totp.confirmed_at if totp else None,
        recovery_codes_left=two_factor.remaining_recovery_codes(actor),
    ).model_dump(mode="json")


@api_route(
    "/me/two-factor/recovery-codes",
    methods=["POST"],
    summary="New recovery codes (replacing all the old ones), proved by a current app code",
    tags=["auth"],
    body=RecoveryCodesIn,
    response=RecoveryCodesOut,
    errors=(422, 429),
)
@roles_required(*two_factor.TWO_FACTOR_ROLES)
@throttle.renewal_limit
def renew_my_recovery_codes():
    data = parse_body(RecoveryCodesIn)
    try:
        codes = two_factor.regenerate_recovery_codes(current_actor(), data.otp)
    except ValidationFailed as error:  # the body names the field `otp`, as the token call does
        raise ValidationFailed(error.message, {"otp": error.fields["code"]}) from None
    db.session.commit()
    return RecoveryCodesOut(codes=codes).model_dump()


@api_route(
    "/me/password",
    methods=["POST"],
    summary="Change the caller's password; ends every other session and token",
    tags=["auth"],
    body=PasswordIn,
)
@logged_in
def change_my_password():
    data = parse_body(PasswordIn)
    services.change_password(current_actor(), data.current_password, data.new_password)
    db.session.commit()
    return {"changed": True}


@api_route(
    "/users",
    summary="List users (administrators)",
    tags=["admin"],
    query=UserQuery,
    response=UserList,
)
@roles_required(Role.ADMIN)
def list_users():
    query = parse_query(UserQuery)
    page = db.paginate(
        services.search_users(query.q, query.role),
        page=query.page,
        per_page=query.per_page,
        error_out=False,
    )
    return UserList(
        items=[UserOut.model_validate(u) for u in page.items],
        page=PageInfo.of(page),
    ).model_dump()


@api_route(
    "/users",
    methods=["POST"],
    summary="Create a user with any role (administrators)",
    tags=["admin"],
    body=UserCreateIn,
    response=UserOut,
    status=201,
    errors=(409,),
)
@roles_required(Role.ADMIN)
def create_user():
    data = parse_body(UserCreateIn)
    user = services.create_user(
        username=data.username,
        password=data.password,
        display_name=data.display_name,
        role=Role(data.role),
        email=data.email,
        actor=current_actor(),
    )
    db.session.commit()
    return UserOut.model_validate(user).model_dump(), 201


@api_route(
    "/users/<int:user_id>",
    summary="One user (administrators)",
    tags=["admin"],
    response=UserOut,
    errors=(404,),
)
@roles_required(Role.ADMIN)
def get_user(user_id: int):
    return UserOut.model_validate(services.get_user(user_id)).model_dump()


@api_route(
    "/users/<int:user_id>",
    methods=["PATCH"],
    summary="Change a user's role, status or details (administrators)",
    tags=["admin"],
    body=UserPatchIn,
    response=UserOut,
    errors=(404,),
)
@roles_required(Role.ADMIN)
def update_user(user_id: int):
    data = parse_body(UserPatchIn)
    user = services.update_user(
        current_actor(),
        services.get_user(user_id),
        role=Role(data.role) if data.role else None,
        active=data.active,
        display_name=data.display_name,
        email=data.email,
    )
    db.session.commit()
    return UserOut.model_validate(user).model_dump()
