"""Demo discipline, built through the services (the audit chain, the notifications, the
committee votes and the publication are what real use would leave behind). Idempotent: a
case whose summary is already there is not made again. Needs the members' and the
committees' demo data (it runs after them); without them it adds nothing.

- 华康职业健康体检中心 (the demo `member` user): a minor decision by the secretariat (verbal
  warning and an order to rectify), notified today: the appeal window is open.
- 浙江康安健康风险评估中心: a general sanction put to the self-regulation committee, vote open
  for three more days; the demo `committee` user has not voted yet.
- 天津滨海职业健康检查中心: a general decision under appeal, waiting for the appeal committee.
- 粤安职业卫生技术服务有限公司: a serious decision in force (blacklist and a recommendation to
  revoke its qualification: the letter to the regulator prints), published.
- 苏州德润职业健康检测评价有限公司: a data-breach report sent 5 hours after discovery,
  waiting for the secretariat to open a case or not.
"""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta

from sqlalchemy import select

from portal import clock
from portal.accounts.models import User
from portal.committees import roster, voting
from portal.committees.motions import close_motion
from portal.discipline.models import BreachReport, DisciplineCase
from portal.discipline.services import breaches, cases, decisions, effects
from portal.discipline.states import Action
from portal.extensions import db
from portal.members.models import Member, MemberUser

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 (the documented demo password)

MINOR = ("华康职业健康体检中心", "职业健康检查档案不完整")
VOTING = ("浙江康安健康风险评估中心", "未按规定告知劳动者职业健康检查结果")
APPEALED = ("天津滨海职业健康检查中心", "放射工作人员检查报告结论不规范")
SERIOUS = ("粤安职业卫生技术服务有限公司", "检测报告数据造假")
BREACH_AGENCY = "苏州德润职业健康检测评价有限公司"


@contextlib.contextmanager
def _at(instant: datetime):
    before = getattr(clock, "_frozen", None)
    clock.set_now(instant)
    try:
        yield
    finally:
        if before is not None:
            clock.set_now(before)
        else:
            clock.reset()


def _member(name: str) -> Member | None:
    return db.session.scalar(
        select(Member).where(Member.name == name, Member.member_no.is_not(None))
    )


def _exists(summary: str) -> bool:
    return (
        db.session.scalar(select(DisciplineCase.id).where(DisciplineCase.summary == summary))
        is not None
    )


def _agency_user(member: Member) -> User | None:
    return db.session.scalar(
        select(User)
        .join(MemberUser, MemberUser.user_id == User.id)
        .where(MemberUser.member_id == member.id)
        .order_by(User.id)
    )


def _case(staff, member, summary, findings, **sanction):
    case = cases.open_case(
        staff,
        member_id=member.id,
        source=sanction.pop("source", "direct"),
        source_ref=sanction.pop("source_ref", None),
        summary=summary,
        findings=findings,
    )
    cases.propose(staff, case, reasons=sanction.pop("reasons"), **sanction)
    return case


def _vote_all(motion, skip=("committee",)) -> None:
    for voter in motion.voters:
        if not voter.recused and voter.user.username not in skip:
            voting.cast_vote(voter.user, motion, choice="yes", password=DEMO_PASSWORD)


def _committee_decision(staff, member, summary, findings, days_ago: int, **sanction):
    """A case decided by the self-regulation committee `days_ago` days ago."""
    start = clock.now() - timedelta(days=days_ago)
    with _at(start):
        case = _case(staff, member, summary, findings, **sanction)
        motion = cases.submit_to_committee(staff, case, start + timedelta(days=2))
    with _at(start + timedelta(days=1)):
        _vote_all(motion, skip=())
    with _at(start + timedelta(days=2, minutes=5)):
        close_motion(motion)
    return case.decision


def seed_discipline(users: dict[str, User]) -> None:
    staff = users["staff"]
    if roster.committee_of_kind("self_regulation") is None or _member(MINOR[0]) is None:
        return
    if not _exists(MINOR[1]):
        case = _case(
            staff,
            _member(MINOR[0]),
            MINOR[1],
            "2026年第二季度抽查该中心职业健康检查档案30份，其中7份缺少问诊记录和劳动者签字。",
            level="minor",
            measures=["verbal_warning", "order_to_rectify"],
            rectify_due_on=clock.today() + timedelta(days=30),
            reasons="违反《自律公约》第三章关于服务记录完整性的规定，情节轻微。",
            source="inspection",
            source_ref="INS-2026-017",
        )
        cases.decide_minor(staff, case)
    member = _member(VOTING[0])
    if member is not None and not _exists(VOTING[1]):
        case = _case(
            staff,
            member,
            VOTING[1],
            "经投诉调查核实，该中心在2026年3月至5月间有42名劳动者未在规定时限内收到检查结果。",
            level="general",
            measures=["written_warning", "public_criticism"],
            publication_months=6,
            reasons="违反《自律公约》第三章关于检查结果告知的规定，影响劳动者知情权。",
        )
        motion = cases.submit_to_committee(staff, case, clock.now() + timedelta(days=3))
        for voter in motion.voters[:4]:
            if not voter.recused and voter.user.username != "committee":
                voting.cast_vote(voter.user, motion, choice="yes", password=DEMO_PASSWORD)
    member = _member(APPEALED[0])
    if member is not None and not _exists(APPEALED[1]):
        decision = _committee_decision(
            staff,
            member,
            APPEALED[1],
            "该中心出具的12份放射工作人员职业健康检查报告结论表述不符合GBZ 98的要求。",
            days_ago=6,
            level="general",
            measures=["written_warning", "suspension_3_months"],
            publication_months=6,
            reasons="违反《自律公约》第三章，情节较重。",
        )
        user = _agency_user(member)
        if decision is not None and user is not None:
            with _at(clock.now() - timedelta(days=2)):
                decisions.file_appeal(
                    user,
                    decision,
                    "报告结论表述已按标准更正并重新送达，暂停会员资格的处分过重，请求变更为书面警告。",
                )
    member = _member(SERIOUS[0])
    if member is not None and not _exists(SERIOUS[1]):
        decision = _committee_decision(
            staff,
            member,
            SERIOUS[1],
            "专项检查发现该公司2025年出具的9份粉尘检测报告的采样记录系事后补造，检测数据与"
            "原始记录不符。",
            days_ago=40,
            level="serious",
            measures=["revocation_recommendation", "blacklist"],
            publication_months=24,
            reasons="数据造假，严重违反《自律公约》第四章，损害劳动者健康权益。",
        )
        if decision is not None:
            with _at(decision.appeal_due_at + timedelta(minutes=10)):
                effects.take_effect("seed-demo", decision, Action.TAKE_EFFECT, None)
    member = _member(BREACH_AGENCY)
    user = _agency_user(member) if member is not None else None
    if user is not None and not db.session.scalar(
        select(BreachReport.id).where(BreachReport.member_id == member.id)
    ):
        breaches.report_breach(
            user,
            discovered_at=clock.now() - timedelta(hours=5),
            description="一名员工将含有86名劳动者体检结果的表格误发至外部邮箱，已要求对方删除。",
            affected_count=86,
            measures_taken="已联系收件人删除邮件，并对员工进行数据安全培训。",
        )
    db.session.flush()
