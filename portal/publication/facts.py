"""What other domains read about publication (ratings: no stars when blacklisted, grades C
and D). Each answer is one query."""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, or_, select

from portal.extensions import db
from portal.publication.models import PublicEntry


def in_force_condition(on: date):
    """The SQL condition "this entry is on the public lists on day `on`"."""
    return and_(
        PublicEntry.took_effect_on <= on,
        PublicEntry.published_until >= on,
        or_(PublicEntry.ended_on.is_(None), PublicEntry.ended_on > on),
    )


def blacklisted_member_ids(on: date) -> set[int]:
    """Members with a blacklist entry whose public term covers `on` (not ended early by
    credit repair, not withdrawn). One query."""
    return set(
        db.session.scalars(
            select(PublicEntry.member_id)
            .where(PublicEntry.blacklist.is_(True), in_force_condition(on))
            .distinct()
        )
    )


def blacklisted_condition(member_id, on: date):
    """SQL: "the member `member_id` (a value or a column) is on the blacklist on `on`", to put
    inside another query (one indexed lookup, not the whole list)."""
    return (
        select(PublicEntry.id)
        .where(
            PublicEntry.member_id == member_id,
            PublicEntry.blacklist.is_(True),
            in_force_condition(on),
        )
        .exists()
    )


def is_blacklisted(member_id: int, on: date) -> bool:
    """Whether this one member is on the blacklist on `on`."""
    return bool(db.session.scalar(select(blacklisted_condition(member_id, on))))


def levels_in_force(on: date) -> dict[int, set[str]]:
    """member_id -> levels ("general"/"serious") of public entries whose term covers `on`."""
    result: dict[int, set[str]] = {}
    rows = db.session.execute(
        select(PublicEntry.member_id, PublicEntry.level).where(in_force_condition(on)).distinct()
    )
    for member_id, level in rows:
        result.setdefault(member_id, set()).add(level)
    return result
