"""The qualification checklist of an application or a member on a given day (SPEC section 1).

`evaluate(application, on)` returns a `Checklist`: one `RuleResult` per requirement, each
pass / fail / expiring / not applicable with the reason in words. The applicant sees it
live; the secretariat cannot approve while `checklist.passed` is False (a hard rule fails).
Missing data (None) is a fail whose reason says what is missing, never an exception.

Rule codes (stable; `requirement_codes(agency_type, scope)` lists them):

- agency.type (hard): the agency type is given.
- licence.present (hard): the business licence is provided.
- licence.credit_code (hard): the unified social credit code passes GB 32100-2015.
- qualification.certificate (hard): the qualification certificate is valid on the day.
- qualification.scope (hard): the approved scope names at least one hazard category.
- premises.area (hard): premises >= MIN_PREMISES_M2 (200 m²).
- premises.exam_rooms (hard): >= MIN_EXAM_ROOMS (4) independent examination rooms;
  not applicable except for examination institutions.
- equipment.<kind> (hard): one per instrument that `constants.required_instruments` requires
  for the type and scope: listed, with a calibration certificate valid on the day.
- equipment: only when no instrument is required, not applicable.
- quality.quality_manual, quality.procedure_documents, quality.work_instructions (hard):
  each of the three quality system documents is provided.
- quality.certification (hard): ISO 9001 or an industry certification valid on the day.
- staff.physician, staff.hygiene_tester, staff.health_promotion (hard): at least one
  professional of the role who may practise, for the roles the agency type needs
  (`constants.ROLES_NEEDED`); not applicable otherwise.
- staff.person.<ref> (soft): one per listed professional, their own compliance
  (`staff_rules.evaluate_staff`); <ref> is `StaffInput.ref`, else the 1-based position.

Validity (certificates and calibrations): valid when valid_from <= on <= valid_to, so a
certificate expiring today is still valid today (status expiring) and one that expired
yesterday fails. Expiring: valid and `valid_to - on <= EXPIRY_WARNING_DAYS` days (60 days
ahead is expiring, 61 passes). Expiring is not a failure.

Edge choices:
- Several instruments of one kind: the best one counts (a valid calibration, the latest
  expiry); an uncalibrated duplicate of a calibrated instrument is not a failure.
  Instruments that no rule requires are not in the checklist, but their calibrations are in
  `upcoming_expiries`.
- ISO 9001 or industry certification: whichever is in the better state counts (pass over
  expiring; the later expiry among equals).
- Staff: a professional's own shortcomings are soft results (`staff.person.*`: they may not
  practise, but the agency can still be approved); what is hard is that each role the agency
  type needs has at least one professional who may practise (`StaffCompliance.can_practise`).
- Certificates must carry a number and an issuer; valid_to before valid_from fails.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Any, NamedTuple, TypeVar

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.members.constants import (
    EXPIRY_WARNING_DAYS,
    MIN_EXAM_ROOMS,
    MIN_PREMISES_M2,
    REMINDER_DAYS,
    ROLES_NEEDED,
    AgencyType,
    HazardCategory,
    InstrumentKind,
    QualityDocument,
    StaffRole,
    required_instruments,
)
from portal.members.staff_rules import StaffCompliance, StaffInput, as_day, evaluate_staff
from portal.validators import credit_code_problem, normalize_credit_code

E = TypeVar("E", bound=enum.Enum)


class Status(enum.StrEnum):
    PASS = "pass"  # noqa: S105 (not a password)
    FAIL = "fail"
    # Passes today but needs action soon: a validity ends within EXPIRY_WARNING_DAYS, or
    # (staff.person.*) this year's training is still short.
    EXPIRING = "expiring"
    NOT_APPLICABLE = "not_applicable"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])


STATUS_LABELS = {
    Status.PASS: _l("Pass"),  # 符合
    Status.FAIL: _l("Fail"),  # 不符合
    Status.EXPIRING: _l("Expiring soon"),  # 即将到期
    Status.NOT_APPLICABLE: _l("Not applicable"),  # 不适用
}

# The names of the dated documents, used inside reasons ("%(what)s: expired on ...").
QUALIFICATION_LABEL = _l("Qualification certificate")  # 资质证书
ISO9001_LABEL = _l("ISO 9001 certificate")  # ISO 9001 质量管理体系认证证书
INDUSTRY_CERTIFICATION_LABEL = _l("Industry certification")  # 行业专项认证证书


# --- inputs ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Certificate:
    """A dated certificate: the qualification certificate, ISO 9001, an industry certification."""

    number: str
    issuer: str
    valid_from: date
    valid_to: date


@dataclass(frozen=True)
class Instrument:
    """One listed instrument and its metrology calibration certificate (计量检定/校准证书)."""

    kind: InstrumentKind
    calibration_certificate: str | None = None
    calibration_expires: date | None = None
    serial_number: str = ""


@dataclass(frozen=True)
class QualificationInput:
    """What the rules need from an application or a member's current record."""

    agency_type: AgencyType | None
    credit_code: str | None = None
    business_licence_present: bool = False
    qualification: Certificate | None = None
    approved_scope: frozenset[HazardCategory] = frozenset()
    premises_m2: Decimal | float | int | None = None
    exam_rooms: int | None = None
    instruments: Sequence[Instrument] = ()
    quality_documents: frozenset[QualityDocument] = frozenset()
    iso9001: Certificate | None = None
    industry_certification: Certificate | None = None
    staff: Sequence[StaffInput] = ()


