"""The yearly run: rate every member for a year and keep the results as history.

Idempotent: a result row changes only when something in it changed, so running a year
twice leaves the same rows (and the second run reports 0 changed). Every run is recorded
(`RatingRun`) and audited once, with the counts and a digest of all results, so the audit
chain pins what each run left. Writes are bulk (one INSERT and one UPDATE statement for
all rows; COPY on PostgreSQL), never one statement per member.
"""

from __future__ import annotations

import gc
import hashlib
from contextlib import contextmanager
from datetime import date
from typing import Any, NamedTuple

import orjson
from flask_babel import gettext as _
from sqlalchemy import bindparam, select, update

from portal import audit, bulk, clock
from portal.errors import ValidationFailed
from portal.extensions import db
from portal.ratings.models import RatingResult, RatingRun
from portal.ratings.rules import rate
from portal.ratings.services import gather
from portal.security import Role

FIRST_YEAR = 2000


def check_year(year: Any) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationFailed(_("Give a year."), {"year": _("Give a year.")}) from None
    if not FIRST_YEAR <= year <= clock.today().year:
        message = _("Choose a year from %(first)d to this year.", first=FIRST_YEAR)
        raise ValidationFailed(message, {"year": message})
    return year


def require_staff(actor: Any) -> None:
    from portal.security import require

    if isinstance(actor, str):  # the scheduler or a command
        return
    require(
        getattr(actor, "role", None) in (Role.STAFF, Role.ADMIN),
        _("Only the secretariat may compute ratings."),
    )


def serialised(outcome, facts) -> tuple[bulk.JsonText, str]:
    """The components as stored (JSON text) and the fingerprint of everything a result row
    shows, to compare without loading the JSON: a hash of the same JSON text (orjson writes
    dict keys in insertion order, which the rules keep the same, so equal results give
    equal text in every process)."""
    components = orjson.dumps(outcome.components)
    shown = orjson.dumps(
        [
            outcome.rated,
            outcome.score_tenths,
            outcome.stars,
            outcome.grade.value,
            facts.blacklisted,
            facts.services,
            outcome.reasons,
            facts.reference_day.isoformat(),
        ]
    )
    mark = hashlib.sha256(shown + b"\n" + components).hexdigest()
    return bulk.JsonText(components.decode()), mark


class ResultRow(NamedTuple):
    """What a `rating_results` row holds for one member; the run's values (`_run_values`),
    the same in every row, complete it."""

    member_id: int
    rated: bool
    score_tenths: int
    stars: int | None
    grade: str
    blacklisted: bool
    services: int | None
    components: Any
    reasons: list[str]
    fingerprint: str


RESULT_COLUMNS = list(ResultRow._fields)


def _run_values(year: int, reference_day: date, run: RatingRun) -> dict[str, Any]:
    return {
        "year": year,
        "reference_day": reference_day.isoformat(),
        "run_id": run.id,
        "computed_at": run.started_at,
    }


def _row(member_id: int, outcome, facts, components, mark: str) -> ResultRow:
    return ResultRow(
        member_id,
        outcome.rated,
        outcome.score_tenths,
        outcome.stars,
        outcome.grade.value,
        facts.blacklisted,
        facts.services,
        components,
        list(outcome.reasons),
        mark,
    )


def digest(summary: list[tuple]) -> str:
    """(member id, rated, score, stars, grade) of every result, sorted, hashed."""
    # orjson writes what json.dumps(..., separators=(",", ":")) wrote: digests stay comparable
    return hashlib.sha256(orjson.dumps(sorted(summary))).hexdigest()


@contextmanager
def _no_cyclic_gc():
    """The run allocates a few hundred thousand small acyclic objects; the cyclic garbage
    collector would walk them all again and again (a third of the run's time at 20,000
    members). Reference counting still frees everything; collection resumes after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def compute_year(actor: Any, year: Any, trigger: str = "staff") -> RatingRun:
    """Rate every member for `year`; store what changed; audit the run. Never commits."""
    require_staff(actor)
    year = check_year(year)
    with _no_cyclic_gc():
        return _compute(actor, year, trigger)


def _store(members, facts, existing, run_values: dict) -> tuple[int, list, list]:
    """Rate each member; new rows stream to the database while the next members are rated.
    Returns (rows created, changed rows to update, a summary of every result)."""
    created, changed_rows, summary = 0, [], []
    table = RatingResult.__table__
    with bulk.row_writer(table, RESULT_COLUMNS, run_values) as insert_row:
        for member in members:
            fact = facts[member.id]
            outcome = rate(fact)
            summary.append(
                (member.id, outcome.rated, outcome.score_tenths, outcome.stars, outcome.grade.value)
            )
            components, mark = serialised(outcome, fact)
            old = existing.get(member.id)
            if old is None:
                insert_row(_row(member.id, outcome, fact, components, mark))
                created += 1
            elif old[1] != mark:
                # an UPDATE's JSON type serialises the value itself
                row = _row(member.id, outcome, fact, outcome.components_json(), mark)
                changed_rows.append({**row._asdict(), **run_values, "b_id": old[0]})
    return created, changed_rows, summary


def _update(changed_rows: list[dict[str, Any]]) -> None:
    """One executemany UPDATE of every changed row (by id)."""
    table = RatingResult.__table__
    columns = [name for name in changed_rows[0] if name not in ("b_id", "member_id", "year")]
    db.session.execute(
        update(table)
        .where(table.c.id == bindparam("b_id"))
        .values({name: bindparam(name) for name in columns}),
        changed_rows,
    )


def _compute(actor: Any, year: int, trigger: str) -> RatingRun:
    on = gather.reference_day(year)
    members, facts = gather.gather(year, on)
    run = RatingRun(
        year=year,
        trigger=trigger,
        actor_id=getattr(actor, "id", None),
        started_at=clock.now(),
        members=len(members),
    )
    db.session.add(run)
    db.session.flush()
    existing = {
        member_id: (result_id, fingerprint)
        for result_id, member_id, fingerprint in db.session.execute(
            select(RatingResult.id, RatingResult.member_id, RatingResult.fingerprint).where(
                RatingResult.year == year
            )
        )
    }
    run_values = _run_values(year, on, run)
    created, changed_rows, summary = _store(members, facts, existing, run_values)
    if changed_rows:
        _update(changed_rows)
    run.rated = sum(1 for item in summary if item[1])
    run.created = created
    run.changed = len(changed_rows)
    run.digest = digest(summary)
    audit.record(
        "ratings.computed",
        run,
        actor=actor,
        payload={
            "year": year,
            "trigger": trigger,
            "members": run.members,
            "rated": run.rated,
            "created": run.created,
            "changed": run.changed,
            "digest": run.digest,
        },
    )
    return run
