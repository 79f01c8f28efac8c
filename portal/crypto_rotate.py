"""`flask crypto rotate` and `flask crypto status`: move every encrypted value to the current
data key, and count the values per key id.

Rotation, step by step: add the new key to DATA_KEYS, make it DATA_KEY_ID, restart the portal
(old keys stay in the ring and still decrypt), run `flask crypto rotate`, check `flask crypto
status` shows only the new key id, and only then retire the old key.

The encrypted columns are discovered from the mapped models (every `encrypted(...)` field of
every model), never from a hand-kept list. Each table is read in batches ordered by primary
key; each batch is its own transaction with one audit entry (table, key id, id range, counts:
references only).

Resuming needs no progress table: a value whose envelope already names the current key is
skipped, so a run after a crash skips what the first run committed and goes on. The portal
may keep serving meanwhile: a value written after the key change is already under the new key
(and skipped); each value is replaced with a conditional UPDATE (`WHERE pk = ? AND column =
<the envelope read>`), so a value someone changed between our read and our write is left as
they wrote it, never overwritten with an older one.

The blind indexes (BLIND_INDEX_KEY) are not touched: the plaintexts do not change, so the
indexes stay valid. Rotating the blind-index key is another operation (every index column
recomputed) that this command does not do.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import Table, select, update

from portal import audit, crypto
from portal.extensions import db

ACTOR = "cli:crypto.rotate"
BATCH_SIZE = 500


@dataclass(frozen=True)
class EncryptedTable:
    """One table with encrypted columns: its primary key, uid and envelope columns."""

    table: Table
    model: type
    columns: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.table.name


@dataclass
class RotationReport:
    batches: int = 0
    rows: int = 0
    values: int = 0
    by_table: dict[str, int] = field(default_factory=dict)


def encrypted_tables() -> list[EncryptedTable]:
    """Every mapped model that has `encrypted(...)` fields, with their database columns."""
    found: dict[str, EncryptedTable] = {}
    for mapper in db.Model.registry.mappers:
        cls = mapper.class_
        fields = crypto.encrypted_fields(cls)
        if not fields:
            continue
        table = mapper.local_table
        columns = tuple(
            sorted({mapper.get_property(f.column).columns[0].name for f in fields.values()})
        )
        if table.name in found:  # single-table inheritance: one table, one entry
            columns = tuple(sorted(set(found[table.name].columns) | set(columns)))
        found[table.name] = EncryptedTable(table, cls, columns)
    return [found[name] for name in sorted(found)]


def _primary_key(table: Table):
    (pk,) = table.primary_key.columns  # every encrypted model has a one-column key
    return pk


def _batches(spec: EncryptedTable, size: int) -> Iterator[list]:
    pk = _primary_key(spec.table)
    cols = [spec.table.c[name] for name in spec.columns]
    last = None
    while True:
        stmt = select(pk, spec.table.c.uid, *cols).order_by(pk).limit(size)
        if last is not None:
            stmt = stmt.where(pk > last)
        rows = db.session.execute(stmt).all()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _reseal_batch(spec: EncryptedTable, rows: list, ring: crypto.KeyRing) -> tuple[int, int]:
    """Re-encrypt the stale values of one batch; (rows changed, values changed)."""
    table, pk = spec.table, _primary_key(spec.table)
    rows_changed = values_changed = 0
    for row in rows:
        row_id, uid, envelopes = row[0], row[1], row[2:]
        changed = 0
        for column, envelope in zip(spec.columns, envelopes, strict=True):
            if envelope is None or not ring.needs_reseal(envelope):
                continue
            fresh = ring.reseal(envelope, crypto.field_aad(table.name, column, uid))
            result = db.session.execute(
                update(table)
                .where(pk == row_id, table.c[column] == envelope)
                .values({column: fresh})
            )
            changed += result.rowcount  # 0: rewritten meanwhile, already under the new key
        if changed:
            rows_changed += 1
            values_changed += changed
    return rows_changed, values_changed


def _batch_done(spec: EncryptedTable, first_id, last_id) -> None:
    """Called after each committed batch (a hook for tests and progress output)."""


def rotate(
    batch_size: int = BATCH_SIZE, echo: Callable[[str], None] | None = None
) -> RotationReport:
    """Re-encrypt every value not under DATA_KEY_ID; commits one transaction per batch."""
    ring = crypto.key_ring()
    report = RotationReport()
    for spec in encrypted_tables():
        for rows in _batches(spec, batch_size):
            try:
                changed_rows, changed_values = _reseal_batch(spec, rows, ring)
                if changed_values:
                    audit.record(
                        "crypto.rotated",
                        actor=ACTOR,
                        object_type=spec.name,
                        object_id=f"{rows[0][0]}-{rows[-1][0]}",
                        payload={
                            "key_id": ring.current_id,
                            "first_id": rows[0][0],
                            "last_id": rows[-1][0],
                            "rows": changed_rows,
                            "values": changed_values,
                        },
                    )
                db.session.commit()
            except Exception:
                db.session.rollback()
                raise
            report.batches += 1
            report.rows += changed_rows
            report.values += changed_values
            report.by_table[spec.name] = report.by_table.get(spec.name, 0) + changed_values
            if echo:
                echo(f"{spec.name} {rows[0][0]}..{rows[-1][0]}: {changed_values} value(s)")
            _batch_done(spec, rows[0][0], rows[-1][0])
    return report


def status() -> dict[str, Counter]:
    """How many values each key id holds, per "table.column"."""
    counts: dict[str, Counter] = {}
    for spec in encrypted_tables():
        for column in spec.columns:
            col = spec.table.c[column]
            tally: Counter = Counter()
            result = db.session.execute(
                select(col).where(col.is_not(None)).execution_options(yield_per=1000)
            )
            for (envelope,) in result:
                tally[crypto.envelope_key_id(envelope)] += 1
            counts[f"{spec.name}.{column}"] = tally
    return counts


crypto_cli = AppGroup("crypto", help="Field encryption keys: rotation and status.")


@crypto_cli.command("rotate")
@click.option("--batch-size", default=BATCH_SIZE, show_default=True, type=click.IntRange(1))
def rotate_command(batch_size: int) -> None:
    """Re-encrypt every encrypted value under the current data key (DATA_KEY_ID).

    Safe to run while the portal serves, and to run again after a crash (values already
    under the current key are skipped). Keep the old keys in DATA_KEYS until `flask crypto
    status` shows no value under them. The blind-index key (BLIND_INDEX_KEY) is NOT rotated
    by this command: the blind indexes stay as they are.
    """
    ring = crypto.key_ring()
    click.echo(f"re-encrypting under key {ring.current_id!r}")
    report = rotate(batch_size, echo=click.echo)
    click.echo(
        f"done: {report.values} value(s) in {report.rows} row(s), {report.batches} batch(es)"
    )


@crypto_cli.command("status")
def status_command() -> None:
    """How many encrypted values each key id holds, per column."""
    current = crypto.key_ring().current_id
    total: Counter = Counter()
    for column, tally in status().items():
        parts = ", ".join(f"{key}: {n}" for key, n in sorted(tally.items())) or "no values"
        click.echo(f"{column}: {parts}")
        total.update(tally)
    stale = sum(n for key, n in total.items() if key != current)
    click.echo(f"current key {current!r}; {stale} value(s) under other keys")


def register(app: Flask) -> None:
    app.cli.add_command(crypto_cli)
