"""What an agency does about a public entry about itself: a statement shown beside it, a
dispute of a factual error, and an application for credit repair."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from portal import audit, clock, uploads
from portal.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from portal.extensions import db
from portal.publication import constants as c
from portal.publication import deadlines, notices
from portal.publication.access import REPAIR_FILES, agency_id_of
from portal.publication.models import CreditRepair, FactDispute, PublicEntry
from portal.publication.states import RepairStatus


@dataclass(frozen=True)
class Upload:
    source: Any  # bytes, a FileStorage or a binary file
    name: str | None = None


def _require_own(actor, entry: PublicEntry) -> None:
    if agency_id_of(actor) != entry.member_id:
        raise NotFound(_("No such entry."))


def _limited(value: str | None, field: str, limit: int, *, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        why = _("This is required.")
        raise ValidationFailed(why, {field: why})
    if len(text) > limit:
        why = _("At most %(n)d characters.", n=limit)
        raise ValidationFailed(why, {field: why})
    return text


# --- the statement ----------------------------------------------------------------------


def set_statement(actor, entry: PublicEntry, text: str | None) -> PublicEntry:
    """Attach, replace or (with empty text) remove the agency's statement. Audited."""
    _require_own(actor, entry)
    text = _limited(text, "statement", c.STATEMENT_MAX, required=False)
    had = entry.statement is not None
    entry.statement = text or None
    entry.statement_at = clock.now() if text else None
    entry.statement_by_id = actor.id if text else None
    action = "publication.statement_set" if text else "publication.statement_removed"
    audit.record(
        action,
        entry,
        actor=actor,
        payload={"decision_no": entry.decision_no, "length": len(text), "replaced": had},
    )
    return entry


# --- disputes -----------------------------------------------------------------------------


def file_dispute(actor, entry: PublicEntry, text: str | None) -> FactDispute:
    """Say that the entry gets a fact wrong; the secretariat answers. Audited."""
    _require_own(actor, entry)
    text = _limited(text, "text", c.DISPUTE_MAX)
    open_one = db.session.scalar(
        select(FactDispute.id).where(FactDispute.entry_id == entry.id, FactDispute.status == "open")
    )
    if open_one is not None:
        raise Conflict(
            _("A dispute about this entry is already waiting for an answer."),
            {"text": _("Wait for the answer to the open dispute.")},
        )
    dispute = FactDispute(
        entry_id=entry.id,
        member_id=entry.member_id,
        text=text,
        filed_by_id=actor.id,
        filed_at=clock.now(),
    )
    db.session.add(dispute)
    audit.record(
        "publication.dispute_filed",
        dispute,
        actor=actor,
        payload={"decision_no": entry.decision_no, "entry_id": entry.id},
    )
    no = entry.decision_no
    notices.tell(
        notices.staff_users(),
        "publication.dispute_filed",
        lambda: (
            _("Factual error disputed: %(no)s", no=no),
            _("The agency disputes a fact in the published decision %(no)s.", no=no),
        ),
        notices.staff_dispute_path(dispute.id),
        email=False,
    )
    return dispute


# --- credit repair ------------------------------------------------------------------------


def repair_opens_on(entry: PublicEntry) -> date:
    """The first day credit repair may be applied for (see constants for the minimum term)."""
    return c.add_months(entry.took_effect_on, c.REPAIR_MIN_MONTHS[c.Level(entry.level)])


def open_repair(entry: PublicEntry) -> CreditRepair | None:
    return db.session.scalar(
        select(CreditRepair).where(
            CreditRepair.entry_id == entry.id,
            CreditRepair.status == RepairStatus.SUBMITTED.value,
        )
    )


def repair_refusal(entry: PublicEntry) -> str | None:
    """Why credit repair cannot be applied for today, or None when it can."""
    today = clock.today()
    if not entry.in_force(today):
        return _("This entry is no longer on the public lists.")
    if today < repair_opens_on(entry):
        return _(
            "Credit repair may be applied for from %(date)s, after the minimum term.",
            date=repair_opens_on(entry).isoformat(),
        )
    if open_repair(entry) is not None:
        return _("An application for this entry is waiting for a decision.")
    return None


def apply_for_repair(
    actor,
    entry: PublicEntry,
    *,
    rectification: str | None,
    commitment_accepted: bool,
    commitment_name: str | None,
    files: list[Upload],
) -> CreditRepair:
    """Apply to end the publication early. Needs proof of rectification (at least one file)
    and the signed credit commitment. The decision is due in 10 working days. Audited."""
    _require_own(actor, entry)
    refusal = repair_refusal(entry)
    if refusal:
        raise InvalidTransition(refusal)
    fields: dict[str, str] = {}
    text = (rectification or "").strip()
    if not text:
        fields["rectification"] = _("Describe what the agency has put right.")
    elif len(text) > c.RECTIFICATION_MAX:
        fields["rectification"] = _("At most %(n)d characters.", n=c.RECTIFICATION_MAX)
    if not commitment_accepted:
        fields["commitment_accepted"] = _("The credit commitment must be signed.")
    name = " ".join((commitment_name or "").split())
    if not name:
        fields["commitment_name"] = _("Type the name of the person who signs.")
    elif len(name) > c.SIGNATURE_MAX:
        fields["commitment_name"] = _("At most %(n)d characters.", n=c.SIGNATURE_MAX)
    if not files:
        fields["files"] = _("Attach proof of rectification (PDF, PNG or JPEG).")
    if fields:
        raise ValidationFailed(_("The application is not complete."), fields)
    now = clock.now()
    repair = CreditRepair(
        entry_id=entry.id,
        member_id=entry.member_id,
        rectification=text,
        commitment_name=name,
        commitment_signed_at=now,
        applied_by_id=actor.id,
        applied_at=now,
    )
    deadlines.apply_deadline(repair, now)
    db.session.add(repair)
    db.session.flush()
    for item in files:
        uploads.store_upload(
            item.source,
            original_name=item.name,
            actor=actor,
            owner_type=REPAIR_FILES,
            owner_id=repair.id,
            field="files",
        )
    audit.record(
        "publication.repair_applied",
        repair,
        actor=actor,
        payload={
            "decision_no": entry.decision_no,
            "entry_id": entry.id,
            "due": repair.due_date.isoformat(),
            "files": len(files),
        },
    )
    no, due = entry.decision_no, repair.due_date.isoformat()
    notices.tell(
        notices.staff_users(),
        "publication.repair_applied",
        lambda: (
            _("Credit repair applied for: %(no)s", no=no),
            _("Decide by %(due)s.", due=due),
        ),
        notices.staff_repair_path(repair.id),
        email=False,
    )
    return repair


def disputes_of(entry: PublicEntry) -> list[FactDispute]:
    return list(
        db.session.scalars(
            select(FactDispute).where(FactDispute.entry_id == entry.id).order_by(FactDispute.id)
        )
    )


def repairs_of(entry: PublicEntry) -> list[CreditRepair]:
    return list(
        db.session.scalars(
            select(CreditRepair).where(CreditRepair.entry_id == entry.id).order_by(CreditRepair.id)
        )
    )
