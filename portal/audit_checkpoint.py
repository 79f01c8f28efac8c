"""Signed checkpoints of the audit chain's head (Ed25519), kept outside the database.

The hash chain alone proves that nobody changed one entry; someone who can write to the
database could still rewrite the whole chain with fresh hashes. A checkpoint signs the head
(`seq`, `hash`, time) with a key that is not in the database, and is written as a small JSON
file meant to be copied off the host (or printed to a log that is). `flask audit verify`
then checks the chain against the latest checkpoint: the entry at its `seq` must still carry
the signed hash, so a rewrite, a truncation or a forged checkpoint is reported.

- `AUDIT_SIGNING_KEY_FILE`: the Ed25519 private key (PEM, PKCS#8), created by
  `flask audit keygen` with mode 600; default `instance/audit-signing.key`.
- `AUDIT_CHECKPOINT_DIR`: where checkpoints are written and read; default
  `instance/audit-checkpoints`.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from flask import current_app
from sqlalchemy import select

from portal import audit, clock
from portal.extensions import db


class CheckpointError(RuntimeError):
    pass


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: str
    public_key: str  # base64 of the raw 32-byte Ed25519 public key
    signature: str  # base64

    def message(self) -> bytes:
        return f"oha-audit-checkpoint\n{self.seq}\n{self.hash}\n{self.at}".encode()


def _key_path() -> Path:
    configured = current_app.config.get("AUDIT_SIGNING_KEY_FILE")
    return Path(configured or Path(current_app.instance_path) / "audit-signing.key")


def checkpoint_dir() -> Path:
    configured = current_app.config.get("AUDIT_CHECKPOINT_DIR")
    return Path(configured or Path(current_app.instance_path) / "audit-checkpoints")


def generate_key() -> Path:
    path = _key_path()
    if path.exists():
        raise CheckpointError(f"{path} exists already; move it away first to replace it")
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    return path


def _private_key() -> Ed25519PrivateKey:
    path = _key_path()
    if not path.exists():
        raise CheckpointError(f"no signing key at {path}: run `flask audit keygen` first")
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise CheckpointError(f"{path} is not an Ed25519 private key")
    return key


def _raw_public(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def trusted_public_key() -> str:
    """The public key checkpoints must be signed with: the signing key's own."""
    return _raw_public(_private_key().public_key())


def write_checkpoint() -> tuple[Checkpoint, Path]:
    head = audit.head()
    if head is None:
        raise CheckpointError("the audit chain is empty: nothing to sign")
    key = _private_key()
    unsigned = Checkpoint(
        head.seq, head.hash, clock.now().isoformat(), _raw_public(key.public_key()), ""
    )
    signature = base64.b64encode(key.sign(unsigned.message())).decode()
    checkpoint = Checkpoint(**{**unsigned.__dict__, "signature": signature})
    folder = checkpoint_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"checkpoint-{head.seq:012d}.json"
    path.write_text(json.dumps(checkpoint.__dict__, indent=2) + "\n")
    return checkpoint, path


def latest_checkpoint() -> Checkpoint | None:
    folder = checkpoint_dir()
    files = sorted(folder.glob("checkpoint-*.json")) if folder.exists() else []
    if not files:
        return None
    try:
        return Checkpoint(**json.loads(files[-1].read_text()))
    except (TypeError, ValueError) as error:
        raise CheckpointError(f"{files[-1].name} is not a checkpoint: {error}") from None


def check_against(checkpoint: Checkpoint, public_key: str) -> str | None:
    """Why the chain does not match the checkpoint, or None when it does."""
    if checkpoint.public_key != public_key:
        return "the checkpoint was signed with a key other than the portal's"
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key))
        key.verify(base64.b64decode(checkpoint.signature), checkpoint.message())
    except (InvalidSignature, ValueError):
        return "the checkpoint's signature does not verify"
    stored = db.session.scalar(
        select(audit.AuditEntry.hash).where(audit.AuditEntry.seq == checkpoint.seq)
    )
    if stored is None:
        return f"entry {checkpoint.seq}, signed in the checkpoint, is missing"
    if stored != checkpoint.hash:
        return f"entry {checkpoint.seq} no longer has the hash signed in the checkpoint"
    return None
