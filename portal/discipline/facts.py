"""Facts about sanctions for other domains (the ratings read these; contract with C)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import NamedTuple

from sqlalchemy import select

from portal.discipline.models import Decision
from portal.discipline.states import DecisionStatus
from portal.extensions import db


class SanctionFact(NamedTuple):
    member_id: int
    decision_no: str  # e.g. "OHA-D-2026-007"
    level: str  # "minor" | "general" | "serious"
    measures: tuple[str, ...]  # sanction codes, e.g. ("written_warning",)
    took_effect_on: date  # the day the sanction took effect (Asia/Shanghai date)


def sanction_facts(
    since: date, member_ids: Collection[int] | None = None
) -> dict[int, list[SanctionFact]]:
    """Sanctions that TOOK EFFECT on or after `since` (executed; never one revoked on appeal,
    never one still inside its appeal window or under appeal), grouped by member id, using
    one query (no per-member queries)."""
    stmt = (
        select(
            Decision.member_id,
            Decision.number,
            Decision.level,
            Decision.measures,
            Decision.took_effect_on,
        )
        .where(
            Decision.status == DecisionStatus.IN_FORCE.value,
            Decision.took_effect_on.is_not(None),
            Decision.took_effect_on >= since,
        )
        .order_by(Decision.member_id, Decision.took_effect_on, Decision.id)
    )
    if member_ids is not None:
        ids = list(member_ids)
        if not ids:
            return {}
        stmt = stmt.where(Decision.member_id.in_(ids))
    db.session.flush()  # the rows are read straight from the connection, past the session
    facts: dict[int, list[SanctionFact]] = {}
    for member_id, number, level, measures, took_effect_on in db.session.connection().execute(stmt):
        facts.setdefault(member_id, []).append(
            SanctionFact(member_id, number, level, tuple(measures or ()), took_effect_on)
        )
    return facts
