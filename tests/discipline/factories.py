"""Building discipline data through the services, for the domain's tests (and for other
domains' tests that need sanction facts: `decided_case`, `in_force`)."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

from portal import clock
from portal.discipline.models import Decision, DisciplineCase
from portal.discipline.services import appeals, cases, decisions
from portal.discipline.tasks import sweep
from portal.extensions import db
from portal.members.models import Member, MemberUser
from tests.committees.factories import cast, close, committee_user, get_or_create, seat
from tests.factories import make_user

T0 = datetime(2026, 6, 15, 2, 0, tzinfo=UTC)  # Monday 15 June 2026, 10:00 in Shanghai
_numbers = itertools.count(1)

GENERAL = {
    "level": "general",
    "measures": ["written_warning", "suspension_3_months"],
    "publication_months": 6,
}
SERIOUS = {
    "level": "serious",
    "measures": ["expulsion", "revocation_recommendation"],
    "publication_months": 24,
}


def make_agency(name: str | None = None, *, user=None) -> Member:
    number = next(_numbers)
    member = Member(
        name=name or f"纪律测试机构{number}", city="北京", member_no=f"OHA-2025-9{number:04d}"
    )
    db.session.add(member)
    db.session.flush()
    if user is not None:
        db.session.add(MemberUser(member_id=member.id, user_id=user.id))
        db.session.flush()
    return member


def make_committees(admin, board_size: int = 3, appeal_size: int = 2):
    """A self-regulation committee that meets its quota (3 x `board_size` members) and an
    appeal committee (3 x `appeal_size`); returns (board members, appeal members)."""
    board = get_or_create(admin, "self_regulation")
    appeal = get_or_create(admin, "appeal")
    board_members, appeal_members = [], []
    for category in ("large", "small", "worker"):
        for _ in range(board_size):
            user = committee_user()
            seat(admin, board, user, category)
            board_members.append(user)
        for _ in range(appeal_size):
            user = committee_user()
            seat(admin, appeal, user, category)
            appeal_members.append(user)
    return board_members, appeal_members


def open_case(staff, member: Member, **values) -> DisciplineCase:
    values.setdefault("source", "direct")
    values.setdefault("summary", "服务记录不完整")
    values.setdefault("findings", "抽查的20份体检档案中有6份缺少问诊记录。")
    return cases.open_case(staff, member_id=member.id, **values)


def proposed(staff, member: Member, sanction: dict | None = None) -> DisciplineCase:
    case = open_case(staff, member)
    sanction = sanction or {"level": "minor", "measures": ["verbal_warning"]}
    cases.propose(staff, case, reasons="违反自律公约第三章第十条。", **sanction)
    return case


def decided_minor(staff, member: Member, measures=("verbal_warning",), due: date | None = None):
    case = proposed(
        staff,
        member,
        {"level": "minor", "measures": list(measures), "rectify_due_on": due},
    )
    return cases.decide_minor(staff, case)


def voted(staff, member: Member, voters, sanction: dict, yes: int | None = None) -> Decision | None:
    """Propose a general/serious sanction, put it to the vote, have `yes` of `voters` vote
    yes (all by default), close the vote; the decision (None if the vote failed)."""
    case = proposed(staff, member, sanction)
    motion = cases.submit_to_committee(staff, case, clock.now() + timedelta(days=3))
    for user in voters[: len(voters) if yes is None else yes]:
        cast(user, motion)
    close(motion)
    db.session.refresh(case)
    return case.decision


def appeal(member_user, decision: Decision, grounds: str = "事实认定有误，所谓缺失记录已补交。"):
    return decisions.file_appeal(member_user, decision, grounds)


def decide_appeal(staff, decision: Decision, voters, outcome: str = "upheld", **sanction):
    motion = appeals.propose_outcome(
        staff,
        decision,
        outcome=outcome,
        closes_at=clock.now() + timedelta(days=2),
        reasons="申诉理由不能成立。" if outcome == "upheld" else "申诉部分成立。",
        **sanction,
    )
    for user in voters:
        cast(user, motion)
    close(motion)
    db.session.refresh(decision)
    return decision


def let_window_pass(decision: Decision) -> Decision:
    clock.set_now(decision.appeal_due_at + timedelta(minutes=1))
    sweep()
    db.session.refresh(decision)
    return decision


def staff_user(username: str = "disc-staff"):
    return make_user("staff", username=username, email=f"{username}@oha.example.cn")