# --- outputs -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleResult:
    code: str
    status: Status
    reason: str  # translated when the rule ran
    hard: bool
    subject: str | None = None  # which instrument, certificate or person

    @property
    def failed(self) -> bool:
        return self.status is Status.FAIL

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "status": self.status.value,
            "reason": self.reason,
            "hard": self.hard,
            "subject": self.subject,
        }


@dataclass(frozen=True)
class Checklist:
    results: tuple[RuleResult, ...]
    on: date
    staff: dict[str, StaffCompliance] = field(default_factory=dict, compare=False, repr=False)
    """Each listed professional's verdict, by the `staff.person.<ref>` code."""

    @property
    def passed(self) -> bool:
        """No hard rule fails: the secretariat may approve."""
        return not self.hard_failures

    @property
    def failures(self) -> list[RuleResult]:
        """Every failing result, hard and soft, in checklist order."""
        return [result for result in self.results if result.failed]

    @property
    def hard_failures(self) -> list[RuleResult]:
        return [result for result in self.results if result.failed and result.hard]

    @property
    def expiring(self) -> list[RuleResult]:
        return [result for result in self.results if result.status is Status.EXPIRING]

    @cached_property
    def by_code(self) -> dict[str, RuleResult]:
        return {result.code: result for result in self.results}

    def as_dict(self) -> dict[str, Any]:
        return {
            "on": self.on.isoformat(),
            "passed": self.passed,
            "results": [result.as_dict() for result in self.results],
        }


class Expiry(NamedTuple):
    """A dated credential for the reminder sweep. `what` is the rule code it belongs to."""

    what: str
    subject: str | None
    expires_on: date


# --- helpers -----------------------------------------------------------------------------------


def _coerce(kind: type[E], value: Any) -> E | None:
    try:
        return kind(value)
    except ValueError:
        return None


def _days(n: int) -> str:
    return _("expires today") if n == 0 else _("expires in %(n)s days", n=n)


def _no_type() -> str:
    return _("Depends on the agency type, which is not given.")


