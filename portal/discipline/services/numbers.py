"""Decision numbers `OHA-D-2026-007`: a counter row per year, upserted in the deciding
transaction (`INSERT ... ON CONFLICT DO UPDATE ... RETURNING`). PostgreSQL locks the row
until the commit, SQLite serializes writers with BEGIN IMMEDIATE, and the unique
`discipline_decisions.number` is the last guard (as for membership numbers)."""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from portal.discipline.constants import DECISION_NO_PREFIX
from portal.discipline.models import DecisionCounter
from portal.extensions import db


def allocate_decision_no(year: int) -> str:
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = (
        insert(DecisionCounter)
        .values(year=year, last=1)
        .on_conflict_do_update(index_elements=["year"], set_={"last": DecisionCounter.last + 1})
        .returning(DecisionCounter.last)
    )
    number = db.session.execute(statement).scalar_one()
    return f"{DECISION_NO_PREFIX}-{year}-{number:03d}"
