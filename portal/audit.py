"""The append-only, hash-chained audit log.

Each entry's hash covers its own fields and the previous entry's hash, so a row
changed, deleted or moved breaks the chain at that point. Appends are serialized:
PostgreSQL takes a transaction-scoped advisory lock, SQLite already holds the
write lock from BEGIN IMMEDIATE (see database.py), and the unique `prev_hash`
makes a fork impossible even if both failed.

Payloads hold references (ids, numbers, states), never personal data.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import String, Text, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal import clock
from portal.extensions import db
from portal.types import UTCDateTime

GENESIS = "0" * 64
ADVISORY_LOCK_KEY = 0x0A0D17  # any constant shared by every process of the portal

# Keys that would carry personal data; refused in payloads as a guard against mistakes.
PERSONAL_KEYS = frozenset(
    {"name", "full_name", "id_number", "phone", "email", "address", "health", "password"}
)


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"

    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_id: Mapped[int | None] = mapped_column()
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(80), index=True)
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)

    __table_args__ = (db.Index("ix_audit_entries_object", "object_type", "object_id"),)


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(entry: AuditEntry) -> str:
    body = {
        "seq": entry.seq,
        "at": entry.at.isoformat(),
        "actor_id": entry.actor_id,
        "actor": entry.actor,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "payload": entry.payload,
        "prev_hash": entry.prev_hash,
    }
    return hashlib.sha256(canonical_json(body).encode()).hexdigest()


def _check_payload(payload: Any, path: str = "") -> None:
    if isinstance(payload, dict):
        for key, value in payload.items():
            if key in PERSONAL_KEYS:
                raise ValueError(f"audit payload may not hold personal data ({path}{key})")
            _check_payload(value, f"{path}{key}.")
    elif isinstance(payload, list):
        for value in payload:
            _check_payload(value, path)
    elif not isinstance(payload, str | int | float | bool | type(None)):
        raise TypeError(f"audit payload value of type {type(payload).__name__} at {path}")


def _lock_chain(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY})


def record(
    action: str,
    obj: Any = None,
    *,
    actor: Any = None,
    object_type: str | None = None,
    object_id: Any = None,
    payload: dict[str, Any] | None = None,
    session: Session | None = None,
) -> AuditEntry:
    """Append one entry in the caller's transaction (the caller commits).

    `obj` is a model instance (its table name and primary key are the reference);
    or pass `object_type` and `object_id` directly.
    """
    session = session or db.session
    payload = payload or {}
    _check_payload(payload)
    if obj is not None:
        object_type = object_type or obj.__tablename__
        object_id = object_id if object_id is not None else obj.id
    _lock_chain(session)
    session.flush()  # so that obj has its id
    if obj is not None and object_id is None:
        object_id = obj.id
    head = session.execute(
        select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
    ).first()
    entry = AuditEntry(
        seq=(head.seq + 1) if head else 1,
        at=clock.now(),
        actor_id=getattr(actor, "id", None),
        actor=_actor_label(actor),
        action=action,
        object_type=object_type or "-",
        object_id=str(object_id if object_id is not None else "-"),
        payload=canonical_json(payload),
        prev_hash=head.hash if head else GENESIS,
    )
    entry.hash = entry_hash(entry)
    session.add(entry)
    session.flush()
    return entry


def _actor_label(actor: Any) -> str:
    if actor is None:
        return "public"
    if isinstance(actor, str):
        return actor
    return f"{actor.role}:{actor.username}"


@dataclass(frozen=True)
class Verification:
    ok: bool
    checked: int
    bad_seq: int | None = None
    reason: str | None = None


def _entries(session: Session, batch: int = 5000) -> Iterator[AuditEntry]:
    last = 0
    while True:
        rows = session.scalars(
            select(AuditEntry).where(AuditEntry.seq > last).order_by(AuditEntry.seq).limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].seq
        session.expunge_all()


def verify(session: Session | None = None) -> Verification:
    """Walk the chain from the start; report the first entry that does not hold."""
    session = session or db.session
    expected_seq, prev, checked = 1, GENESIS, 0
    for entry in _entries(session):
        if entry.seq != expected_seq:
            return Verification(
                False,
                checked,
                expected_seq,
                f"entry {expected_seq} is missing (next is {entry.seq})",
            )
        if entry.prev_hash != prev:
            return Verification(False, checked, entry.seq, "does not link to the entry before it")
        if entry_hash(entry) != entry.hash:
            return Verification(False, checked, entry.seq, "its content does not match its hash")
        prev, expected_seq, checked = entry.hash, expected_seq + 1, checked + 1
    return Verification(True, checked)


def head(session: Session | None = None) -> AuditEntry | None:
    session = session or db.session
    return session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).first()


audit_cli = AppGroup("audit", help="The hash-chained audit log.")


@audit_cli.command("verify")
def verify_command() -> None:
    """Check every entry of the chain, then the chain against the latest signed checkpoint;
    exit 1 naming what does not hold."""
    from portal import audit_checkpoint as checkpoints

    result = verify()
    if not result.ok:
        click.echo(f"audit chain BROKEN at entry {result.bad_seq}: {result.reason}", err=True)
        raise SystemExit(1)
    try:
        checkpoint = checkpoints.latest_checkpoint()
        problem = checkpoint and checkpoints.check_against(
            checkpoint, checkpoints.trusted_public_key()
        )
    except checkpoints.CheckpointError as error:
        click.echo(f"audit checkpoint unusable: {error}", err=True)
        raise SystemExit(1) from None
    if problem:
        click.echo(f"audit chain does not match its checkpoint: {problem}", err=True)
        raise SystemExit(1)
    where = f"; matches the checkpoint at entry {checkpoint.seq}" if checkpoint else ""
    click.echo(f"audit chain OK: {result.checked} entries{where}")


@audit_cli.command("keygen")
def keygen_command() -> None:
    """Create the Ed25519 key that signs checkpoints (keep it off the database host's backups)."""
    from portal import audit_checkpoint as checkpoints

    try:
        path = checkpoints.generate_key()
    except checkpoints.CheckpointError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"signing key written to {path} (mode 600)")


@audit_cli.command("checkpoint")
def checkpoint_command() -> None:
    """Sign the chain's head and write the checkpoint (copy it off the host)."""
    from portal import audit_checkpoint as checkpoints

    result = verify()
    if not result.ok:
        raise click.ClickException(f"the chain is broken at entry {result.bad_seq}: not signing")
    try:
        checkpoint, path = checkpoints.write_checkpoint()
    except checkpoints.CheckpointError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"checkpoint of entry {checkpoint.seq} written to {path}")
    click.echo(json.dumps(checkpoint.__dict__))


def register(app: Flask) -> None:
    app.cli.add_command(audit_cli)