def fmt_decimal(value: Decimal) -> str:
    """180 not 180.00; 199.5 as is."""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def _area(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None
    return number if number.is_finite() else None


def certificate_status(certificate: Certificate | None, on: date, what: str) -> tuple[Status, str]:
    """The status of a dated certificate on `on`, and the reason (`what` names it)."""
    if certificate is None:
        return Status.FAIL, _("%(what)s: not given.", what=what)
    if not (certificate.number or "").strip():
        return Status.FAIL, _("%(what)s: the certificate number is missing.", what=what)
    if not (certificate.issuer or "").strip():
        return Status.FAIL, _("%(what)s: the issuing authority is missing.", what=what)
    start, end = certificate.valid_from, certificate.valid_to
    if not isinstance(start, date) or not isinstance(end, date):
        return Status.FAIL, _("%(what)s: the validity dates are missing.", what=what)
    if end < start:
        return Status.FAIL, _(
            "%(what)s: valid to %(end)s is before valid from %(start)s.",
            what=what,
            end=end.isoformat(),
            start=start.isoformat(),
        )
    if on < start:
        return Status.FAIL, _(
            "%(what)s: not valid until %(start)s.", what=what, start=start.isoformat()
        )
    if on > end:
        return Status.FAIL, _("%(what)s: expired on %(end)s.", what=what, end=end.isoformat())
    left = (end - on).days
    if left <= EXPIRY_WARNING_DAYS:
        return Status.EXPIRING, _(
            "%(what)s: valid until %(end)s, %(left)s.",
            what=what,
            end=end.isoformat(),
            left=_days(left),
        )
    return Status.PASS, _("%(what)s: valid until %(end)s.", what=what, end=end.isoformat())


def calibration_status(instrument: Instrument, on: date) -> tuple[Status, str]:
    """The status of one instrument's calibration on `on`, and the reason."""
    name = _coerce(InstrumentKind, instrument.kind)
    label = name.label if name else str(instrument.kind)
    if not (instrument.calibration_certificate or "").strip():
        return Status.FAIL, _(
            "%(instrument)s: no metrology calibration certificate.", instrument=label
        )
    expires = instrument.calibration_expires
    if not isinstance(expires, date):
        return Status.FAIL, _(
            "%(instrument)s: the calibration expiry date is not given.", instrument=label
        )
    if on > expires:
        return Status.FAIL, _(
            "%(instrument)s: calibration expired on %(date)s.",
            instrument=label,
            date=expires.isoformat(),
        )
    left = (expires - on).days
    if left <= EXPIRY_WARNING_DAYS:
        return Status.EXPIRING, _(
            "%(instrument)s: calibrated until %(date)s, %(left)s.",
            instrument=label,
            date=expires.isoformat(),
            left=_days(left),
        )
    return Status.PASS, _(
        "%(instrument)s: calibrated until %(date)s.", instrument=label, date=expires.isoformat()
    )


_RANK = {Status.PASS: 2, Status.EXPIRING: 1, Status.FAIL: 0, Status.NOT_APPLICABLE: 0}


def _later(expires: date | None) -> int:
    return expires.toordinal() if isinstance(expires, date) else 0


def _scope(app: QualificationInput) -> tuple[list[HazardCategory], list[str]]:
    """The approved hazard categories in enum order, and any unknown values."""
    given = list(app.approved_scope or ())
    known = {_coerce(HazardCategory, value) for value in given} - {None}
    unknown = sorted(str(value) for value in given if _coerce(HazardCategory, value) is None)
    return [category for category in HazardCategory if category in known], unknown


def _join(labels: Iterable[str]) -> str:
    return ", ".join(labels)


# --- the rules ---------------------------------------------------------------------------------


def _agency_type(agency: AgencyType | None) -> RuleResult:
    if agency is None:
        return RuleResult("agency.type", Status.FAIL, _("The agency type is not given."), True)
    return RuleResult("agency.type", Status.PASS, agency.label, True, agency.value)


def _licence(app: QualificationInput) -> list[RuleResult]:
    present = (
        RuleResult("licence.present", Status.PASS, _("Business licence provided."), True)
        if app.business_licence_present is True
        else RuleResult(
            "licence.present", Status.FAIL, _("The business licence is not provided."), True
        )
    )
    code = normalize_credit_code(app.credit_code if isinstance(app.credit_code, str) else None)
    if not code:
        credit = RuleResult(
            "licence.credit_code",
            Status.FAIL,
            _("The unified social credit code is not given."),
            True,
        )
    else:
        problem = credit_code_problem(code)
        credit = RuleResult(
            "licence.credit_code",
            Status.FAIL if problem else Status.PASS,
            problem or _("Unified social credit code %(code)s is valid.", code=code),
            True,
            code,
        )
    return [present, credit]


def _qualification(app: QualificationInput, on: date) -> list[RuleResult]:
    certificate = app.qualification
    status, reason = certificate_status(certificate, on, str(QUALIFICATION_LABEL))
    subject = certificate.number if certificate is not None else None
    results = [RuleResult("qualification.certificate", status, reason, True, subject)]

    categories, unknown = _scope(app)
    if unknown:
        scope = RuleResult(
            "qualification.scope",
            Status.FAIL,
            _(
                "Unknown hazard categories in the approved scope: %(values)s.",
                values=_join(unknown),
            ),
            True,
        )
    elif not categories:
        scope = RuleResult(
            "qualification.scope",
            Status.FAIL,
            _("The approved scope names no hazard category."),
            True,
        )
    else:
        scope = RuleResult(
            "qualification.scope",
            Status.PASS,
            _("Approved scope: %(scope)s.", scope=_join(c.label for c in categories)),
            True,
        )
    results.append(scope)
    return results


def _premises(app: QualificationInput, agency: AgencyType | None) -> list[RuleResult]:
    area = _area(app.premises_m2)
    if app.premises_m2 is None:
        result = RuleResult(
            "premises.area", Status.FAIL, _("The premises area is not given."), True
        )
    elif area is None or area < 0:
        result = RuleResult(
            "premises.area",
            Status.FAIL,
            _("The premises area (%(value)s) is not a valid number.", value=app.premises_m2),
            True,
        )
    else:
        ok = area >= MIN_PREMISES_M2
        result = RuleResult(
            "premises.area",
            Status.PASS if ok else Status.FAIL,
            _(
                "Premises %(area)s m², at least %(min)s m² required.",
                area=fmt_decimal(area),
                min=MIN_PREMISES_M2,
            ),
            True,
        )
    return [result, _exam_rooms(app, agency)]


def _exam_rooms(app: QualificationInput, agency: AgencyType | None) -> RuleResult:
    code = "premises.exam_rooms"
    if agency is None:
        return RuleResult(code, Status.NOT_APPLICABLE, _no_type(), True)
    if agency is not AgencyType.EXAMINATION:
        return RuleResult(
            code,
            Status.NOT_APPLICABLE,
            _("Only examination institutions need independent examination rooms."),
            True,
        )
    rooms = app.exam_rooms
    if rooms is None:
        return RuleResult(
            code,
            Status.FAIL,
            _("The number of independent examination rooms is not given."),
            True,
        )
    if isinstance(rooms, bool) or not isinstance(rooms, int) or rooms < 0:
        return RuleResult(
            code,
            Status.FAIL,
            _("The number of independent examination rooms (%(value)s) is not valid.", value=rooms),
            True,
        )
    return RuleResult(
        code,
        Status.PASS if rooms >= MIN_EXAM_ROOMS else Status.FAIL,
        _(
            "%(rooms)s independent examination rooms, at least %(min)s required.",
            rooms=rooms,
            min=MIN_EXAM_ROOMS,
        ),
        True,
    )


def _equipment(app: QualificationInput, agency: AgencyType | None, on: date) -> list[RuleResult]:
    categories, _unknown = _scope(app)
    needed = required_instruments(agency, categories) if agency else {}
    if not needed:
        return [
            RuleResult(
                "equipment",
                Status.NOT_APPLICABLE,
                _("No instrument is required for this agency type and scope.")
                if agency
                else _no_type(),
                True,
            )
        ]
    listed: dict[InstrumentKind, list[Instrument]] = {}
    for instrument in app.instruments or ():
        kind = _coerce(InstrumentKind, getattr(instrument, "kind", None))
        if kind is not None:
            listed.setdefault(kind, []).append(instrument)

    results = []
    for kind, for_categories in needed.items():
        code = f"equipment.{kind.value}"
        candidates = listed.get(kind, [])
        if not candidates:
            needed_for = (
                _join(c.label for c in HazardCategory if c in for_categories)
                if for_categories
                else _("every institution of this type")
            )
            results.append(
                RuleResult(
                    code,
                    Status.FAIL,
                    _(
                        "%(instrument)s: none listed, required for %(needed_for)s.",
                        instrument=kind.label,
                        needed_for=needed_for,
                    ),
                    True,
                    kind.value,
                )
            )
            continue
        assessed = [(calibration_status(i, on), i) for i in candidates]
        (status, reason), _best = max(
            assessed, key=lambda pair: (_RANK[pair[0][0]], _later(pair[1].calibration_expires))
        )
        results.append(RuleResult(code, status, reason, True, kind.value))
    return results


def _quality(app: QualificationInput, on: date) -> list[RuleResult]:
    documents = {_coerce(QualityDocument, d) for d in (app.quality_documents or ())}
    results = []
    for document in QualityDocument:
        provided = document in documents
        results.append(
            RuleResult(
                f"quality.{document.value}",
                Status.PASS if provided else Status.FAIL,
                _("%(document)s: provided.", document=document.label)
                if provided
                else _("%(document)s: not provided.", document=document.label),
                True,
            )
        )

    options = [
        (certificate, certificate_status(certificate, on, str(label)))
        for certificate, label in (
            (app.iso9001, ISO9001_LABEL),
            (app.industry_certification, INDUSTRY_CERTIFICATION_LABEL),
        )
        if certificate is not None
    ]
    code = "quality.certification"
    if not options:
        results.append(
            RuleResult(
                code,
                Status.FAIL,
                _("Neither an ISO 9001 certificate nor an industry certification is given."),
                True,
            )
        )
        return results
    certificate, (status, reason) = max(
        options,
        key=lambda pair: (
            _RANK[pair[1][0]],
            _later(pair[0].valid_to if isinstance(pair[0].valid_to, date) else None),
        ),
    )
    if status is Status.FAIL:
        reason = " ".join(option_reason for _c, (_s, option_reason) in options)
    results.append(RuleResult(code, status, reason, True, certificate.number or None))
    return results


def _person_codes(staff: Sequence[StaffInput]) -> list[str]:
    codes: list[str] = []
    for position, person in enumerate(staff, start=1):
        base = f"staff.person.{(person.ref or '').strip() or position}"
        code, n = base, 1
        while code in codes:
            n += 1
            code = f"{base}#{n}"
        codes.append(code)
    return codes


def _staff(
    app: QualificationInput, agency: AgencyType | None, on: date
) -> tuple[list[RuleResult], dict[str, StaffCompliance]]:
    staff = [person for person in (app.staff or ()) if person is not None]
    verdicts = [evaluate_staff(person, on) for person in staff]
    needed = ROLES_NEEDED.get(agency, frozenset()) if agency else frozenset()

    results = []
    for role in StaffRole:
        code = f"staff.{role.value}"
        if role not in needed:
            results.append(
                RuleResult(
                    code,
                    Status.NOT_APPLICABLE,
                    _("%(role)s: not required for this agency type.", role=role.label)
                    if agency
                    else _no_type(),
                    True,
                )
            )
            continue
        of_role = [
            verdict
            for person, verdict in zip(staff, verdicts, strict=True)
            if _coerce(StaffRole, person.role) is role
        ]
        cleared = sum(1 for verdict in of_role if verdict.can_practise)
        if not of_role:
            reason = _("%(role)s: none listed, at least one required.", role=role.label)
        elif not cleared:
            reason = _(
                "%(role)s: %(listed)s listed, none compliant and cleared to practise.",
                role=role.label,
                listed=len(of_role),
            )
        else:
            reason = _(
                "%(role)s: %(cleared)s of %(listed)s listed may practise.",
                role=role.label,
                cleared=cleared,
                listed=len(of_role),
            )
        results.append(RuleResult(code, Status.PASS if cleared else Status.FAIL, reason, True))

    by_code: dict[str, StaffCompliance] = {}
    for code, person, verdict in zip(_person_codes(staff), staff, verdicts, strict=True):
        by_code[code] = verdict
        if not verdict.compliant:
            status, reason = Status.FAIL, " ".join(verdict.problems)
        elif verdict.warnings:
            status, reason = Status.EXPIRING, " ".join(verdict.warnings)
        else:
            status, reason = Status.PASS, _("Compliant.")
        subject = (person.name or "").strip() or (person.ref or "").strip() or None
        results.append(RuleResult(code, status, reason, False, subject))
    return results, by_code


# --- public functions --------------------------------------------------------------------------


def evaluate(app: QualificationInput, on: date | datetime | None = None) -> Checklist:
    """Every requirement of SPEC section 1 for `app` on the day `on` (default: today in
    Asia/Shanghai; see the module docstring)."""
    on = as_day(on)
    agency = _coerce(AgencyType, app.agency_type)
    results: list[RuleResult] = [_agency_type(agency)]
    results += _licence(app)
    results += _qualification(app, on)
    results += _premises(app, agency)
    results += _equipment(app, agency, on)
    results += _quality(app, on)
    staff_results, staff = _staff(app, agency, on)
    results += staff_results
    return Checklist(tuple(results), on, staff)


def requirement_codes(
    agency_type: AgencyType | None, scope: Iterable[HazardCategory] = ()
) -> list[str]:
    """The codes `evaluate` returns for this type and scope, without the `staff.person.*` ones."""
    agency = _coerce(AgencyType, agency_type)
    needed = required_instruments(agency, scope) if agency else {}
    codes = [
        "agency.type",
        "licence.present",
        "licence.credit_code",
        "qualification.certificate",
        "qualification.scope",
        "premises.area",
        "premises.exam_rooms",
    ]
    codes += [f"equipment.{kind.value}" for kind in needed] or ["equipment"]
    codes += [f"quality.{document.value}" for document in QualityDocument]
    codes += ["quality.certification"]
    codes += [f"staff.{role.value}" for role in StaffRole]
    return codes


def upcoming_expiries(
    app: QualificationInput, on: date | datetime | None = None, within: int = EXPIRY_WARNING_DAYS
) -> list[Expiry]:
    """Dated credentials still valid on `on` that expire within `within` days, soonest first.

    Covers the qualification certificate, ISO 9001, the industry certification and the
    calibration of every listed instrument (required or not); `what` is the matching rule
    code, `subject` the certificate's number. Expired ones are not listed: the checklist
    fails them. `on` defaults to today.
    """
    on = as_day(on)
    dated: list[tuple[str, str | None, date | None]] = [
        ("qualification.certificate", *_number_and_end(app.qualification)),
        ("quality.iso9001", *_number_and_end(app.iso9001)),
        ("quality.industry_certification", *_number_and_end(app.industry_certification)),
    ]
    for instrument in app.instruments or ():
        kind = _coerce(InstrumentKind, getattr(instrument, "kind", None))
        if kind is not None:
            dated.append(
                (
                    f"equipment.{kind.value}",
                    instrument.calibration_certificate,
                    instrument.calibration_expires,
                )
            )
    expiries = [
        Expiry(what, subject, end)
        for what, subject, end in dated
        if isinstance(end, date) and 0 <= (end - on).days <= within
    ]
    return sorted(expiries, key=lambda expiry: (expiry.expires_on, expiry.what))


def _number_and_end(certificate: Certificate | None) -> tuple[str | None, date | None]:
    if certificate is None:
        return None, None
    return certificate.number, certificate.valid_to


def reminder_stage(expires_on: date, on: date | datetime | None = None) -> int | None:
    """The reminder a credential is due for on `on`: 60, then 30 (REMINDER_DAYS), else None.

    A sweep that records the stages it has sent sends each once, even after a missed day.
    `on` defaults to today.
    """
    left = (expires_on - as_day(on)).days
    if left < 0:
        return None
    due = [days for days in REMINDER_DAYS if left <= days]
    return min(due) if due else None


__all__ = [
    "Certificate",
    "Checklist",
    "Expiry",
    "Instrument",
    "QualificationInput",
    "RuleResult",
    "StaffInput",
    "Status",
    "certificate_status",
    "calibration_status",
    "evaluate",
    "reminder_stage",
    "requirement_codes",
    "upcoming_expiries",
]
