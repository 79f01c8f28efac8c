"""The expiry watch: reminders before credentials expire, "qualification lapsed" after.

A sweep (`members.expiry_watch`, hourly, so it acts within an hour of a new day in
Asia/Shanghai) that is safe to run any number of times:

- Reminders: every approved member's credential (qualification certificate, ISO 9001,
  industry certification, instrument calibrations) and every active staff member's dated
  certificate that expires within 60 days gets the reminder of its stage (60, then 30 days;
  `rules.reminder_stage`), once: `reminders_sent` has a unique (credential ref, stage) key,
  and the ref names the credential and its expiry date, so a renewed certificate is
  reminded of again, and one a renewal left unchanged is not.
- Lapse: a member whose qualification certificate, a required calibration, or its ISO 9001
  / industry certification (whichever it relies on) is no longer valid is flagged
  "qualification lapsed" (the rules decide, as on the checklist: a certificate valid to
  day D is valid on D and lapsed from D+1). The flag clears when a renewal is approved.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, exists, select

from portal import audit, clock, scheduler
from portal.extensions import db
from portal.members.constants import REMINDER_DAYS, StaffCertificate
from portal.members.models import (
    INDUSTRY,
    ISO9001,
    Credential,
    DraftRescue,
    Member,
    ReminderSent,
)
from portal.members.rules import Status, evaluate, reminder_stage
from portal.members.services import notices
from portal.members.services.credentials import credential_label, member_rule_input
from portal.members.staff_models import StaffCertificate as StaffCertificateRow
from portal.members.staff_models import StaffMember

LAPSING_CODES = ("qualification.certificate", "quality.certification")
RESCUE_KEPT = timedelta(days=2)
ACTOR = "scheduler:members.expiry_watch"


def _due_credentials(on: date, horizon: date):
    return db.session.execute(
        select(Credential, Member)
        .join(Member, Member.id == Credential.member_id)
        .where(
            Member.member_no.is_not(None), Credential.valid_to >= on, Credential.valid_to <= horizon
        )
        .order_by(Credential.valid_to, Credential.id)
    ).all()


def _due_staff_certificates(on: date, horizon: date):
    return db.session.execute(
        select(StaffCertificateRow, StaffMember, Member)
        .join(StaffMember, StaffMember.id == StaffCertificateRow.staff_id)
        .join(Member, Member.id == StaffMember.member_id)
        .where(
            Member.member_no.is_not(None),
            StaffMember.active.is_(True),
            StaffCertificateRow.valid_to >= on,
            StaffCertificateRow.valid_to <= horizon,
        )
        .order_by(StaffCertificateRow.valid_to, StaffCertificateRow.id)
    ).all()


def _staff_certificate_label(row: StaffCertificateRow, person: StaffMember) -> str:
    try:
        what = StaffCertificate(row.code).label
    except ValueError:
        what = row.code
    return _("%(certificate)s of %(person)s", certificate=what, person=person.name)


def credential_ref(row: Credential) -> str:
    """What a reminder is about: the member's credential of this kind (and instrument), this
    number and this expiry date. A renewal that keeps a credential unchanged keeps its ref (no
    second reminder); a new expiry date is a new ref (reminded again)."""
    number = hashlib.sha256((row.number or "").encode()).hexdigest()[:10]
    return f"m{row.member_id}:{row.kind}:{row.subject or '-'}:{row.valid_to.isoformat()}:{number}"


def staff_certificate_ref(row: StaffCertificateRow) -> str:
    return f"s{row.staff_id}:{row.code}:{row.valid_to.isoformat()}"


def send_reminders(on: date) -> int:
    horizon = on + timedelta(days=max(REMINDER_DAYS))
    due: list[tuple[str, Member, date, object]] = []
    for row, member in _due_credentials(on, horizon):
        due.append(
            (credential_ref(row), member, row.valid_to, lambda row=row: credential_label(row))
        )
    for row, person, member in _due_staff_certificates(on, horizon):
        due.append(
            (
                staff_certificate_ref(row),
                member,
                row.valid_to,
                lambda row=row, person=person: _staff_certificate_label(row, person),
            )
        )
    if not due:
        return 0
    refs = {ref for ref, *_rest in due}
    sent = {
        (row.credential_ref, row.stage)
        for row in db.session.execute(
            select(ReminderSent.credential_ref, ReminderSent.stage).where(
                ReminderSent.credential_ref.in_(refs)
            )
        )
    }
    count = 0
    for ref, member, expires_on, label in due:
        stage = reminder_stage(expires_on, on)
        if stage is None or (ref, stage) in sent:
            continue
        sent.add((ref, stage))
        db.session.add(
            ReminderSent(
                credential_ref=ref,
                stage=stage,
                member_id=member.id,
                expires_on=expires_on,
                sent_at=clock.now(),
            )
        )
        audit.record(
            "member.expiry_reminder_sent",
            member,
            actor=ACTOR,
            payload={"credential_ref": ref, "stage": stage, "expires_on": expires_on.isoformat()},
        )
        days_left = (expires_on - on).days

        def text(label=label, expires_on=expires_on, days_left=days_left):
            return (
                _("Expires in %(n)s days: %(what)s", n=days_left, what=label()),
                _(
                    "%(what)s expires on %(date)s. Renew it in time and apply for a renewal of "
                    "your credentials in the portal, or the membership will be flagged "
                    "“qualification lapsed” on its public profile.",
                    what=label(),
                    date=expires_on.isoformat(),
                ),
            )

        notices.tell_member(member, "member.expiry_reminder", text, link=notices.AGENCY_HOME_PATH)
        count += 1
    return count


def lapsed_reasons(member: Member, on: date) -> list[str]:
    """The rule codes that make the member's qualification lapse on `on` ([] if none)."""
    result = evaluate(member_rule_input(member), on)
    return [
        item.code
        for item in result.results
        if item.status is Status.FAIL
        and (item.code in LAPSING_CODES or item.code.startswith("equipment."))
    ]


