"""Complete, passing inputs for the rule engine; tests change one thing at a time."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from portal.members.constants import (
    REQUIRED_CERTIFICATES,
    AgencyType,
    HazardCategory,
    InstrumentKind,
    QualityDocument,
    StaffRole,
    required_instruments,
)
from portal.members.rules import Certificate, Instrument, QualificationInput
from portal.members.staff_rules import ExamResult, StaffInput
from portal.validators import make_credit_code

ON = date(2026, 6, 15)
CREDIT_CODE = make_credit_code("91110105MA01B2C3D")
ALL_SCOPE = frozenset(HazardCategory)
ROLE_FOR = {
    AgencyType.EXAMINATION: StaffRole.PHYSICIAN,
    AgencyType.HYGIENE_SERVICE: StaffRole.HYGIENE_TESTER,
    AgencyType.RISK_ASSESSMENT: StaffRole.HEALTH_PROMOTION,
}


def days(n: int) -> timedelta:
    return timedelta(days=n)


def certificate(
    valid_to: date = ON + days(700),
    *,
    number: str = "ZJ-2025-0001",
    valid_from: date = date(2024, 1, 1),
) -> Certificate:
    return Certificate(
        number=number, issuer="北京市卫生健康委员会", valid_from=valid_from, valid_to=valid_to
    )


def instrument(
    kind: InstrumentKind,
    expires: date | None = ON + days(300),
    certificate_number: str | None = "JL-0001",
) -> Instrument:
    return Instrument(
        kind=kind, calibration_certificate=certificate_number, calibration_expires=expires
    )


def person(role: StaffRole = StaffRole.PHYSICIAN, **changes) -> StaffInput:
    """A professional compliant on ON: first assigned in 2020, 40 hours every year since."""
    base = StaffInput(
        role=role,
        certificates=frozenset(next(iter(sorted(group))) for group in REQUIRED_CERTIFICATES[role]),
        experience_years=5,
        pre_job_hours=60,
        first_assignment=date(2020, 3, 1),
        continuing_hours_by_year={year: 40 for year in range(2021, 2027)},
        exam_results=[ExamResult(date(2025, 11, 20), True)],
        name="张医生",
        ref="s1",
    )
    return replace(base, **changes)


def application(
    agency_type: AgencyType = AgencyType.EXAMINATION,
    scope: frozenset[HazardCategory] = ALL_SCOPE,
    **changes,
) -> QualificationInput:
    """An application that passes every rule on ON, with nothing expiring."""
    base = QualificationInput(
        agency_type=agency_type,
        credit_code=CREDIT_CODE,
        business_licence_present=True,
        qualification=certificate(),
        approved_scope=scope,
        premises_m2=Decimal("350"),
        exam_rooms=6 if agency_type is AgencyType.EXAMINATION else None,
        instruments=[instrument(kind) for kind in required_instruments(agency_type, scope)],
        quality_documents=frozenset(QualityDocument),
        iso9001=certificate(number="ISO-9001-7788"),
        industry_certification=None,
        staff=[person(ROLE_FOR[agency_type])],
    )
    return replace(base, **changes)
