"""Factories of publication: members, and entries published through `publish_decision`
(other domains' tests may use `make_entry` too)."""

from __future__ import annotations

import itertools
from datetime import date

from portal.extensions import db
from portal.members.models import Member, MemberUser
from portal.publication.constants import add_months
from portal.publication.models import PublicEntry
from portal.publication.services import publish_decision

_numbers = itertools.count(1)


def make_member(name: str = "华康职业健康体检中心", province: str = "11") -> Member:
    number = next(_numbers)
    member = Member(
        name=f"{name}{number}",
        province=province,
        city="北京" if province == "11" else "上海",
        member_no=f"OHA-2024-{number:05d}",
    )
    db.session.add(member)
    db.session.flush()
    return member


def link_user(user, member: Member) -> None:
    db.session.add(MemberUser(member_id=member.id, user_id=user.id))
    db.session.flush()


def make_entry(
    member: Member,
    *,
    level: str = "serious",
    took_effect_on: date = date(2026, 3, 1),
    months: int | None = None,
    blacklist: bool | None = None,
    appeal_outcome: str | None = None,
    title: str = "伪造检测数据",
    summary: str = "经调查，该机构伪造了噪声检测数据。",
    measures: tuple[str, ...] | None = None,
    actor="test",
) -> PublicEntry:
    number = next(_numbers)
    months = months if months is not None else (24 if level == "serious" else 6)
    return publish_decision(
        actor,
        member_id=member.id,
        decision_no=f"OHA-D-{took_effect_on.year}-{number:03d}",
        level=level,
        measures=list(measures or (("expulsion",) if level == "serious" else ("written_warning",))),
        title=title,
        summary=summary,
        took_effect_on=took_effect_on,
        published_until=add_months(took_effect_on, months),
        blacklist=(level == "serious") if blacklist is None else blacklist,
        appeal_outcome=appeal_outcome,
        source_ref=f"discipline_decision:{number}",
    )
