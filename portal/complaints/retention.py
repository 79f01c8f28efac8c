"""`complaints.retention_sweep`: erase the personal data of complaint files closed longer ago
than the retention period, keep the de-identified record.

The period is `COMPLAINT_RETENTION_YEARS` (default 5; the SPEC names no figure), counted in
calendar years from the closing date in Asia/Shanghai: a file closed on 2021-06-30 is erased
on or after 2026-06-30, not the day before. (Closed on 29 February: on 1 March.)

Erased: the complainant's name, ID number (and its blind index), phone, e-mail and health
details, the description and the material texts (free text the complainant wrote), the
agency's responses and the timeline's notes (free text that may repeat them), the link to
their account and the receipt hash, the correction requests' values, the evidence and
material files (their rows; a blob is deleted once no stored file refers to it any more),
and the mediation's case file (`portal/mediation/retention.py`).
Kept: tracking number, category, subtype, agency, channel, dates, status, finding, outcome,
deadlines and the timeline's kinds, so the statistics still count the complaint.

Each complaint is claimed with a conditional UPDATE (`SET erased_at = now WHERE id = ? AND
erased_at IS NULL`) and erased and audited in the same transaction, committed per complaint;
blobs are unlinked after the commit. Two sweeps never act twice on one complaint.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy import or_, select, update

from portal import audit, clock, scheduler, uploads
from portal.complaints.models import Complaint, ComplaintCorrection, ComplaintMaterial
from portal.complaints.services import access
from portal.complaints.states import Status
from portal.extensions import db

if TYPE_CHECKING:
    from portal.mediation.retention import Erased

log = logging.getLogger(__name__)

ACTOR = "scheduler:complaints.retention_sweep"
DEFAULT_YEARS = 5
ERASED_TEXT = ""


def retention_years() -> int:
    return int(current_app.config.get("COMPLAINT_RETENTION_YEARS", DEFAULT_YEARS))


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def cutoff(now: datetime, years: int) -> datetime:
    """Files closed before this instant are due: closed on or before today minus `years`."""
    last_day = _years_before(clock.shanghai(now).date(), years)
    return datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=clock.SHANGHAI)


def due_ids(now: datetime, years: int) -> list[int]:
    return list(
        db.session.scalars(
            select(Complaint.id)
            .where(
                Complaint.status == Status.CLOSED.value,
                Complaint.closed_at < cutoff(now, years),
                Complaint.erased_at.is_(None),
            )
            .order_by(Complaint.id)
        )
    )


def _claim(complaint_id: int, now: datetime) -> bool:
    result = db.session.execute(
        update(Complaint)
        .where(Complaint.id == complaint_id, Complaint.erased_at.is_(None))
        .values(erased_at=now)
    )
    return result.rowcount == 1


def _files(complaint: Complaint) -> list[uploads.StoredFile]:
    material_ids = [str(m.id) for m in complaint.materials]
    conditions = [
        (uploads.StoredFile.owner_type == access.EVIDENCE_FILES)
        & (uploads.StoredFile.owner_id == str(complaint.id))
    ]
    if material_ids:
        conditions.append(
            (uploads.StoredFile.owner_type == access.MATERIAL_FILES)
            & uploads.StoredFile.owner_id.in_(material_ids)
        )
    return list(db.session.scalars(select(uploads.StoredFile).where(or_(*conditions))))


def erase(complaint: Complaint, now: datetime) -> list[str]:
    """Erase one claimed complaint's personal data; the storage keys whose rows went."""
    for field in ("name", "id_number", "phone", "email", "health"):
        setattr(complaint, field, None)
    complaint.description = ERASED_TEXT
    complaint.user_id = None
    complaint.receipt_hash = None
    complaint.share_identity_with_agency = False
    material: ComplaintMaterial
    for material in complaint.materials:
        material.text = ERASED_TEXT
    for response in complaint.responses:
        response.text = ERASED_TEXT
    for event in complaint.events:
        event.note = None
    corrections = db.session.scalars(
        select(ComplaintCorrection).where(ComplaintCorrection.complaint_id == complaint.id)
    )
    for correction in corrections:
        correction.proposed = None
        correction.reason = None
        correction.decision_reason = None
    files = _files(complaint)
    keys = [f.storage_key for f in files]
    for stored in files:
        db.session.delete(stored)
    mediation = _erase_mediation(complaint.id)
    keys += mediation.storage_keys
    complaint.erased_at = now
    audit.record(
        "complaint.personal_data_erased",
        complaint,
        actor=ACTOR,
        payload={
            "tracking_number": complaint.tracking_number,
            "closed_at": complaint.closed_at.isoformat(),
            "retention_years": retention_years(),
            "files_removed": len(files),
            "materials_cleared": len(complaint.materials),
            "responses_cleared": len(complaint.responses),
            "mediation_documents_cleared": mediation.documents,
            "mediation_files_removed": len(mediation.storage_keys),
        },
    )
    return keys


def _erase_mediation(complaint_id: int) -> Erased:
    # Imported here: mediation builds on complaints, not the other way round.
    from portal.mediation.retention import erase_case_file

    return erase_case_file(complaint_id)


def _unlink_unreferenced(keys: list[str]) -> None:
    """Delete the blobs no stored file refers to any more (after the commit)."""
    root = uploads.upload_dir()
    for key in set(keys):
        still_used = db.session.scalar(
            select(uploads.StoredFile.id).where(uploads.StoredFile.storage_key == key).limit(1)
        )
        if still_used is None and uploads.STORAGE_KEY.match(key):
            with contextlib.suppress(FileNotFoundError):
                (root / key).unlink()


def sweep(now: datetime | None = None) -> int:
    """Erase every due file once; how many were erased."""
    now = now or clock.now()
    done = 0
    for complaint_id in due_ids(now, retention_years()):
        try:
            if not _claim(complaint_id, now):
                db.session.rollback()
                continue
            complaint = db.session.get(Complaint, complaint_id)
            db.session.refresh(complaint)
            keys = erase(complaint, now)
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        done += 1
        _unlink_unreferenced(keys)
    return done


@scheduler.job("complaints.retention_sweep", minutes=24 * 60)
def retention_sweep() -> int:
    return sweep()
