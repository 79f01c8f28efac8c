"""Connection settings every engine gets.

SQLite: foreign keys on, WAL, a busy timeout, and `BEGIN IMMEDIATE` for every
transaction. Deferred transactions that read then write fail at once with
"database is locked" when another writer got there first (the busy handler cannot
help a lock upgrade); taking the write lock at BEGIN makes concurrent writers wait
their turn instead. Readers are not blocked under WAL.

Public pages only read (`reads_only`): their queries run in autocommit, each on its own
snapshot, with no BEGIN and ROLLBACK round trips around them (two of a public page's five
on PostgreSQL) and, on SQLite, without taking the write lock. A write in such a request
is refused before it reaches the database.

Searches by a typed term are planned for their term (`plan_for_parameters`): see there.

Pooled connections are checked before use only when they sat idle a while
(`ping_when_idle`): a dead one (the server restarted, a firewall dropped it) is replaced
without the request noticing, and a busy worker does not pay a round trip per request for
it, as `pool_pre_ping` would.
"""

from __future__ import annotations

import sqlite3
from time import monotonic

from flask import current_app, has_app_context
from sqlalchemy import event, exc
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

AUTOCOMMIT = "AUTOCOMMIT"
READS_ONLY = "reads_only"  # Session.info key
RETURNED_AT = "returned_at"  # pool record info key: when the connection went back to the pool


def _busy_timeout_ms() -> int:
    if has_app_context():
        return int(current_app.config.get("SQLITE_BUSY_TIMEOUT_MS", 30_000))
    return 30_000


@event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_conn, _record) -> None:
    if not isinstance(dbapi_conn, sqlite3.Connection):
        return
    dbapi_conn.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={_busy_timeout_ms()}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin_immediate(conn: Connection) -> None:
    if conn.dialect.name == "sqlite" and not in_autocommit(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def in_autocommit(conn: Connection) -> bool:
    return conn.get_execution_options().get("isolation_level") == AUTOCOMMIT


def reads_only(session: Session) -> None:
    """Run the session's queries in autocommit for the rest of this request, when it has
    not begun a transaction yet (a signed-in visitor's account was loaded, say) and is
    bound to the engine (the tests bind it to a connection in a transaction)."""
    if session.in_transaction() or not isinstance(session.get_bind(), Engine):
        return
    session.info[READS_ONLY] = True
    session.connection(execution_options={"isolation_level": AUTOCOMMIT})


@event.listens_for(Session, "before_flush")
def _refuse_writes_when_reading(session: Session, _context, _instances) -> None:
    if session.info.get(READS_ONLY):
        raise RuntimeError("a request that only reads tried to write")


# Execution option: never prepare this statement on the server, so that PostgreSQL plans it
# for its own parameters at every execution (`plan_for_parameters`).
PLAN_FOR_PARAMETERS = "plan_for_parameters"


def plan_for_parameters(engine: Engine) -> None:
    """psycopg prepares a statement on the server once it ran 5 times on a connection, and
    PostgreSQL may then keep one generic plan for any parameters. For a search by a typed
    term the best plan depends on how common the term is: for a common word, the blacklist's
    page walks its index in date order and stops after 20 entries; for a rare one it picks the
    few matches and sorts them. The generic plan guesses "rare" (a `LIKE` on a parameter) and
    took 1.8 ms where the term's own plan took 0.9 ms, at 1,400 entries in force. Statements
    carrying the execution option `PLAN_FOR_PARAMETERS` are never prepared."""
    if engine.dialect.name != "postgresql":
        return

    @event.listens_for(engine, "do_execute")
    def _execute_unprepared(cursor, statement, parameters, context):
        if context.execution_options.get(PLAN_FOR_PARAMETERS):
            cursor.execute(statement, parameters, prepare=False)
            return True  # executed here: SQLAlchemy does not execute it again
        return None


def ping_when_idle(engine: Engine, after_seconds: float) -> None:
    """Ping a connection at checkout when it has been back in the pool for `after_seconds`
    or more; raising DisconnectionError makes the pool open a fresh one (and retry)."""
    if engine.dialect.name == "sqlite":  # a file, not a socket: nothing to go stale
        return

    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_conn, record) -> None:
        record.info[RETURNED_AT] = monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_conn, record, _proxy) -> None:
        returned_at = record.info.get(RETURNED_AT)
        if returned_at is None or monotonic() - returned_at < after_seconds:
            return  # new, or used moments ago
        try:
            engine.dialect.do_ping(dbapi_conn)
        except engine.dialect.loaded_dbapi.Error as error:
            raise exc.DisconnectionError(f"stale pooled connection: {error}") from error


def is_postgres(session_or_conn) -> bool:
    return session_or_conn.get_bind().dialect.name == "postgresql"
