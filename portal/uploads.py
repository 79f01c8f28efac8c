"""Stored files: evidence and credential scans that any domain can attach to its objects.

- `store_upload(...)` checks a file by its content (PDF, PNG or JPEG magic bytes; the
  name decides nothing, but a name whose extension contradicts the content is refused),
  keeps the bytes under UPLOAD_DIR in a content-addressed layout `ab/cd/<sha256>` (written
  atomically, stored once however often it is uploaded) and adds a `StoredFile` row in the
  caller's transaction. The user's file name is kept, sanitized, for downloads only; it is
  never part of a path.
- A blob written for a transaction that is later rolled back stays on disk unreferenced;
  that is harmless (content-addressed) and a clean-up sweep can remove such blobs later.
- Access is deny by default: each domain registers `predicate(actor, owner_id) -> bool`
  for its `owner_type` with `register_file_access`; `GET /files/<uid>` and
  `GET /api/v1/files/<uid>` answer 404 unless that predicate says yes.
"""

from __future__ import annotations

import contextlib
import hashlib
import mimetypes
import os
import re
import secrets
import tempfile
import unicodedata
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from flask import Blueprint, Response, current_app
from flask_babel import gettext as _
from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column

from portal import audit, clock
from portal.errors import NotFound, ValidationFailed
from portal.extensions import db
from portal.security import current_actor, logged_in
from portal.types import UTCDateTime

NAME_MAX = 200
DEFAULT_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
STORAGE_KEY = re.compile(r"^[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{64}$")
OWNER_TYPE = re.compile(r"^[a-z][a-z0-9_.]{0,39}$")
DOWNLOAD_CSP = "default-src 'none'; sandbox"


class FileKind:
    """One accepted type: how its content starts, its media type, the extensions it may have."""

    def __init__(
        self, key: str, label: str, media_type: str, magic: bytes, extensions: tuple[str, ...]
    ):
        self.key, self.label, self.media_type = key, label, media_type
        self.magic, self.extensions = magic, extensions


KINDS: dict[str, FileKind] = {
    kind.key: kind
    for kind in (
        FileKind("pdf", "PDF", "application/pdf", b"%PDF-", (".pdf",)),
        FileKind("png", "PNG", "image/png", b"\x89PNG\r\n\x1a\n", (".png",)),
        FileKind("jpeg", "JPEG", "image/jpeg", b"\xff\xd8\xff", (".jpg", ".jpeg", ".jpe", ".jfif")),
    )
}


class StoredFile(db.Model):
    __tablename__ = "stored_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(64), unique=True)  # the only id used in URLs
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column()
    media_type: Mapped[str] = mapped_column(String(64))
    original_name: Mapped[str] = mapped_column(String(NAME_MAX))
    storage_key: Mapped[str] = mapped_column(String(80))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    owner_type: Mapped[str] = mapped_column(String(40))
    owner_id: Mapped[str] = mapped_column(String(64))

    __table_args__ = (db.Index("ix_stored_files_owner", "owner_type", "owner_id"),)

    def __repr__(self) -> str:
        return f"<StoredFile {self.id} {self.media_type} {self.owner_type}:{self.owner_id}>"


class StoredFileCorrupt(RuntimeError):
    """The bytes on disk are missing or no longer match the recorded hash."""


# -- names ---------------------------------------------------------------------------

_FORBIDDEN_NAME_CHARS = set('<>:"|?*')
_DROPPED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}  # controls, bidi overrides...


def sanitize_name(name: str | None) -> str:
    """The base name only: no directories, control or bidi characters; at most 200 chars.

    May return "" (nothing usable was left)."""
    text = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    text = " ".join(text.split())  # newlines and tabs become single spaces
    text = "".join(
        "_" if ch in _FORBIDDEN_NAME_CHARS else ch
        for ch in text
        if unicodedata.category(ch) not in _DROPPED_CATEGORIES
    )
    text = " ".join(text.split()).strip(" .")
    return _truncate(text)


def _truncate(name: str) -> str:
    if len(name) <= NAME_MAX:
        return name
    stem, ext = os.path.splitext(name)
    ext = ext if len(ext) <= 16 else ""
    return stem[: NAME_MAX - len(ext)].rstrip(" .") + ext


