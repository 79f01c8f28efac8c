"""Account rules: registration, sign-in, password changes, role administration.

Services take an explicit actor, never read the request, and never commit.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from portal import audit, clock, text_search
from portal.accounts.models import User
from portal.accounts.passwords import hash_password, needs_rehash, password_problem, verify_password
from portal.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from portal.extensions import db
from portal.security import Role

USERNAME_RE = re.compile(r"^[A-Za-z0-9_.-]{3,64}$")
SELF_SERVICE_ROLES = (Role.WORKER, Role.MEMBER)


def _check_new_password(password: str, username: str, field: str = "password") -> None:
    problem = password_problem(password, username)
    if problem:
        raise ValidationFailed(_("The password is too weak."), {field: _password_reason(problem)})


def _password_reason(problem: str) -> str:
    reasons = {
        "at least": _("Use at least %(n)s characters.", n=10),
        "at most": _("Use at most %(n)s characters.", n=256),
        "must not": _("The password must not contain the username."),
        "too common": _("This password is too common; choose another."),
    }
    for prefix, reason in reasons.items():
        if problem.startswith(prefix):
            return reason
    return problem


def _check_username(username: str) -> None:
    if not USERNAME_RE.match(username):
        raise ValidationFailed(
            _("The username is not valid."),
            {"username": _("3 to 64 letters, digits, dots, dashes or underscores.")},
        )
    taken = db.session.scalar(select(User.id).where(func.lower(User.username) == username.lower()))
    if taken:
        raise Conflict(_("That username is taken."), {"username": _("That username is taken.")})


def create_user(
    *,
    username: str,
    password: str,
    display_name: str,
    role: Role,
    email: str | None = None,
    actor: User | None = None,
) -> User:
    username = username.strip()
    _check_username(username)
    _check_new_password(password, username)
    if not display_name.strip():
        raise ValidationFailed(_("A name is required."), {"display_name": _("Required.")})
    user = User(
        username=username,
        email=(email or "").strip() or None,
        display_name=display_name.strip(),
        role=Role(role).value,
        password_hash=hash_password(password),
    )
    db.session.add(user)
    audit.record("user.created", user, actor=actor or user, payload={"role": user.role})
    return user


def register(
    *, username: str, password: str, display_name: str, role: Role, email: str | None = None
) -> User:
    """Self-service registration: workers and member agency users only."""
    if Role(role) not in SELF_SERVICE_ROLES:
        raise NotPermitted(
            _("This role cannot be chosen at registration."), {"role": _("Not allowed.")}
        )
    return create_user(
        username=username, password=password, display_name=display_name, role=role, email=email
    )


def check_password(username: str, password: str) -> User | None:
    """The user if the password matches an active account; None otherwise (same cost either
    way). Does not sign in: see `record_login`."""
    user = db.session.scalar(
        select(User).where(func.lower(User.username) == (username or "").strip().lower())
    )
    if not verify_password(user.password_hash if user else None, password or ""):
        return None
    if not user.active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def record_login(user: User, second_factor: str | None = None) -> None:
    user.last_login_at = clock.now()
    payload = {"second_factor": second_factor} if second_factor else None
    audit.record("auth.login", user, actor=user, payload=payload)


def authenticate(username: str, password: str) -> User | None:
    """Password-only sign-in (workers and member agencies): the user, signed in, or None."""
    user = check_password(username, password)
    if user is not None:
        record_login(user)
    return user


def change_password(user: User, current_password: str, new_password: str) -> None:
    if not verify_password(user.password_hash, current_password):
        raise ValidationFailed(
            _("The current password is wrong."),
            {"current_password": _("The current password is wrong.")},
        )
    _check_new_password(new_password, user.username, field="new_password")
    user.password_hash = hash_password(new_password)
    user.session_version += 1  # every other session ends
    user.token_version += 1  # and every API token
    audit.record("user.password_changed", user, actor=user)


def logout(user: User) -> None:
    audit.record("auth.logout", user, actor=user)


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("No such user."))
    return user


def update_user(
    actor: User,
    user: User,
    *,
    role: Role | None = None,
    active: bool | None = None,
    display_name: str | None = None,
    email: str | None = None,
) -> User:
    """An administrator changes another user's role, status or details."""
    if actor.role != Role.ADMIN:
        raise NotPermitted(_("Only administrators manage users."))
    if user.id == actor.id and ((role is not None and Role(role) != Role.ADMIN) or active is False):
        raise ValidationFailed(
            _("You cannot remove your own administrator access."),
            {"role": _("Ask another administrator.")},
        )
    changes: dict[str, object] = {}
    if role is not None and Role(role).value != user.role:
        changes["role"] = [user.role, Role(role).value]
        user.role = Role(role).value
    if active is not None and active != user.active:
        changes["active"] = [user.active, active]
        user.active = active
    if (
        display_name is not None
        and display_name.strip()
        and display_name.strip() != user.display_name
    ):
        user.display_name = display_name.strip()
        changes["display_name_changed"] = True
    if email is not None and (email.strip() or None) != user.email:
        user.email = email.strip() or None
        changes["email_changed"] = True
    if changes:
        if "role" in changes or "active" in changes:
            user.session_version += 1
            user.token_version += 1
        audit.record("user.updated", user, actor=actor, payload=changes)
    return user


def search_users(query: str = "", role: str | None = None):
    stmt = select(User).order_by(User.username)
    if query:
        query = query.strip()
        stmt = stmt.where(
            or_(
                text_search.contains(User.username, query),
                text_search.contains(User.display_name, query),
            )
        )
    if role:
        stmt = stmt.where(User.role == role)
    return stmt
