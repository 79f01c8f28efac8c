"""Pooled PostgreSQL connections are pinged before use only after sitting idle
(`database.ping_when_idle`): a connection the server dropped meanwhile is replaced without
an error, and one used moments ago costs no extra round trip. Always on the machine's
PostgreSQL: SQLite has no connection to go stale, and the hook is not installed there."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from portal import database
from tests.databases import PG_URL

POSTGRES = PG_URL or "postgresql+psycopg://postgres@127.0.0.1:5432/test"
IDLE = 5


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(database, "monotonic", lambda: now[0])
    return now


@pytest.fixture
def engine():
    engine = create_engine(POSTGRES, pool_size=1, max_overflow=0)
    database.ping_when_idle(engine, IDLE)
    yield engine
    engine.dispose()


@pytest.fixture
def pings(engine, monkeypatch):
    calls = []
    real = engine.dialect.do_ping

    def counted(dbapi_conn):
        calls.append(1)
        return real(dbapi_conn)

    monkeypatch.setattr(engine.dialect, "do_ping", counted)
    return calls


def _backend_pid(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT pg_backend_pid()")).scalar_one()


def _terminate(pid: int) -> None:
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()
    admin.dispose()


def test_a_connection_dropped_while_idle_is_replaced_without_an_error(engine, clock, pings):
    first = _backend_pid(engine)
    _terminate(first)
    clock[0] += IDLE + 1
    second = _backend_pid(engine)  # would raise "server closed the connection" unpinged
    assert second != first
    assert len(pings) == 1


def test_a_connection_used_moments_ago_is_not_pinged(engine, clock, pings):
    _backend_pid(engine)
    clock[0] += IDLE - 1
    _backend_pid(engine)
    assert pings == []
    clock[0] += IDLE
    _backend_pid(engine)
    assert len(pings) == 1


def test_sqlite_engines_get_no_hook(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path}/x.sqlite3")
    database.ping_when_idle(engine, IDLE)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT 1")).scalar_one() == 1
    assert not engine.pool.dispatch.checkout
