"""Telling people about a complaint: the complainant, the secretariat, the agency, the panel.

Messages are written in the association's language (zh-CN), whatever the language of the
request that caused them: the recipient is someone else. The complainant hears through
their account (a notification, and e-mail to the account's address) and, when they gave
an e-mail address with the complaint, by e-mail to it. Staff hear in the portal only (it
is their queue). A receipt code is never put in a message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from portal import mail, notifications
from portal.accounts.models import User
from portal.complaints.constants import FINDING_LABELS, REJECTION_TEXTS, label
from portal.complaints.models import Complaint
from portal.extensions import db
from portal.members.models import MemberUser
from portal.security import Role

NOTICE_LOCALE = "zh_CN"
Text = Callable[[], tuple[str, str]]


def my_path(complaint: Complaint) -> str:
    return f"/my/complaints/{complaint.tracking_number}"


def staff_path(complaint: Complaint) -> str:
    return f"/staff/complaints/{complaint.tracking_number}"


def agency_path(complaint: Complaint) -> str:
    return f"/agency/complaints/{complaint.tracking_number}"


def _words(text: Text) -> tuple[str, str]:
    with force_locale(NOTICE_LOCALE):
        return text()


def tell_complainant(complaint: Complaint, kind: str, text: Text) -> int:
    """Notify the complainant's account and e-mail the address they gave; how many."""
    title, body = _words(text)
    sent = 0
    account = db.session.get(User, complaint.user_id) if complaint.user_id else None
    if account is not None and account.active:
        notifications.notify(account, kind=kind, title=title, body=body, link=my_path(complaint))
        sent += 1
    given = mail.clean_address(complaint.email)
    if given and (account is None or mail.clean_address(account.email) != given):
        mail.queue_mail(
            given, title, body, kind=kind, object_type="complaints", object_id=complaint.id
        )
        sent += 1
    return sent


def staff_users() -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.role == Role.STAFF.value, User.active.is_(True))
            .order_by(User.id)
        )
    )


def tell_users(users: Iterable[User], kind: str, text: Text, link: str | None) -> int:
    title, body = _words(text)
    return notifications.notify_many(users, kind=kind, title=title, body=body, link=link)


def tell_agency(complaint: Complaint, kind: str, text: Text) -> int:
    if complaint.member_id is None:
        return 0
    users = db.session.scalars(
        select(User)
        .join(MemberUser, MemberUser.user_id == User.id)
        .where(MemberUser.member_id == complaint.member_id, User.active.is_(True))
        .order_by(User.id)
    )
    title, body = _words(text)
    count = 0
    for user in users:
        notifications.notify(user, kind=kind, title=title, body=body, link=agency_path(complaint))
        count += 1
    return count


# --- the texts -----------------------------------------------------------------------------


def acknowledgment(complaint: Complaint) -> Text:
    def text():
        return (
            _("Complaint %(number)s received", number=complaint.tracking_number),
            _(
                "We have received your complaint about %(agency)s. Its tracking number is "
                "%(number)s. We will decide whether to accept it within 5 working days. "
                "Anonymous complainants follow it with the receipt code shown when it was "
                "filed; the code is never sent by e-mail.",
                agency=complaint.agency_name,
                number=complaint.tracking_number,
            ),
        )

    return text


def accepted(complaint: Complaint) -> Text:
    def text():
        return (
            _("Complaint %(number)s accepted", number=complaint.tracking_number),
            _(
                "Your complaint %(number)s has been accepted and will be investigated. "
                "You will be told the outcome.",
                number=complaint.tracking_number,
            ),
        )

    return text


def rejected(complaint: Complaint) -> Text:
    def text():
        reason = (
            str(REJECTION_TEXTS[complaint.rejection_code])
            if complaint.rejection_code in REJECTION_TEXTS
            else complaint.rejection_reason or ""
        )
        return (
            _("Complaint %(number)s not accepted", number=complaint.tracking_number),
            _(
                "Your complaint %(number)s cannot be accepted. Reason: %(reason)s",
                number=complaint.tracking_number,
                reason=reason,
            ),
        )

    return text


def material_requested(complaint: Complaint) -> Text:
    def text():
        return (
            _("Material needed for complaint %(number)s", number=complaint.tracking_number),
            _(
                "To continue with your complaint %(number)s we need more material: "
                "%(request)s Add it in the portal (My complaints, or Track a complaint with "
                "your receipt code). The deadline is paused until it arrives.",
                number=complaint.tracking_number,
                request=complaint.material_request or "",
            ),
        )

    return text


def outcome(complaint: Complaint) -> Text:
    def text():
        return (
            _("Outcome of complaint %(number)s", number=complaint.tracking_number),
            _(
                "Your complaint %(number)s has been resolved. Finding: %(finding)s. %(outcome)s",
                number=complaint.tracking_number,
                finding=label(FINDING_LABELS, complaint.finding),
                outcome=complaint.outcome or "",
            ),
        )

    return text


def for_agency(complaint: Complaint) -> Text:
    def text():
        return (
            _("A complaint about your agency: %(number)s", number=complaint.tracking_number),
            _(
                "The association has accepted complaint %(number)s about your agency. "
                "Please read it and send your written response in the portal.",
                number=complaint.tracking_number,
            ),
        )

    return text


def for_handler(complaint: Complaint) -> Text:
    def text():
        return (
            _("Complaint %(number)s assigned to you", number=complaint.tracking_number),
            _("You now handle complaint %(number)s.", number=complaint.tracking_number),
        )

    return text


def for_panel(complaint: Complaint, field_label: str) -> Text:
    def text():
        return (
            _("Expert panel for complaint %(number)s", number=complaint.tracking_number),
            _(
                "You sit on the expert panel of complaint %(number)s as %(field)s.",
                number=complaint.tracking_number,
                field=field_label,
            ),
        )

    return text


def deadline_warning(complaint: Complaint, deadline_label: str, percent: int, due: str) -> Text:
    def text():
        return (
            _(
                "%(percent)d%% of a deadline used: %(number)s",
                percent=percent,
                number=complaint.tracking_number,
            ),
            _(
                "Complaint %(number)s: %(percent)d%% of the time for “%(deadline)s” has "
                "passed. It is due on %(due)s.",
                number=complaint.tracking_number,
                percent=percent,
                deadline=deadline_label,
                due=due,
            ),
        )

    return text


def escalation(complaint: Complaint, deadline_label: str, due: str) -> Text:
    def text():
        return (
            _("Overdue: complaint %(number)s", number=complaint.tracking_number),
            _(
                "Complaint %(number)s has missed its deadline “%(deadline)s” (due %(due)s). "
                "It is escalated to the head of the secretariat.",
                number=complaint.tracking_number,
                deadline=deadline_label,
                due=due,
            ),
        )

    return text
