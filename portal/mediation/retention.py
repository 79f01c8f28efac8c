"""A mediation's personal data, erased with its complaint's at the end of the retention
period (`complaints.retention.erase` calls `erase_case_file` in the same transaction).

Erased: the case's free texts (the staff note, the agreement, the failure reason and the
notice of the right to sue), each session's place, link and attendance, each document's
text, note and file (the stored-file rows; the caller deletes the blobs after the commit),
and the timeline's notes. Kept: the case number, status, dates and deadlines, the panel, the
agreement's version and SHA-256 (what was agreed can still be proved against a party's own
copy), each document's kind, title and hash, and the timeline's kinds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from portal import uploads
from portal.extensions import db
from portal.mediation.models import MediationCase
from portal.mediation.services.access import DOCUMENT_FILES


@dataclass
class Erased:
    documents: int = 0
    storage_keys: list[str] = field(default_factory=list)


def erase_case_file(complaint_id: int) -> Erased:
    case = db.session.scalar(
        select(MediationCase).where(MediationCase.complaint_id == complaint_id)
    )
    if case is None:
        return Erased()
    case.note = ""
    case.agreement_text = case.failure_reason = case.notice_text = None
    for session in case.sessions:
        session.place, session.online_link, session.attendance = "", "", None
    for event in case.events:
        event.note = None
    files = uploads.files_of_each(DOCUMENT_FILES, [document.id for document in case.documents])
    for document in case.documents:
        document.text, document.note, document.file_id = None, "", None
    db.session.flush()  # the documents let go of their files before the rows go
    for stored in files:
        db.session.delete(stored)
    return Erased(len(case.documents), [stored.storage_key for stored in files])
