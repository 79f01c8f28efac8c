"""The case file's documents: append-only. Each is a text or a file (PDF, PNG, JPEG) with
its SHA-256; a correction is a new version under the same key, the earlier one stays.
Minutes, agreement texts and the failure notice are documents too."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from portal import audit, clock, uploads
from portal.errors import NotFound, NotPermitted, ValidationFailed
from portal.extensions import db
from portal.mediation.models import MediationCase, MediationDocument
from portal.mediation.services import access, timeline
from portal.mediation.states import Action, check_transition

TITLE_MAX = 200
TEXT_MAX = 20_000
KINDS = {
    "evidence": _l("Evidence"),
    "document": _l("Document"),
    "minutes": _l("Minutes"),
    "agreement": _l("Agreement text"),
    "notice": _l("Notice of the right to sue"),
}
# Kinds anyone entitled may add; the others are written by the services.
ADDABLE = ("evidence", "document")


def official(text) -> str:
    """A text the portal writes into the case file, in the association's language (zh-CN)."""
    from flask_babel import force_locale

    with force_locale("zh_CN"):
        return str(text())


def kind_label(kind: str) -> str:
    return str(KINDS.get(kind, kind))


@dataclass(frozen=True)
class FileUpload:
    source: Any  # bytes or a FileStorage
    name: str | None


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _who(actor: Any, case: MediationCase, holds_receipt: bool) -> str:
    if access.is_staff(actor):
        return "staff"
    party = access.party_of(actor, case, holds_receipt=holds_receipt)
    if party is not None:
        return party
    if access.on_panel(actor, case):
        return "committee"
    raise NotFound(_("No such mediation case."))


def _next_key(case: MediationCase) -> str:
    count = db.session.scalar(
        select(func.count(func.distinct(MediationDocument.key))).where(
            MediationDocument.case_id == case.id
        )
    )
    return f"D{(count or 0) + 1}"


def write(
    actor: Any,
    case: MediationCase,
    *,
    kind: str,
    title: str,
    text: str | None = None,
    upload: FileUpload | None = None,
    key: str | None = None,
    note: str = "",
    role: str | None = None,
) -> MediationDocument:
    """Append one document (or the next version of `key`); the checks are the caller's."""
    body = (text or "").strip() or None
    name = " ".join((title or "").split())
    fields = {}
    if not name:
        fields["title"] = _("Give the document a title.")
    elif len(name) > TITLE_MAX:
        fields["title"] = _("Use at most %(n)d characters.", n=TITLE_MAX)
    if body is None and upload is None:
        fields["text"] = _("Write the text or attach a file.")
    elif body is not None and len(body) > TEXT_MAX:
        fields["text"] = _("Use at most %(n)d characters.", n=TEXT_MAX)
    if fields:
        raise ValidationFailed(_("The document cannot be added."), fields)
    version = 1
    if key is not None:
        version = 1 + (
            db.session.scalar(
                select(func.max(MediationDocument.version)).where(
                    MediationDocument.case_id == case.id, MediationDocument.key == key
                )
            )
            or 0
        )
    document = MediationDocument(
        case_id=case.id,
        key=key or _next_key(case),
        version=version,
        kind=kind,
        title=name,
        text=body,
        sha256=text_hash(body) if body is not None else "0" * 64,
        note=(note or "").strip()[:1000],
        added_at=clock.now(),
        added_by_id=getattr(actor, "id", None),
        added_by_role=role or timeline.actor_role(actor),
    )
    case.documents.append(document)
    db.session.flush()
    if upload is not None:
        stored = uploads.store_upload(
            upload.source,
            original_name=upload.name,
            actor=actor,
            owner_type=access.DOCUMENT_FILES,
            owner_id=document.id,
            field="file",
        )
        db.session.flush()
        document.file_id = stored.id
        if body is None:
            document.sha256 = stored.sha256
    audit.record(
        "mediation.document_added",
        case,
        actor=actor,
        payload={
            "number": case.number,
            "document_id": document.id,
            "key": document.key,
            "version": document.version,
            "kind": kind,
            "sha256": document.sha256,
        },
    )
    return document


def add(
    actor: Any,
    case: MediationCase,
    *,
    kind: str = "document",
    title: str,
    text: str | None = None,
    upload: FileUpload | None = None,
    holds_receipt: bool = False,
) -> MediationDocument:
    """Staff, a party or a panel member adds evidence or a document to the case file."""
    role = _who(actor, case, holds_receipt)
    check_transition(case.status, Action.ADD_DOCUMENT)
    if kind not in ADDABLE:
        why = _("Choose evidence or a document.")
        raise ValidationFailed(why, {"kind": why})
    document = write(actor, case, kind=kind, title=title, text=text, upload=upload, role=role)
    timeline.add(case, "document_added", actor, role=role, note=document.title)
    return document


def correct(
    actor: Any,
    case: MediationCase,
    key: str,
    *,
    text: str | None = None,
    upload: FileUpload | None = None,
    note: str = "",
    holds_receipt: bool = False,
) -> MediationDocument:
    """A new version of document `key`; the earlier versions stay. Whoever added the
    document may correct it, and the secretariat may correct any; the agreement text and
    the notice change only through their own steps."""
    role = _who(actor, case, holds_receipt)
    check_transition(case.status, Action.ADD_DOCUMENT)
    versions = versions_of(case, key)
    if not versions:
        raise NotFound(_("No such document."))
    first = versions[0]
    if first.kind in ("agreement", "notice"):
        raise NotPermitted(_("The agreement and the notice change only through their own steps."))
    if role != "staff" and first.added_by_role != role:
        raise NotPermitted(_("Only whoever added a document, or the secretariat, corrects it."))
    if not (note or "").strip():
        why = _("Say what the correction changes.")
        raise ValidationFailed(why, {"note": why})
    document = write(
        actor,
        case,
        kind=first.kind,
        title=versions[-1].title,
        text=text,
        upload=upload,
        key=key,
        note=note,
        role=role,
    )
    timeline.add(case, "document_corrected", actor, role=role, note=document.title)
    return document


def versions_of(case: MediationCase, key: str) -> list[MediationDocument]:
    return sorted((d for d in case.documents if d.key == key), key=lambda d: d.version)


def grouped(case: MediationCase) -> list[list[MediationDocument]]:
    """Every document, its versions oldest first, in the order the documents began."""
    groups: dict[str, list[MediationDocument]] = {}
    for document in sorted(case.documents, key=lambda d: d.id or 0):
        groups.setdefault(document.key, []).append(document)
    return [sorted(v, key=lambda d: d.version) for v in groups.values()]
