"""Tracking numbers, receipt codes and submission keys.

- Tracking numbers are `TS-<year>-<6 digits>`, numbered per year from a counter row that
  the filing transaction increments (the row lock, or SQLite's write lock, serializes them).
  They are not secret: a complaint is read with its number *and* its receipt code.
- A receipt code is 12 characters of Crockford's base32 (60 random bits), shown in groups
  of four: `K7QM-4XRP-9D2T`. Only its argon2id hash is stored; `verify_code` runs argon2
  even when there is nothing to compare (an unknown number), so a wrong number and a wrong
  code take the same time and give the same answer. Input is forgiving: case, spaces,
  dashes, O for 0 and I/L for 1.
- A double submit must not create two complaints, nor lose the code of the first: the code
  is derived from the submission's one-time seed (the form's token, or the API's
  Idempotency-Key with the body's fingerprint) with an HMAC under a key derived from
  SECRET_KEY. Repeating the same submission therefore shows the same code again, and only
  whoever holds the seed can do that. The table keeps an HMAC of the seed (`submission_key`,
  unique), never the seed itself.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from portal.complaints.models import ComplaintCounter
from portal.extensions import db

TRACKING_PREFIX = "TS"
TRACKING_RE = re.compile(r"^TS-(\d{4})-(\d{6})$")
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32
CODE_LENGTH = 12
CODE_RE = re.compile(rf"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{32,128}$")
IDEMPOTENCY_RE = re.compile(r"^[A-Za-z0-9_.:-]{16,128}$")

# The code has 60 random bits: argon2 need not be slow to protect it, only unkeyed (nothing
# to rotate) and salted. These are OWASP's minimum argon2id parameters.
_hasher = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)
_DUMMY_HASH = _hasher.hash("0000-0000-0000")


def _key(purpose: bytes) -> bytes:
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, b"oha-portal complaints " + purpose, hashlib.sha256).digest()


# --- tracking numbers -----------------------------------------------------------------


def allocate_tracking_number(year: int) -> str:
    """The next tracking number of `year` (in the caller's transaction)."""
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = (
        insert(ComplaintCounter)
        .values(year=year, last=1)
        .on_conflict_do_update(index_elements=["year"], set_={"last": ComplaintCounter.last + 1})
        .returning(ComplaintCounter.last)
    )
    number = db.session.execute(statement).scalar_one()
    return f"{TRACKING_PREFIX}-{year}-{number:06d}"


def normalize_tracking_number(value: str | None) -> str:
    """Upper case, no spaces; "ts 2026 123" and "TS-2026-000123" both give the latter."""
    text = "".join((value or "").split()).upper().replace("_", "-")
    match = re.match(r"^TS-?(\d{4})-?(\d{1,6})$", text)
    if match:
        return f"{TRACKING_PREFIX}-{match.group(1)}-{int(match.group(2)):06d}"
    return text[:20]


# --- receipt codes ----------------------------------------------------------------------


def normalize_code(value: str | None) -> str:
    text = "".join((value or "").split()).upper().replace("-", "")
    return text.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))


def format_code(code: str) -> str:
    code = normalize_code(code)
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def derive_code(seed: str) -> str:
    """The receipt code of a submission seed (the same seed always gives the same code)."""
    digest = hmac.new(_key(b"receipt code"), seed.encode(), hashlib.sha256).digest()
    number = int.from_bytes(digest[:8], "big") >> 4  # 60 bits
    chars = []
    for _ in range(CODE_LENGTH):
        number, index = divmod(number, 32)
        chars.append(CODE_ALPHABET[index])
    return format_code("".join(chars))


def hash_code(code: str) -> str:
    return _hasher.hash(normalize_code(code))


def verify_code(stored_hash: str | None, code: str | None) -> bool:
    """Constant work whether or not there is a hash to check (argon2 compares in constant
    time); False for anything but a match."""
    candidate = normalize_code(code)
    try:
        matched = _hasher.verify(stored_hash or _DUMMY_HASH, candidate)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    return bool(matched and stored_hash is not None and CODE_RE.match(candidate))


# --- submissions ------------------------------------------------------------------------


def new_form_token() -> str:
    """A one-time token for a complaint form; the complaint it creates is unique per token."""
    return secrets.token_urlsafe(32)


def submission_key(seed_kind: str, seed: str) -> str:
    """What the table keeps of a submission seed: an HMAC, unique per complaint."""
    message = f"{seed_kind}\0{seed}".encode()
    return hmac.new(_key(b"submission"), message, hashlib.sha256).hexdigest()


def fingerprint(data: dict[str, Any]) -> str:
    """An HMAC of a request body, to tell a repeated request from a different one that
    reuses its Idempotency-Key (the body holds personal data, so never a plain hash)."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hmac.new(_key(b"fingerprint"), text.encode(), hashlib.sha256).hexdigest()
