"""Members with what the rating reads: credentials, staff with training, figures."""

from __future__ import annotations

import itertools
from datetime import date

from portal.extensions import db
from portal.members.models import Credential, Member, MemberUser
from portal.members.staff_models import ExamRecord, StaffMember, TrainingRecord
from portal.ratings.models import YearlyFigures

_numbers = itertools.count(1)


def make_member(
    name: str = "华康职业健康体检中心",
    *,
    province: str = "11",
    agency_type: str = "examination",
    complete: bool = True,
    suspended: bool = False,
) -> Member:
    """An approved member; `complete` gives it valid credentials, premises and rooms."""
    n = next(_numbers)
    member = Member(
        name=f"{name}{n}",
        province=province,
        city="北京",
        agency_type=agency_type,
        member_no=f"OHA-2024-{n:05d}",
        premises_m2=320 if complete else 120,
        exam_rooms=6 if complete else 2,
        suspended=suspended,
    )
    db.session.add(member)
    db.session.flush()
    if complete:
        for kind in ("qualification", "iso9001", "calibration", "calibration"):
            db.session.add(
                Credential(
                    member_id=member.id,
                    kind=kind,
                    valid_from=date(2020, 1, 1),
                    valid_to=date(2030, 12, 31),
                )
            )
        person = StaffMember(
            member_id=member.id, name="张医生", role="physician", first_assignment=date(2020, 3, 1)
        )
        db.session.add(person)
        db.session.flush()
        db.session.add_all(
            [
                TrainingRecord(
                    staff_id=person.id, kind="pre_job", hours=60, completed_on=date(2020, 2, 1)
                ),
                TrainingRecord(
                    staff_id=person.id, kind="continuing", hours=40, completed_on=date(2025, 5, 1)
                ),
                ExamRecord(staff_id=person.id, taken_on=date(2025, 6, 1), passed=True),
            ]
        )
    db.session.flush()
    return member


def link_user(user, member: Member) -> None:
    db.session.add(MemberUser(member_id=member.id, user_id=user.id))
    db.session.flush()


def file_figures(member: Member, year: int = 2025, **values) -> YearlyFigures:
    data = {
        "enterprises_served": 120,
        "workers_examined": 5000,
        "reports_issued": 1000,
        "reports_corrected": 0,
        "abnormal_results": 300,
    }
    data.update(values)
    figures = YearlyFigures(member_id=member.id, year=year, **data)
    db.session.add(figures)
    db.session.flush()
    return figures
