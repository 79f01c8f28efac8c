"""Statements marked `PLAN_FOR_PARAMETERS` are never prepared on the server, so PostgreSQL
plans each execution for its own parameters (`database.plan_for_parameters`); others are
prepared as psycopg does by default. Always on the machine's PostgreSQL: SQLite prepares
nothing server-side, and the hook is not installed there."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, select, text

from portal import database
from tests.databases import PG_URL

POSTGRES = PG_URL or "postgresql+psycopg://postgres@127.0.0.1:5432/test"
RUNS = 8  # psycopg prepares a statement after 5 executions on a connection


@pytest.fixture
def engine():
    engine = create_engine(POSTGRES, pool_size=1, max_overflow=0)
    database.plan_for_parameters(engine)
    yield engine
    engine.dispose()


def _prepared_after_runs(engine, statement) -> list[str]:
    with engine.connect() as conn:
        for n in range(RUNS):
            assert conn.execute(statement, {"n": n}).scalar_one() == n
        return conn.execute(text("SELECT statement FROM pg_prepared_statements")).scalars().all()


def test_a_marked_statement_is_never_prepared(engine):
    marked = select(text(":n AS marked_statement")).execution_options(
        **{database.PLAN_FOR_PARAMETERS: True}
    )
    prepared = _prepared_after_runs(engine, marked)
    assert not [sql for sql in prepared if "marked_statement" in sql]


def test_an_unmarked_statement_is_prepared_as_usual(engine):
    prepared = _prepared_after_runs(engine, select(text(":n AS plain_statement")))
    assert [sql for sql in prepared if "plain_statement" in sql]


def test_sqlite_gets_no_hook():
    engine = create_engine("sqlite://")
    database.plan_for_parameters(engine)
    assert not engine.dialect.dispatch.do_execute
    engine.dispose()