def _download_name(name: str, kind: FileKind, field: str) -> str:
    """The sanitized name, refused if its extension contradicts the content.

    An extension that names no known type ("report 2024.03") is kept and the right one
    appended; a missing name becomes "file.<ext>"."""
    if not name:
        return "file" + kind.extensions[0]
    ext = os.path.splitext(name)[1].lower()
    if ext in kind.extensions:
        return name
    if ext and _known_extension(ext):
        reason = _(
            "The file is a %(kind)s but its name ends in %(ext)s. Rename it or choose "
            "the right file.",
            kind=kind.label,
            ext=ext,
        )
        raise ValidationFailed(reason, {field: reason})
    return _truncate(name + kind.extensions[0])  # keeps the appended extension


def _known_extension(ext: str) -> bool:
    """Ours, or one the mimetypes tables know (built in, plus /etc/mime.types if present)."""
    return (
        any(ext in kind.extensions for kind in KINDS.values())
        or mimetypes.guess_type("x" + ext, strict=False)[0] is not None
    )


# -- storing -------------------------------------------------------------------------


def upload_dir() -> Path:
    return Path(current_app.config["UPLOAD_DIR"])


def max_bytes() -> int:
    return int(current_app.config.get("UPLOAD_MAX_BYTES") or DEFAULT_UPLOAD_MAX_BYTES)


def _size_label(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):g} MB"
    if n >= 1024:
        return f"{n / 1024:g} KB"
    return f"{n} B"


def _read_limited(source: Any, limit: int) -> bytes:
    if isinstance(source, bytes | bytearray | memoryview):
        return bytes(source[: limit + 1])
    stream = getattr(source, "stream", source)  # werkzeug FileStorage or any binary file
    data = stream.read(limit + 1)
    if not isinstance(data, bytes):
        raise TypeError("store_upload needs bytes or a binary file")
    return data


def detect_kind(data: bytes) -> FileKind | None:
    """The type of `data` by its first bytes, or None."""
    return next((kind for kind in KINDS.values() if data.startswith(kind.magic)), None)


def _check_content(data: bytes, allowed: Iterable[str], field: str) -> FileKind:
    allowed = tuple(allowed)
    unknown = set(allowed) - KINDS.keys()
    if unknown:
        raise ValueError(f"unknown file kinds: {sorted(unknown)}")
    labels = ", ".join(KINDS[key].label for key in allowed)
    kind = detect_kind(data)
    if kind is None:
        reason = _(
            "Only these file types are accepted: %(types)s. This file's content is none of them.",
            types=labels,
        )
    elif kind.key not in allowed:
        reason = _(
            "The file is a %(kind)s; only these file types are accepted here: %(types)s.",
            kind=kind.label,
            types=labels,
        )
    else:
        return kind
    raise ValidationFailed(reason, {field: reason})


