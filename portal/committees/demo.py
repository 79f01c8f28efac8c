"""Demo committees, built through the services (so the audit chain and the notifications are
what real use would leave behind). Idempotent: nothing already there is added again.

- The three committees. The self-regulation committee has 11 members in office (an
  association leader, an expert, and three each of large-enterprise, small/micro-enterprise
  and worker representatives: 27% each, so it meets its composition rule); the demo
  `committee` user (委员 李强) sits on it as an expert, and on the mediation committee as a
  legal expert.
- One of the self-regulation members has declared a tie to 天津滨海职业健康检查中心.
- An open motion about that agency, closing in five days: `committee` votes; the tied
  member is recused.
- A closed, passed resolution (a revision of the service standard), voted three weeks ago.
"""

from __future__ import annotations

import contextlib
from datetime import date, datetime, timedelta

from sqlalchemy import select

from portal import clock
from portal.accounts import services as accounts
from portal.accounts.models import User
from portal.committees import motions, roster, ties, voting
from portal.committees.models import Motion
from portal.committees.states import CommitteeKind
from portal.extensions import db
from portal.members.models import Member
from portal.security import Role

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 (the documented demo password)
TERM = (date(2025, 1, 1), date(2028, 12, 31))

# (username, name) of the demo committee members; `committee` is the portal's demo user.
PEOPLE = {
    "cm-zhou": "周国华",
    "cm-wu": "吴晓燕",
    "cm-zheng": "郑志刚",
    "cm-wang": "王海涛",
    "cm-feng": "冯丽娟",
    "cm-chen": "陈建军",
    "cm-chu": "褚文博",
    "cm-wei": "卫红梅",
    "cm-jiang": "蒋永明",
    "cm-shen": "沈佳怡",
    "cm-han": "韩立军",
    "cm-yang": "杨秀英",
    "cm-zhu": "朱振华",
    "cm-qin": "秦雪梅",
    "cm-you": "尤志强",
    "cm-xu": "许晓东",
    "cm-he": "何晓芳",
    "cm-lv": "吕宏伟",
    "cm-shi": "施文静",
}

SEATS = {
    CommitteeKind.SELF_REGULATION: [
        ("cm-zhou", "association_leader"),
        ("committee", "expert"),
        ("cm-wu", "large_enterprise_rep"),
        ("cm-zheng", "large_enterprise_rep"),
        ("cm-wang", "large_enterprise_rep"),
        ("cm-feng", "small_micro_enterprise_rep"),
        ("cm-chen", "small_micro_enterprise_rep"),
        ("cm-chu", "small_micro_enterprise_rep"),
        ("cm-wei", "worker_rep"),
        ("cm-jiang", "worker_rep"),
        ("cm-shen", "worker_rep"),
    ],
    CommitteeKind.APPEAL: [
        ("cm-han", "association_leader"),
        ("cm-yang", "expert"),
        ("cm-zhu", "large_enterprise_rep"),
        ("cm-qin", "small_micro_enterprise_rep"),
        ("cm-you", "worker_rep"),
    ],
    CommitteeKind.MEDIATION: [
        ("cm-xu", "medical_expert"),
        ("cm-he", "medical_expert"),
        ("committee", "legal_expert"),
        ("cm-lv", "industry_rep"),
        ("cm-shi", "worker_rep"),
    ],
}

