"""Building committees, agencies and motions through the services, for the domain's tests."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from portal import clock
from portal.accounts.models import User
from portal.committees import motions, roster, voting
from portal.committees.models import Committee, Motion
from portal.extensions import db
from portal.members.models import Member
from tests.factories import DEFAULT_PASSWORD, make_user

T0 = datetime(2026, 6, 15, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
TERM = (date(2025, 1, 1), date(2027, 12, 31))
_numbers = itertools.count(1)

SHORT = {
    "leader": "association_leader",
    "expert": "expert",
    "large": "large_enterprise_rep",
    "small": "small_micro_enterprise_rep",
    "worker": "worker_rep",
    "medical": "medical_expert",
    "legal": "legal_expert",
    "industry": "industry_rep",
}


@dataclass
class Board:
    committee: Committee
    members: list[User] = field(default_factory=list)


def make_agency(name: str | None = None) -> Member:
    number = next(_numbers)
    member = Member(name=name or f"测试机构{number}", member_no=f"OHA-T{number:05d}")
    db.session.add(member)
    db.session.flush()
    return member


def committee_user(username: str | None = None, **fields) -> User:
    number = next(_numbers)
    return make_user(
        "committee",
        username=username or f"cm{number}",
        email=fields.pop("email", f"cm{number}@oha.example.cn"),
        **fields,
    )


def get_or_create(admin, kind: str) -> Committee:
    return roster.committee_of_kind(kind) or roster.create_committee(admin, kind)


def seat(admin, committee: Committee, user: User, category: str, term=TERM):
    return roster.add_seat(
        admin,
        committee,
        user_id=user.id,
        category=SHORT.get(category, category),
        term_start=term[0],
        term_end=term[1],
    )


def make_committee(admin, kind: str = "self_regulation", **counts: int) -> Board:
    """A committee with `counts` new members per category (short names: large, small,
    worker, leader, expert, medical, legal, industry)."""
    board = Board(get_or_create(admin, kind))
    for category, count in counts.items():
        for _ in range(count):
            user = committee_user()
            seat(admin, board.committee, user, category)
            board.members.append(user)
    return board


def draft(actor, committee: Committee, **values) -> Motion:
    values.setdefault("title", "关于修订自律公约第三章的议案")
    values.setdefault("body", "Text of the motion.")
    values.setdefault("subject_type", "other")
    values.setdefault("closes_at", clock.now() + timedelta(days=3))
    return motions.draft_motion(actor, committee, **values)


def open_vote(actor, committee: Committee, also_recused=None, **values) -> Motion:
    motion = draft(actor, committee, **values)
    return motions.open_draft(actor, motion, also_recused=also_recused)


def cast(user: User, motion: Motion, choice: str = "yes", reason: str | None = None):
    return voting.cast_vote(user, motion, choice=choice, reason=reason, password=DEFAULT_PASSWORD)


def close(motion: Motion) -> Motion:
    """Move the clock past the closing time and run the closing sweep."""
    from portal.committees.tasks import close_due

    if clock.now() < motion.closes_at:
        clock.set_now(motion.closes_at + timedelta(minutes=1))
    close_due()
    db.session.refresh(motion)
    return motion