def _write_blob(root: Path, key: str, data: bytes) -> bool:
    """Write `data` at root/key atomically; False when identical bytes are already there."""
    target = root / key
    if target.is_file() and target.stat().st_size == len(data):
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    try:
        with os.fdopen(handle, "wb") as temp:
            temp.write(data)
            temp.flush()
            os.fsync(temp.fileno())
        os.replace(temp_name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise
    return True


def store_upload(
    source: Any,
    *,
    original_name: str | None = None,
    actor: Any,
    owner_type: str,
    owner_id: Any,
    allowed: Iterable[str] = ("pdf", "png", "jpeg"),
    field: str = "file",
) -> StoredFile:
    """Check and keep one uploaded file for (owner_type, owner_id); the caller commits.

    `source` is bytes, a werkzeug FileStorage or a binary file object; `original_name`
    defaults to the FileStorage's filename. Raises ValidationFailed naming `field`."""
    if not OWNER_TYPE.match(owner_type or ""):
        raise ValueError(f"owner_type must be a short lowercase name, not {owner_type!r}")
    owner = str(owner_id)
    if not owner or len(owner) > 64:
        raise ValueError("owner_id must be 1 to 64 characters")
    limit = max_bytes()
    data = _read_limited(source, limit)
    if not data:
        reason = _("The file is empty.")
        raise ValidationFailed(reason, {field: reason})
    if len(data) > limit:
        reason = _("The file is larger than %(size)s.", size=_size_label(limit))
        raise ValidationFailed(reason, {field: reason})
    kind = _check_content(data, allowed, field)
    if original_name is None:
        original_name = getattr(source, "filename", None)
    name = _download_name(sanitize_name(original_name), kind, field)
    digest = hashlib.sha256(data).hexdigest()
    key = f"{digest[:2]}/{digest[2:4]}/{digest}"
    _write_blob(upload_dir(), key, data)
    stored = StoredFile(
        uid=secrets.token_urlsafe(24),
        sha256=digest,
        size=len(data),
        media_type=kind.media_type,
        original_name=name,
        storage_key=key,
        uploaded_by_id=getattr(actor, "id", None),
        created_at=clock.now(),
        owner_type=owner_type,
        owner_id=owner,
    )
    db.session.add(stored)
    # The name stays out of the audit log: it may hold personal data ("张三身份证.jpg").
    audit.record(
        "file.uploaded",
        stored,
        actor=actor,
        payload={
            "sha256": digest,
            "size": len(data),
            "media_type": kind.media_type,
            "owner_type": owner_type,
            "owner_id": owner,
        },
    )
    return stored


def files_of(owner_type: str, owner_id: Any) -> list[StoredFile]:
    """The files attached to one object, oldest first."""
    return files_of_each(owner_type, [owner_id])


def files_of_each(owner_type: str, owner_ids: Iterable[Any]) -> list[StoredFile]:
    """The files attached to any of these objects (of one type), in one query, oldest first."""
    return list(
        db.session.scalars(
            select(StoredFile)
            .where(
                StoredFile.owner_type == owner_type,
                StoredFile.owner_id.in_([str(owner_id) for owner_id in owner_ids]),
            )
            .order_by(StoredFile.created_at, StoredFile.id)
        )
    )


# -- reading and sending ---------------------------------------------------------------


def open_stored(stored: StoredFile) -> bytes:
    """The file's bytes, checked against the recorded size and SHA-256."""
    if not STORAGE_KEY.match(stored.storage_key or ""):
        raise StoredFileCorrupt(f"stored file {stored.id} has a malformed storage key")
    try:
        data = (upload_dir() / stored.storage_key).read_bytes()
    except FileNotFoundError:
        raise StoredFileCorrupt(f"stored file {stored.id} is missing on disk") from None
    if len(data) != stored.size or hashlib.sha256(data).hexdigest() != stored.sha256:
        raise StoredFileCorrupt(f"stored file {stored.id} does not match its hash")
    return data


def content_disposition(name: str) -> str:
    """`attachment` with an ASCII fallback name and the exact UTF-8 name (RFC 6266/5987)."""
    stem, ext = os.path.splitext(name)
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    ascii_stem = re.sub(r"[^A-Za-z0-9._ -]", "_", ascii_stem).strip("._ ")
    ascii_ext = re.sub(r"[^A-Za-z0-9.]", "", ext)
    fallback = (ascii_stem if ascii_stem.strip("_") else "file") + ascii_ext
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def send_stored(stored: StoredFile) -> Response:
    """The file as a download that no browser renders or sniffs in the portal's origin."""
    response = current_app.response_class(open_stored(stored), mimetype=stored.media_type)
    response.headers["Content-Disposition"] = content_disposition(stored.original_name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Security-Policy"] = DOWNLOAD_CSP
    return response


# -- access ----------------------------------------------------------------------------

FileAccessPredicate = Callable[[Any, str], bool]
_ACCESS: dict[str, FileAccessPredicate] = {}


def register_file_access(owner_type: str, predicate: FileAccessPredicate) -> FileAccessPredicate:
    """Let `predicate(actor, owner_id)` decide who may download files of `owner_type`.

    `owner_id` arrives as the stored string. One predicate per owner type; registering a
    different one for a taken type is a mistake and raises."""
    existing = _ACCESS.get(owner_type)
    if existing is not None and existing is not predicate:
        raise ValueError(f"file access for {owner_type!r} is already registered")
    _ACCESS[owner_type] = predicate
    return predicate


def unregister_file_access(owner_type: str) -> None:
    """Forget the predicate of `owner_type` (tests)."""
    _ACCESS.pop(owner_type, None)


def can_download(actor: Any, stored: StoredFile) -> bool:
    """Deny by default: only the owner type's registered predicate can say yes."""
    predicate = _ACCESS.get(stored.owner_type)
    return actor is not None and predicate is not None and bool(predicate(actor, stored.owner_id))


def file_for_download(actor: Any, uid: str) -> StoredFile:
    """The file `uid` if `actor` may download it; NotFound otherwise (no hint it exists)."""
    stored = (
        db.session.scalar(select(StoredFile).where(StoredFile.uid == uid))
        if 0 < len(uid) <= 64
        else None
    )
    if stored is None or not can_download(actor, stored):
        raise NotFound(_("No such file."))
    return stored


bp = Blueprint("files", __name__)


@bp.route("/files/<uid>")
@logged_in
def download(uid: str):
    return send_stored(file_for_download(current_actor(), uid))