TIED_USER, TIED_AGENCY = "cm-wang", "天津滨海职业健康检查中心"
OPEN_TITLE = "关于对天津滨海职业健康检查中心开展专项质量检查的议案"
OPEN_BODY = (
    "秘书处在投诉处理中发现，天津滨海职业健康检查中心近半年出具的放射工作人员职业健康检查报告"
    "存在结论表述不规范的问题。提请自律委员会审议：由秘书处组织专家，于三十日内对该中心开展"
    "专项质量检查，并将检查结果报委员会。"
)
CLOSED_TITLE = "关于发布《会员单位职业健康检查服务规范（2026年版）》的决议"
CLOSED_BODY = (
    "根据《自律公约》第三章的规定，秘书处起草了《会员单位职业健康检查服务规范（2026年版）》，"
    "对检查项目、结果告知时限和报告质量控制作出细化规定。提请自律委员会审议通过后发布施行。"
)
CLOSED_VOTES = {  # username -> (choice, reason)
    "cm-zhou": ("yes", None),
    "committee": ("yes", None),
    "cm-wu": ("yes", None),
    "cm-zheng": ("yes", None),
    "cm-wang": ("no", "小微企业执行新规范的过渡期偏短，建议延长至六个月。"),
    "cm-feng": ("yes", None),
    "cm-chen": ("abstain", "会前未能收到规范全文的征求意见稿。"),
    "cm-chu": ("yes", None),
    "cm-wei": ("yes", None),
    "cm-jiang": ("yes", None),
}


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


def _person(username: str, name: str) -> User:
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        user = accounts.create_user(
            username=username,
            password=DEMO_PASSWORD,
            role=Role.COMMITTEE,
            display_name=f"委员 {name}",
            email=f"{username}@demo.oha.example.cn",
            actor="seed-demo",
        )
    return user


def _motion(title: str) -> Motion | None:
    return db.session.scalar(select(Motion).where(Motion.title == title))


def seed_committees(users: dict[str, User]) -> None:
    admin, staff = users["admin"], users["staff"]
    people = {"committee": users["committee"]}
    people.update({username: _person(username, name) for username, name in PEOPLE.items()})
    committees = {}
    for kind, seats in SEATS.items():
        committee = roster.committee_of_kind(kind) or roster.create_committee(admin, kind.value)
        committees[kind] = committee
        held = {seat.user_id for seat in roster.all_seats(committee)}
        for username, category in seats:
            if people[username].id not in held:
                roster.add_seat(
                    admin,
                    committee,
                    user_id=people[username].id,
                    category=category,
                    term_start=TERM[0],
                    term_end=TERM[1],
                )
    db.session.flush()
    agency = db.session.scalar(select(Member).where(Member.name == TIED_AGENCY))
    tied = people[TIED_USER]
    if agency is not None and not ties.ties(user_id=tied.id, member_id=agency.id):
        ties.declare_tie(tied, member_id=agency.id, nature="consultancy", note="2024年曾任质量顾问")
    board = committees[CommitteeKind.SELF_REGULATION]
    if _motion(CLOSED_TITLE) is None:
        _closed_resolution(staff, board, people)
    if _motion(OPEN_TITLE) is None:
        motion = motions.open_motion(
            staff,
            board,
            title=OPEN_TITLE,
            body=OPEN_BODY,
            subject_type="other",
            member_id=agency.id if agency is not None else None,
            closes_at=clock.now() + timedelta(days=5),
        )
        for username in ("cm-zhou", "cm-wu", "cm-wei"):
            voting.cast_vote(people[username], motion, choice="yes", password=DEMO_PASSWORD)
    db.session.flush()


def _closed_resolution(staff: User, board, people: dict[str, User]) -> None:
    now = clock.now()
    opened_at, closes_at = now - timedelta(days=24), now - timedelta(days=21)
    with _at(opened_at):
        motion = motions.open_motion(
            staff,
            board,
            title=CLOSED_TITLE,
            body=CLOSED_BODY,
            subject_type="code_revision",
            subject_ref="standard:2026-exam-service",
            closes_at=closes_at,
        )
    with _at(opened_at + timedelta(days=1)):
        for username, (choice, reason) in CLOSED_VOTES.items():
            voting.cast_vote(
                people[username], motion, choice=choice, reason=reason, password=DEMO_PASSWORD
            )
    with _at(closes_at + timedelta(minutes=5)):
        motions.close_motion(motion)
