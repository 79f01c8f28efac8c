"""Building agencies, applications and staff through the services, for the domain's tests."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from portal.members.constants import (
    REQUIRED_CERTIFICATES,
    AgencyType,
    StaffRole,
    required_instruments,
)
from portal.members.services import applications, staff
from portal.validators import make_credit_code
from tests.files.samples import PDF

ROLE_FOR = {
    AgencyType.EXAMINATION: StaffRole.PHYSICIAN,
    AgencyType.HYGIENE_SERVICE: StaffRole.HYGIENE_TESTER,
    AgencyType.RISK_ASSESSMENT: StaffRole.HEALTH_PROMOTION,
}
SCOPE = ("dust", "physical")
_codes = iter(range(1, 10_000))


def credit_code() -> str:
    return make_credit_code(f"91110105MA{next(_codes):05d}XY")


def values(
    on: date,
    agency_type: AgencyType = AgencyType.EXAMINATION,
    scope: tuple[str, ...] = SCOPE,
    **changes: Any,
) -> dict[str, Any]:
    """A complete draft that passes every rule on `on` (nothing expiring within 60 days)."""
    kinds = list(required_instruments(agency_type, scope))
    draft = {
        "agency_type": agency_type.value,
        "name": "北京康宁职业健康体检中心",
        "province": "11",
        "city": "北京",
        "credit_code": credit_code(),
        "qualification_number": "京卫职检字〔2025〕第018号",
        "qualification_issuer": "北京市卫生健康委员会",
        "qualification_valid_from": (on - timedelta(days=300)).isoformat(),
        "qualification_valid_to": (on + timedelta(days=700)).isoformat(),
        "scope": list(scope),
        "premises_m2": "320",
        "exam_rooms": "6" if agency_type is AgencyType.EXAMINATION else "",
        "instruments": [
            {
                "key": f"k{n:04d}",
                "kind": kind.value,
                "serial_number": f"SN{n}",
                "calibration_certificate": f"JL-{n}",
                "calibration_expires": (on + timedelta(days=200)).isoformat(),
            }
            for n, kind in enumerate(kinds, start=1)
        ],
        "iso9001_number": "00125Q31234R0M",
        "iso9001_issuer": "中国质量认证中心",
        "iso9001_valid_from": (on - timedelta(days=100)).isoformat(),
        "iso9001_valid_to": (on + timedelta(days=500)).isoformat(),
    }
    draft.update(changes)
    return draft


def document_slots(draft: dict[str, Any]) -> list[str]:
    slots = [
        "licence",
        "qualification",
        "quality_manual",
        "procedure_documents",
        "work_instructions",
        "iso9001",
    ]
    if draft.get("industry_number"):
        slots.append("industry_certification")
    return slots + [f"calibration:{row['key']}" for row in draft.get("instruments", [])]


def add_person(
    user,
    member,
    on: date,
    role: StaffRole = StaffRole.PHYSICIAN,
    name: str = "张建国",
    **changes: Any,
):
    """A professional who may practise on `on` (assigned years ago, hours and exams kept)."""
    certificates = [
        staff.CertificateIn(
            code=sorted(group)[0],
            number=f"C{i}",
            valid_to=changes.pop("certificate_valid_to", None),
        )
        for i, group in enumerate(REQUIRED_CERTIFICATES[role])
    ]
    first = date(on.year - 4, 3, 1)
    person = staff.save_person(
        user,
        member,
        None,
        name=name,
        role=role.value,
        experience_years=changes.pop("experience_years", 6),
        first_assignment=first,
        certificates=certificates,
    )
    staff.add_training(user, person, kind="pre_job", hours=64, completed_on=date(first.year, 2, 1))
    for year in range(first.year + 1, on.year + 1):
        staff.add_training(
            user, person, kind="continuing", hours=40, completed_on=min(date(year, 6, 1), on)
        )
    staff.record_exam(user, person, taken_on=date(on.year - 1, 11, 20), passed=True)
    return person


def complete_application(
    user, on: date, *, kind: str | None = None, with_staff: bool = True, **changes: Any
):
    """An application of `user`'s agency with every step complete (not submitted)."""
    application = applications.start(user, kind)
    draft = values(on, **changes)
    if with_staff:
        agency_type = AgencyType(draft["agency_type"])
        add_person(user, application.member, on, ROLE_FOR[agency_type])
    applications.save_draft(user, application, draft)
    for slot in document_slots(draft):
        applications.attach(
            user, application, slot, PDF, original_name=f"{slot}.pdf".replace(":", "-")
        )
    return application


def submitted_application(user, on: date, **changes: Any):
    application = complete_application(user, on, **changes)
    applications.submit(user, application)
    return application