def _lapsed_on(member: Member, reasons: list[str], on: date) -> date:
    """The first day the member's qualification was no longer valid: the day after the last
    valid day of the credential that failed first (the sweep may run late, e.g. after an
    outage or when data is loaded; the date stays true)."""
    ends: list[date] = []
    for code in reasons:
        if code == "qualification.certificate":
            rows = [c for c in member.credentials if c.kind == "qualification"]
        elif code == "quality.certification":
            rows = [c for c in member.credentials if c.kind in (ISO9001, INDUSTRY)]
        else:
            kind = code.removeprefix("equipment.")
            rows = [c for c in member.credentials if c.kind == "calibration" and c.subject == kind]
        last = max((c.valid_to for c in rows if c.valid_to and c.valid_to < on), default=None)
        if last is not None:
            ends.append(last + timedelta(days=1))
    return min(ends, default=on)


def flag_lapsed(on: date) -> int:
    candidates = db.session.scalars(
        select(Member)
        .where(
            Member.member_no.is_not(None),
            Member.qualification_lapsed.is_(False),
            exists().where(Credential.member_id == Member.id, Credential.valid_to < on),
        )
        .order_by(Member.id)
    ).all()
    count = 0
    for member in candidates:
        reasons = lapsed_reasons(member, on)
        if not reasons:
            continue
        member.qualification_lapsed = True
        member.lapsed_since = _lapsed_on(member, reasons, on)
        audit.record(
            "member.qualification_lapsed",
            member,
            actor=ACTOR,
            payload={
                "rules": reasons,
                "on": on.isoformat(),
                "since": member.lapsed_since.isoformat(),
            },
        )
        notices.tell_member(
            member,
            "member.qualification_lapsed",
            lambda: (
                _("Your qualification has lapsed"),
                _(
                    "A required credential of your agency has expired, so the public "
                    "profile now shows “qualification lapsed”. Apply for a renewal in the "
                    "portal; the flag clears when it is approved."
                ),
            ),
            link=notices.AGENCY_HOME_PATH,
        )
        count += 1
    return count


def forget_old_rescues() -> int:
    result = db.session.execute(
        delete(DraftRescue).where(DraftRescue.created_at < clock.now() - RESCUE_KEPT)
    )
    return result.rowcount or 0


def sweep(on: date | None = None) -> int:
    """Send due reminders and flag lapsed members on `on` (default today); how many acts."""
    on = on or clock.today()
    acted = send_reminders(on) + flag_lapsed(on)
    forget_old_rescues()
    return acted


@scheduler.job("members.expiry_watch", minutes=60)
def expiry_watch_job() -> int:
    return sweep()
