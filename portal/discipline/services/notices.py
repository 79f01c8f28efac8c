"""Telling people about discipline: the agency (notification and e-mail to each of its
users), the secretariat (in the portal). Messages are written in the association's language
(zh-CN) whatever the language of the request that caused them."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from flask_babel import force_locale
from sqlalchemy import select

from portal import notifications
from portal.accounts.models import User
from portal.extensions import db
from portal.members.models import MemberUser
from portal.security import Role

NOTICE_LOCALE = "zh_CN"
Text = Callable[[], tuple[str, str]]


def agency_path(decision_id: int) -> str:
    return f"/agency/discipline/decisions/{decision_id}"


def staff_case_path(case_id: int) -> str:
    return f"/staff/discipline/cases/{case_id}"


def staff_decision_path(decision_id: int) -> str:
    return f"/staff/discipline/decisions/{decision_id}"


def words(text: Text) -> tuple[str, str]:
    with force_locale(NOTICE_LOCALE):
        return text()


def agency_users(member_id: int) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(MemberUser, MemberUser.user_id == User.id)
            .where(MemberUser.member_id == member_id, User.active.is_(True))
            .order_by(User.id)
        )
    )


def staff_users() -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.role == Role.STAFF.value, User.active.is_(True))
            .order_by(User.id)
        )
    )


def tell_agency(member_id: int, kind: str, text: Text, link: str) -> int:
    """A notification and an e-mail to every active user of the agency; how many."""
    title, body = words(text)
    users = agency_users(member_id)
    for user in users:
        notifications.notify(user, kind=kind, title=title, body=body, link=link, email=True)
    return len(users)


def tell_staff(kind: str, text: Text, link: str, users: Iterable[User] | None = None) -> int:
    title, body = words(text)
    count = 0
    for user in staff_users() if users is None else users:
        notifications.notify(user, kind=kind, title=title, body=body, link=link, email=False)
        count += 1
    return count
