"""Writing many rows at once, in the session's transaction.

On PostgreSQL the rows go in through COPY: one stream instead of a statement per row, which
is what a yearly run over 20,000 members spends most of its writing time on. Rows are sent
as they are written, so the server stores them while the caller computes the next ones.
Elsewhere (SQLite in development and tests) they go in as one executemany INSERT.

COPY bypasses SQLAlchemy's type processing, so the values get it here: JSON columns are
serialised (unless given as `JsonText`, already serialised), and custom column types (UTC
datetimes, encrypted fields) convert as they would for an INSERT.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import orjson
from sqlalchemy import JSON, Column, Table, TypeDecorator, insert

from portal.extensions import db

RowWriter = Callable[[Sequence[Any]], None]


class JsonText(str):
    """A JSON column's value serialised by the caller (who hashed that text, say); stored
    as it is, never serialised a second time."""


def insert_rows(table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert `rows` (dicts with the same keys, named after `table`'s columns)."""
    if not rows:
        return
    names = list(rows[0])
    with row_writer(table, names) as write:
        for row in rows:
            write([row[name] for name in names])


@contextmanager
def row_writer(
    table: Table, names: list[str], constants: dict[str, Any] | None = None
) -> Iterator[RowWriter]:
    """Yield `write(values)` for rows given as values in the order of `names`; all of them
    are stored when the block ends without an error. `constants` are columns with the same
    value in every row (a run's id, say), converted once."""
    constants = constants or {}
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        rows: list[dict[str, Any]] = []
        yield lambda values: rows.append({**dict(zip(names, values, strict=True)), **constants})
        if rows:
            connection.execute(insert(table), [_decoded(row) for row in rows])
        return
    dialect = connection.dialect
    # only the columns whose values need converting, by position
    conversions = [
        (index, to)
        for index, name in enumerate(names)
        if (to := _converter(table.c[name], dialect)) is not None
    ]
    fixed = [_convert(table.c[name], value, dialect) for name, value in constants.items()]
    columns = ", ".join(f'"{name}"' for name in [*names, *constants])
    cursor = connection.connection.driver_connection.cursor()
    with cursor, cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy:

        def write(values: Sequence[Any]) -> None:
            row = [*values, *fixed]
            for index, to in conversions:
                row[index] = to(row[index])
            copy.write_row(row)

        yield write


def _convert(column: Column, value: Any, dialect) -> Any:
    to = _converter(column, dialect)
    return value if to is None else to(value)


def _converter(column: Column, dialect) -> Callable[[Any], Any] | None:
    kind = column.type
    if isinstance(kind, JSON):
        return _json
    if isinstance(kind, TypeDecorator):
        return lambda value: kind.process_bind_param(value, dialect)
    return None


def _json(value: Any) -> str | None:
    if value is None or isinstance(value, JsonText):
        return value
    # as json.dumps(value, ensure_ascii=False) writes it, ten times faster
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


def _decoded(row: dict[str, Any]) -> dict[str, Any]:
    """The row with JsonText values parsed back, for an INSERT whose JSON type serialises."""
    return {
        # str(): orjson reads only exact str, not a subclass
        name: orjson.loads(str(value)) if isinstance(value, JsonText) else value
        for name, value in row.items()
    }
