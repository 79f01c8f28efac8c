"""Staff records of a member: people, their certificates, training hours and examinations.

The agency's own users keep them; the secretariat reads them when it reviews. Compliance
is the rule engine's (`staff_rules.evaluate_staff`) on records converted by `staff_input`.
A failed annual examination suspends the person's practice (`practice_suspended`, audited)
until a later pass is recorded.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from portal import audit, clock
from portal.errors import NotFound, ValidationFailed
from portal.extensions import db
from portal.members.constants import StaffCertificate, StaffRole
from portal.members.models import Member
from portal.members.services.access import belongs_to, is_secretariat, require_member_user
from portal.members.staff_models import (
    CONTINUING,
    PRE_JOB,
    TRAINING_KINDS,
    ExamRecord,
    StaffMember,
    TrainingRecord,
)
from portal.members.staff_models import (
    StaffCertificate as CertificateRow,
)
from portal.members.staff_rules import StaffCompliance, StaffInput, evaluate_staff

NAME_MAX = 50
NUMBER_MAX = 60
COURSE_MAX = 200
NOTE_MAX = 200
MAX_HOURS_PER_RECORD = 500


@dataclass(frozen=True)
class CertificateIn:
    code: str
    number: str = ""
    valid_to: date | None = None


# --- reading -------------------------------------------------------------------------------


def staff_of(member: Member | None, include_inactive: bool = False) -> list[StaffMember]:
    if member is None or member.id is None:
        return []
    stmt = select(StaffMember).where(StaffMember.member_id == member.id)
    if not include_inactive:
        stmt = stmt.where(StaffMember.active.is_(True))
    return list(db.session.scalars(stmt.order_by(StaffMember.role, StaffMember.id)))


def staff_input(person: StaffMember) -> StaffInput:
    """The rule engine's view of one staff record."""
    continuing: dict[int, float] = defaultdict(float)
    pre_job = 0.0
    for record in person.training:
        if record.kind == PRE_JOB:
            pre_job += record.hours
        elif record.kind == CONTINUING:
            continuing[record.completed_on.year] += record.hours
    return StaffInput(
        role=person.role,
        certificates=frozenset(row.code for row in person.certificates),
        experience_years=person.experience_years,
        pre_job_hours=pre_job,
        first_assignment=person.first_assignment,
        continuing_hours_by_year=dict(continuing),
        exam_results=[(exam.taken_on, exam.passed) for exam in person.exams],
        name=person.name,
        ref=str(person.id),
    )


def staff_inputs(member: Member | None) -> list[StaffInput]:
    return [staff_input(person) for person in staff_of(member)]


def compliance(
    member: Member | None, on: date | None = None
) -> list[tuple[StaffMember, StaffCompliance]]:
    """Every active person of the agency with their verdict on `on` (default today)."""
    on = on or clock.today()
    return [(person, evaluate_staff(staff_input(person), on)) for person in staff_of(member)]


def hours_summary(person: StaffMember, year: int) -> dict[str, float]:
    pre_job = sum(r.hours for r in person.training if r.kind == PRE_JOB)
    this_year = sum(
        r.hours for r in person.training if r.kind == CONTINUING and r.completed_on.year == year
    )
    return {"pre_job": pre_job, "continuing_this_year": this_year}


def staff_for(actor: Any, staff_id: int, *, write: bool = False) -> StaffMember:
    """A staff record the actor may see (their agency's; the secretariat reads any)."""
    person = db.session.get(StaffMember, staff_id)
    allowed = person is not None and (
        belongs_to(actor, person.member_id) or (not write and is_secretariat(actor))
    )
    if not allowed:
        raise NotFound(_("No such staff record."))
    return person


# --- checking input ------------------------------------------------------------------------


