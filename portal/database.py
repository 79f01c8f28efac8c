"""Connection settings every engine gets.

SQLite: foreign keys on, WAL, a busy timeout, and `BEGIN IMMEDIATE` for every
transaction. Deferred transactions that read then write fail at once with
"database is locked" when another writer got there first (the busy handler cannot
help a lock upgrade); taking the write lock at BEGIN makes concurrent writers wait
their turn instead. Readers are not blocked under WAL.
"""

from __future__ import annotations

import sqlite3

from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.engine import Engine


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
def _sqlite_begin_immediate(conn) -> None:
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def is_postgres(session_or_conn) -> bool:
    return session_or_conn.get_bind().dialect.name == "postgresql"
