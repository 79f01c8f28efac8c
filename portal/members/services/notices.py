"""Telling people: the agency's users and the secretariat, in the portal and by e-mail.

Messages are written in the association's language (zh-CN) whatever the language of the
request that caused them: the recipient is someone else, and zh-CN comes first.
"""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import force_locale
from sqlalchemy import select

from portal import notifications
from portal.accounts.models import User
from portal.extensions import db
from portal.members.models import Member, MemberUser
from portal.security import Role

NOTICE_LOCALE = "zh_CN"


def member_users(member: Member) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(MemberUser, MemberUser.user_id == User.id)
            .where(MemberUser.member_id == member.id, User.active.is_(True))
            .order_by(User.id)
        )
    )


def _send(
    users: list[User], kind: str, text: Callable[[], tuple[str, str]], link: str | None, email: bool
) -> int:
    with force_locale(NOTICE_LOCALE):
        title, body = text()
    for user in users:
        notifications.notify(user, kind=kind, title=title, body=body, link=link, email=email)
    return len(users)


def tell_member(
    member: Member, kind: str, text: Callable[[], tuple[str, str]], link: str | None = None
) -> int:
    """Notify every active user of the agency (and e-mail them); how many."""
    return _send(member_users(member), kind, text, link, email=True)


def tell_secretariat(
    kind: str, text: Callable[[], tuple[str, str]], link: str | None = None
) -> int:
    """Notify every active secretariat user in the portal (no e-mail: it is their queue)."""
    staff = list(
        db.session.scalars(select(User).where(User.role == Role.STAFF.value, User.active.is_(True)))
    )
    return _send(staff, kind, text, link, email=False)


# Links in notifications are paths (a sweep has no request to build URLs from); a test
# checks they match the routes.
def agency_application_path(application_id: int) -> str:
    return f"/agency/applications/{application_id}"


def review_path(application_id: int) -> str:
    return f"/secretariat/applications/{application_id}"


AGENCY_HOME_PATH = "/agency"
