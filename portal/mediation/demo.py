"""Demo mediation: one complaint by the demo worker (张伟's account) about the demo member
user's agency, accepted yesterday (a working day ago), with mediation proposed and waiting
for both parties to agree, so the whole flow can be walked in the demo: the agency and the
worker agree, the panel is proposed (the demo `committee` user sits on it as the legal
expert), the secretariat schedules a session and writes the agreement, both confirm.
Idempotent: the complaint has a fixed submission key."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portal.accounts.models import User
from portal.complaints.demo import _at, _clock_at, _own_member, _working_days_before
from portal.complaints.models import Complaint
from portal.complaints.receipts import submission_key
from portal.complaints.services import intake, workflow
from portal.complaints.services.intake import ComplaintInput, Submission
from portal.extensions import db
from portal.mediation.services import cases
from portal.validators import make_resident_id

KEY = "mediation-demo-1"
TEXT = (
    "2026年体检时，贵机构出具的报告称我的肺功能正常，但三个月后在市职业病防治院复查，"
    "发现有轻度限制性通气功能障碍。我希望机构说明原因、免费复查并更正报告，愿意通过调解解决。"
)


def seed_mediation(users: dict[str, User]) -> None:
    from portal import clock

    own = _own_member(users)
    if own is None or "worker" not in users:
        return
    key = submission_key("demo", KEY)
    if db.session.scalar(select(Complaint.id).where(Complaint.submission_key == key)):
        return
    day = _working_days_before(clock.today(), 1)
    with _clock_at(_at(day, 9)):
        filed = intake.file_complaint(
            users["worker"],
            ComplaintInput(
                category="service_quality",
                subtype="wrong_report",
                description=TEXT,
                member_no=own.member_no,
                agency_name=None,
                name="张伟",
                id_number=make_resident_id(date(1988, 3, 14), "110105", 21),
                phone="13900139000",
                email=None,
                health="粉尘作业八年。",
                share_identity_with_agency=False,
            ),
            channel="online",
            submission=Submission("demo", KEY),
        )
    with _clock_at(_at(day, 11)):
        workflow.accept(users["staff"], filed.complaint, "simple")
    cases.propose(users["staff"], filed.complaint, "双方均表示愿意协商解决。")
    db.session.flush()
