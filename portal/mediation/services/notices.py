"""Telling the parties, the panel and the secretariat about each step of a mediation case.

Messages are written in the association's language (zh-CN) whatever the language of the
request. The complainant hears through their account (a notification and e-mail) and by
e-mail to the address given with the complaint; the agency's users, the panel and staff
in the portal (agency users also by e-mail). A receipt code is never put in a message.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from portal import mail, notifications
from portal.accounts.models import User
from portal.complaints.services.notices import staff_users
from portal.extensions import db
from portal.mediation.models import MediationCase
from portal.members.models import MemberUser

NOTICE_LOCALE = "zh_CN"


def _texts(kind: str, case: MediationCase) -> tuple[str, str]:
    number, complaint = case.number, case.complaint.tracking_number
    texts = {
        "proposed": (
            _("Mediation proposed: complaint %(complaint)s", complaint=complaint),
            _(
                "The association proposes to mediate complaint %(complaint)s (case %(number)s). "
                "Mediation goes ahead only if both parties agree: please agree or decline in "
                "the portal.",
                complaint=complaint,
                number=number,
            ),
        ),
        "declined": (
            _("Mediation case %(number)s will not go ahead", number=number),
            _(
                "A party declined mediation of complaint %(complaint)s. The complaint "
                "continues as before.",
                complaint=complaint,
            ),
        ),
        "opened": (
            _("Mediation case %(number)s is open", number=number),
            _(
                "Both parties agreed to mediation of complaint %(complaint)s. A panel has "
                "been proposed and the first session will be scheduled by %(due)s.",
                complaint=complaint,
                due=case.first_due_date.isoformat(),
            ),
        ),
        "panel": (
            _("You sit on mediation panel %(number)s", number=number),
            _(
                "You have been placed on the panel of mediation case %(number)s.",
                number=number,
            ),
        ),
        "session": (
            _("Mediation session scheduled: %(number)s", number=number),
            _(
                "A session of mediation case %(number)s has been scheduled. See the date and "
                "the place or link in the portal.",
                number=number,
            ),
        ),
        "agreement": (
            _("Agreement to confirm: %(number)s", number=number),
            _(
                "The text of the agreement in mediation case %(number)s is ready. Read it and "
                "confirm it in the portal; it becomes final once both parties have confirmed.",
                number=number,
            ),
        ),
        "agreed": (
            _("Agreement confirmed: %(number)s", number=number),
            _(
                "Both parties confirmed the agreement in mediation case %(number)s. The text "
                "is final and complaint %(complaint)s is closed.",
                number=number,
                complaint=complaint,
            ),
        ),
        "failed": (
            _("Mediation failed: %(number)s", number=number),
            _(
                "Mediation of complaint %(complaint)s did not reach an agreement. %(notice)s",
                complaint=complaint,
                notice=case.notice_text or "",
            ),
        ),
    }
    return texts[kind]


def _words(kind: str, case: MediationCase) -> tuple[str, str]:
    with force_locale(NOTICE_LOCALE):
        return _texts(kind, case)


def my_path(case: MediationCase) -> str:
    return f"/my/mediation/{case.number}"


def agency_path(case: MediationCase) -> str:
    return f"/agency/mediation/{case.number}"


def staff_path(case: MediationCase) -> str:
    return f"/staff/mediation/{case.number}"


def panel_path(case: MediationCase) -> str:
    return f"/panel/mediation/{case.number}"


def agency_users(case: MediationCase) -> list[User]:
    if case.member_id is None:
        return []
    return list(
        db.session.scalars(
            select(User)
            .join(MemberUser, MemberUser.user_id == User.id)
            .where(MemberUser.member_id == case.member_id, User.active.is_(True))
            .order_by(User.id)
        )
    )


def tell_complainant(case: MediationCase, kind: str) -> int:
    complaint = case.complaint
    title, body = _words(kind, case)
    sent = 0
    account = db.session.get(User, complaint.user_id) if complaint.user_id else None
    if account is not None and account.active:
        notifications.notify(
            account, kind=f"mediation.{kind}", title=title, body=body, link=my_path(case)
        )
        sent += 1
    given = mail.clean_address(complaint.email)
    if given and (account is None or mail.clean_address(account.email) != given):
        mail.queue_mail(
            given,
            title,
            body,
            kind=f"mediation.{kind}",
            object_type="mediation_cases",
            object_id=case.id,
        )
        sent += 1
    return sent


def tell_agency(case: MediationCase, kind: str) -> int:
    title, body = _words(kind, case)
    users = agency_users(case)
    for user in users:
        notifications.notify(
            user, kind=f"mediation.{kind}", title=title, body=body, link=agency_path(case)
        )
    return len(users)


def tell_parties(case: MediationCase, kind: str) -> int:
    return tell_complainant(case, kind) + tell_agency(case, kind)


def tell_users(users: Iterable[User], case: MediationCase, kind: str, link: str) -> int:
    title, body = _words(kind, case)
    count = 0
    for user in users:
        notifications.notify(
            user, kind=f"mediation.{kind}", title=title, body=body, link=link, email=False
        )
        count += 1
    return count


def tell_panel(case: MediationCase, kind: str, only: Iterable[User] | None = None) -> int:
    users = list(only) if only is not None else [seat.user for seat in case.panel]
    return tell_users(users, case, kind, panel_path(case))


def tell_staff(case: MediationCase, kind: str) -> int:
    return tell_users(staff_users(), case, kind, staff_path(case))


def deadline_text(case: MediationCase, percent: int | None) -> tuple[str, str]:
    with force_locale(NOTICE_LOCALE):
        due = case.first_due_date.isoformat()
        if percent is None:
            return (
                _("Overdue: first mediation session of %(number)s", number=case.number),
                _(
                    "Mediation case %(number)s has no session scheduled and missed the "
                    "first-session deadline (%(due)s). It is escalated to the head of the "
                    "secretariat.",
                    number=case.number,
                    due=due,
                ),
            )
        return (
            _(
                "%(percent)d%% of the first-session deadline used: %(number)s",
                percent=percent,
                number=case.number,
            ),
            _(
                "Mediation case %(number)s: %(percent)d%% of the time to hold the first "
                "session has passed. Schedule it by %(due)s.",
                number=case.number,
                percent=percent,
                due=due,
            ),
        )
