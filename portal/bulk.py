"""Writing many rows at once, in the session's transaction.

On PostgreSQL the rows go in through COPY: one stream instead of a statement per row, which
is what a yearly run over 20,000 members spends most of its writing time on. Elsewhere
(SQLite in development and tests) they go in as one executemany INSERT.

COPY bypasses SQLAlchemy's type processing, so the values get it here: JSON columns are
serialised, and custom column types (UTC datetimes, encrypted fields) convert as they would
for an INSERT.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import JSON, Column, Table, TypeDecorator, insert

from portal.extensions import db


def insert_rows(table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert `rows` (dicts with the same keys, named after `table`'s columns)."""
    if not rows:
        return
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        connection.execute(insert(table), rows)
        return
    names = list(rows[0])
    converters = [(name, _converter(table.c[name], connection.dialect)) for name in names]
    columns = ", ".join(f'"{name}"' for name in names)
    cursor = connection.connection.driver_connection.cursor()
    with cursor, cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([row[name] if to is None else to(row[name]) for name, to in converters])


def _converter(column: Column, dialect) -> Callable[[Any], Any] | None:
    kind = column.type
    if isinstance(kind, JSON):
        return lambda value: None if value is None else json.dumps(value, ensure_ascii=False)
    if isinstance(kind, TypeDecorator):
        return lambda value: kind.process_bind_param(value, dialect)
    return None
