"""Telling the agency and the secretariat about statements, disputes and credit repair.

Messages are written in the association's language (zh-CN): the recipient is someone else
than the person whose request caused them.
"""

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


def agency_path(entry_id: int) -> str:
    return f"/agency/publication/{entry_id}"


def staff_dispute_path(dispute_id: int) -> str:
    return f"/staff/publication/disputes/{dispute_id}"


def staff_repair_path(repair_id: int) -> str:
    return f"/staff/publication/repairs/{repair_id}"


def _words(text: Text) -> tuple[str, str]:
    with force_locale(NOTICE_LOCALE):
        return text()


def staff_users() -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.role == Role.STAFF.value, User.active.is_(True))
            .order_by(User.id)
        )
    )


def agency_users(member_id: int) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(MemberUser, MemberUser.user_id == User.id)
            .where(MemberUser.member_id == member_id, User.active.is_(True))
            .order_by(User.id)
        )
    )


def tell(users: Iterable[User], kind: str, text: Text, link: str, email: bool = True) -> int:
    title, body = _words(text)
    count = 0
    for user in users:
        notifications.notify(user, kind=kind, title=title, body=body, link=link, email=email)
        count += 1
    return count