def _check_person(
    name: str, role: str, experience_years: float | None, certificates: Sequence[CertificateIn]
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Required.")
    elif len(name) > NAME_MAX:
        errors["name"] = _("At most %(n)s characters.", n=NAME_MAX)
    if role not in set(StaffRole):
        errors["role"] = _("Choose a role.")
    if experience_years is None:
        errors["experience_years"] = _("Required.")
    elif not 0 <= experience_years <= 60:
        errors["experience_years"] = _("Between 0 and 60 years.")
    seen = set()
    for item in certificates:
        if item.code not in set(StaffCertificate):
            errors["certificates"] = _("Unknown certificate: %(code)s.", code=item.code)
        elif item.code in seen:
            errors["certificates"] = _("A certificate is listed twice.")
        elif len(item.number or "") > NUMBER_MAX:
            errors[f"cert_{item.code}_number"] = _("At most %(n)s characters.", n=NUMBER_MAX)
        seen.add(item.code)
    return errors


def _raise_if(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationFailed(_("Some fields need correcting."), errors)


# --- changing ------------------------------------------------------------------------------


def save_person(
    actor: Any,
    member: Member,
    person: StaffMember | None = None,
    *,
    name: str,
    role: str,
    experience_years: float | None,
    first_assignment: date | None,
    certificates: Iterable[CertificateIn] = (),
    active: bool = True,
) -> StaffMember:
    """Add a person to the agency (person=None) or change one; the caller commits."""
    require_member_user(actor)
    if not belongs_to(actor, member.id) or (person is not None and person.member_id != member.id):
        raise NotFound(_("No such staff record."))
    name = " ".join((name or "").split())
    certificates = list(certificates)
    _raise_if(_check_person(name, role, experience_years, certificates))
    created = person is None
    if person is None:
        person = StaffMember(member_id=member.id, created_at=clock.now())
        db.session.add(person)
    person.name, person.role = name, role
    person.experience_years = experience_years
    person.first_assignment = first_assignment
    person.active = active
    person.updated_at = clock.now()
    existing = {row.code: row for row in person.certificates}
    wanted = {item.code: item for item in certificates}
    for code, row in existing.items():
        if code not in wanted:
            person.certificates.remove(row)
    for code, item in wanted.items():
        row = existing.get(code)
        if row is None:
            row = CertificateRow(code=code)
            person.certificates.append(row)
        row.number = (item.number or "").strip() or None
        row.valid_to = item.valid_to
    audit.record(
        "staff.created" if created else "staff.updated",
        person,
        actor=actor,
        payload={
            "member_id": member.id,
            "role": role,
            "active": active,
            "certificates": sorted(wanted),
        },
    )
    return person


def add_training(
    actor: Any,
    person: StaffMember,
    *,
    kind: str,
    hours: float | None,
    completed_on: date | None,
    course: str = "",
) -> TrainingRecord:
    require_member_user(actor)
    if not belongs_to(actor, person.member_id):
        raise NotFound(_("No such staff record."))
    errors: dict[str, str] = {}
    if kind not in TRAINING_KINDS:
        errors["kind"] = _("Choose pre-job training or continuing education.")
    if hours is None:
        errors["hours"] = _("Required.")
    elif not 0 < hours <= MAX_HOURS_PER_RECORD:
        errors["hours"] = _("Between 0.5 and %(n)s hours.", n=MAX_HOURS_PER_RECORD)
    if completed_on is None:
        errors["completed_on"] = _("Required.")
    elif completed_on > clock.today():
        errors["completed_on"] = _("Training cannot be recorded before it is completed.")
    course = " ".join((course or "").split())
    if len(course) > COURSE_MAX:
        errors["course"] = _("At most %(n)s characters.", n=COURSE_MAX)
    _raise_if(errors)
    record = TrainingRecord(
        kind=kind,
        hours=float(hours),
        completed_on=completed_on,
        course=course,
        recorded_by_id=getattr(actor, "id", None),
        created_at=clock.now(),
    )
    person.training.append(record)
    person.updated_at = clock.now()
    audit.record(
        "staff.training_recorded",
        person,
        actor=actor,
        payload={
            "member_id": person.member_id,
            "kind": kind,
            "hours": float(hours),
            "completed_on": completed_on.isoformat(),
        },
    )
    return record


def record_exam(
    actor: Any, person: StaffMember, *, taken_on: date | None, passed: bool | None, note: str = ""
) -> ExamRecord:
    """Record an annual examination; a fail suspends the person's practice, a later pass
    restores it (both audited)."""
    require_member_user(actor)
    if not belongs_to(actor, person.member_id):
        raise NotFound(_("No such staff record."))
    errors: dict[str, str] = {}
    if taken_on is None:
        errors["taken_on"] = _("Required.")
    elif taken_on > clock.today():
        errors["taken_on"] = _("An examination cannot be recorded before it is taken.")
    if passed is None:
        errors["passed"] = _("Choose passed or failed.")
    note = " ".join((note or "").split())
    if len(note) > NOTE_MAX:
        errors["note"] = _("At most %(n)s characters.", n=NOTE_MAX)
    _raise_if(errors)
    exam = ExamRecord(
        taken_on=taken_on,
        passed=bool(passed),
        note=note,
        recorded_by_id=getattr(actor, "id", None),
        created_at=clock.now(),
    )
    person.exams.append(exam)
    person.updated_at = clock.now()
    audit.record(
        "staff.exam_recorded",
        person,
        actor=actor,
        payload={
            "member_id": person.member_id,
            "passed": bool(passed),
            "taken_on": taken_on.isoformat(),
        },
    )
    suspended = evaluate_staff(staff_input(person), clock.today()).practice_suspended
    if suspended != person.practice_suspended:
        person.practice_suspended = suspended
        audit.record(
            "staff.practice_suspended" if suspended else "staff.practice_restored",
            person,
            actor=actor,
            payload={"member_id": person.member_id},
        )
    return exam
