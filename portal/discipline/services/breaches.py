"""Personal-data breach reports (SPEC 4): a member must report within 2 hours of
discovering a breach. The report time is the moment the portal stores the report; one more
than 2 hours after the discovery is flagged `late` and offered to the secretariat as a
discipline case (`cases.open_from_breach`) or closed without one, with a note."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext as _

from portal import audit, clock
from portal.discipline.constants import BREACH_LIMIT_HOURS, TEXT_MAX
from portal.discipline.models import BreachReport
from portal.discipline.services import access, notices
from portal.discipline.states import Action, BreachStatus, check
from portal.errors import NotPermitted, ValidationFailed
from portal.extensions import db

LIMIT = timedelta(hours=BREACH_LIMIT_HOURS)


def report_breach(
    actor: Any,
    *,
    discovered_at: datetime | None,
    description: str,
    affected_count: int | None = None,
    measures_taken: str = "",
) -> BreachReport:
    member_id = access.agency_of(actor)
    if member_id is None:
        raise NotPermitted(_("Only a member agency's users report breaches."))
    now = clock.now()
    fields: dict[str, str] = {}
    if discovered_at is None:
        fields["discovered_at"] = _("Required.")
    elif discovered_at.tzinfo is None:
        fields["discovered_at"] = _("Give the time with its time zone.")
    elif discovered_at > now:
        fields["discovered_at"] = _("The discovery cannot be in the future.")
    text = (description or "").strip()
    if len(text) < 10:
        fields["description"] = _("Describe the breach in at least %(n)d characters.", n=10)
    elif len(text) > TEXT_MAX:
        fields["description"] = _("Use at most %(n)d characters.", n=TEXT_MAX)
    if affected_count is not None and affected_count < 0:
        fields["affected_count"] = _("A number of people, 0 or more.")
    if len(measures_taken or "") > TEXT_MAX:
        fields["measures_taken"] = _("Use at most %(n)d characters.", n=TEXT_MAX)
    if fields:
        raise ValidationFailed(_("The report cannot be sent."), fields)
    report = BreachReport(
        member_id=member_id,
        status=BreachStatus.RECEIVED.value,
        discovered_at=discovered_at,
        reported_at=now,
        late=now - discovered_at > LIMIT,
        description=text,
        affected_count=affected_count,
        measures_taken=(measures_taken or "").strip(),
        reported_by_id=actor.id,
    )
    db.session.add(report)
    db.session.flush()
    audit.record(
        "discipline.breach_reported",
        report,
        actor=actor,
        payload={
            "member_id": member_id,
            "late": report.late,
            "delay_minutes": report.delay_minutes,
        },
    )
    notices.tell_staff(
        "discipline.breach",
        lambda: (
            _("Late data-breach report") if report.late else _("Data-breach report"),
            _(
                "%(agency)s reported a personal-data breach %(minutes)d minutes after "
                "discovering it.",
                agency=report.member.name,
                minutes=report.delay_minutes,
            ),
        ),
        "/staff/discipline/breaches",
    )
    return report


def close_without_case(actor: Any, report: BreachReport, note: str) -> BreachReport:
    access.require_staff(actor)
    text = (note or "").strip()
    if not text:
        raise ValidationFailed(_("Required."), {"note": _("Required.")})
    before = report.status
    report.status = check(BreachStatus, before, Action.NO_CASE).value
    report.handled_at, report.handled_by_id, report.handling_note = clock.now(), actor.id, text
    audit.record(
        "discipline.breach_no_case",
        report,
        actor=actor,
        payload={"from": before, "to": report.status},
    )
    return report
