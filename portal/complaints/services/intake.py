"""Filing a complaint: online (a worker with an account, or anyone anonymously), or entered
by the secretariat for a hotline call or a walk-in visit.

One submission creates one complaint: the submission's key (the form's one-time token, or
the API's Idempotency-Key) is stored as an HMAC in a unique column, and a repeat returns the
first complaint (and, for an anonymous one, the same receipt code). A complaint about an
agency that is not a member is stored and rejected at once with the standard reason.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal import audit, clock, mail, uploads
from portal.complaints import receipts
from portal.complaints.constants import (
    AGENCY_NAME_MAX,
    DECISION_DAYS,
    DESCRIPTION_MAX,
    DESCRIPTION_MIN,
    HEALTH_MAX,
    MAX_FILES,
    NAME_MAX,
    PHONE_MAX,
    REJECTION_NOT_A_MEMBER,
    SUBTYPES,
    Category,
    Channel,
    DeadlineKind,
)
from portal.complaints.models import Complaint
from portal.complaints.services import access, deadlines, notices, timeline
from portal.complaints.states import Action, Status, check_transition
from portal.errors import Conflict, ValidationFailed
from portal.extensions import db
from portal.members.models import Member
from portal.security import Role
from portal.validators import normalize_resident_id, resident_id_problem

PHONE_RE = re.compile(r"^\+?[0-9][0-9 -]{4,19}$")


@dataclass
class ComplaintInput:
    category: str
    subtype: str
    description: str
    member_no: str | None = None  # an approved member; None with agency_name: not a member
    agency_name: str | None = None
    name: str | None = None
    id_number: str | None = None
    phone: str | None = None
    email: str | None = None
    health: str | None = None
    share_identity_with_agency: bool = False


@dataclass(frozen=True)
class Submission:
    """Where a filing came from: `kind` ("form", "api", ...), its one-time `key`, and for
    the API a `fingerprint` of the body (a reused key with another body is refused)."""

    kind: str
    key: str
    fingerprint: str | None = None

    @property
    def seed(self) -> str:
        return f"{self.kind}\0{self.key}\0{self.fingerprint or ''}"


@dataclass(frozen=True)
class Upload:
    source: Any  # bytes, a FileStorage or a binary file
    name: str | None = None


@dataclass
class Filed:
    complaint: Complaint
    receipt_code: str | None  # shown once to an anonymous complainant
    duplicate: bool = False
    files: list = field(default_factory=list)


def _line(value: str | None) -> str | None:
    """One line of text, spaces collapsed; None when empty."""
    return " ".join((value or "").split()) or None


def _text(value: str | None) -> str | None:
    return (value or "").strip() or None


def approved_members():
    """Members an online complaint may name: those with a membership number."""
    return select(Member).where(Member.member_no.is_not(None)).order_by(Member.name)


def _member(member_no: str) -> Member | None:
    return db.session.scalar(
        select(Member).where(
            Member.member_no == member_no.strip().upper(), Member.member_no.is_not(None)
        )
    )


def validate(data: ComplaintInput) -> tuple[dict[str, str], Member | None]:
    """Every field problem at once (field name -> why), and the member named, if any."""
    problems: dict[str, str] = {}
    try:
        category = Category(data.category)
    except ValueError:
        category = None
        problems["category"] = _("Choose a category.")
    if category is not None and data.subtype not in SUBTYPES[category]:
        problems["subtype"] = _("Choose what kind of problem it is.")
    description = (data.description or "").strip()
    if len(description) < DESCRIPTION_MIN:
        problems["description"] = _(
            "Describe what happened in at least %(n)d characters.", n=DESCRIPTION_MIN
        )
    elif len(description) > DESCRIPTION_MAX:
        problems["description"] = _("Use at most %(n)d characters.", n=DESCRIPTION_MAX)
    member = None
    if data.member_no:
        member = _member(data.member_no)
        if member is None:
            problems["member_no"] = _("Choose an agency from the member directory.")
    else:
        agency = _line(data.agency_name)
        if agency is None:
            problems["agency_name"] = _(
                "Choose a member agency, or give the name of the agency if it is not a member."
            )
        elif len(agency) > AGENCY_NAME_MAX:
            problems["agency_name"] = _("Use at most %(n)d characters.", n=AGENCY_NAME_MAX)
    if data.name and len(data.name.strip()) > NAME_MAX:
        problems["name"] = _("Use at most %(n)d characters.", n=NAME_MAX)
    if data.id_number and data.id_number.strip():
        problem = resident_id_problem(data.id_number)
        if problem:
            problems["id_number"] = problem
    if data.phone and data.phone.strip():
        phone = data.phone.strip()
        if len(phone) > PHONE_MAX or not PHONE_RE.match(phone):
            problems["phone"] = _("Enter a phone number of digits, such as 13812345678.")
    if data.email and data.email.strip() and mail.clean_address(data.email) is None:
        problems["email"] = _("Enter a valid e-mail address, or leave it empty.")
    if data.health and len(data.health.strip()) > HEALTH_MAX:
        problems["health"] = _("Use at most %(n)d characters.", n=HEALTH_MAX)
    return problems, member


def _replayed(existing: Complaint, submission: Submission) -> Filed:
    if existing.submission_fingerprint != submission.fingerprint:
        why = _("This Idempotency-Key was already used for a different complaint.")
        raise Conflict(why, {"Idempotency-Key": why})
    code = None
    if existing.receipt_hash:
        candidate = receipts.derive_code(submission.seed)
        code = candidate if receipts.verify_code(existing.receipt_hash, candidate) else None
    return Filed(existing, code, duplicate=True)


def file_complaint(
    actor: Any,
    data: ComplaintInput,
    *,
    channel: Channel = Channel.ONLINE,
    submission: Submission,
    files: Sequence[Upload] = (),
) -> Filed:
    """File one complaint (or find the one this submission already filed)."""
    channel = Channel(channel)
    if channel is not Channel.ONLINE:
        access.require_staff(actor)
    key = receipts.submission_key(submission.kind, submission.key)
    existing = db.session.scalar(select(Complaint).where(Complaint.submission_key == key))
    if existing is not None:
        return _replayed(existing, submission)
    problems, member = validate(data)
    uploads_given = [f for f in files if f is not None]
    if len(uploads_given) > MAX_FILES:
        problems["evidence"] = _("Attach at most %(n)d files.", n=MAX_FILES)
    if problems:
        raise ValidationFailed(_("Some fields need correcting."), problems)

    now = clock.now()
    own_account = actor is not None and channel is Channel.ONLINE and actor.role == Role.WORKER
    code = None if own_account else receipts.derive_code(submission.seed)
    complaint = Complaint(
        status=Status.RECEIVED.value,
        channel=channel.value,
        category=data.category,
        subtype=data.subtype,
        description=data.description.strip(),
        member_id=member.id if member else None,
        agency_name=member.name if member else _line(data.agency_name),
        user_id=actor.id if own_account else None,
        filed_by_id=actor.id if actor is not None and channel is not Channel.ONLINE else None,
        share_identity_with_agency=bool(data.share_identity_with_agency) and member is not None,
        name=_line(data.name),
        id_number=normalize_resident_id(data.id_number) or None,
        phone=_line(data.phone),
        email=mail.clean_address(data.email) if data.email and data.email.strip() else None,
        health=_text(data.health),
        receipt_hash=receipts.hash_code(code) if code else None,
        submission_key=key,
        submission_fingerprint=submission.fingerprint,
        received_at=now,
        updated_at=now,
    )
    try:
        with db.session.begin_nested():
            complaint.tracking_number = receipts.allocate_tracking_number(
                deadlines.shanghai_date(now).year
            )
            db.session.add(complaint)
            db.session.flush()
    except IntegrityError:  # the same submission, filed a moment ago by a parallel request
        existing = db.session.scalar(select(Complaint).where(Complaint.submission_key == key))
        if existing is None:
            raise
        return _replayed(existing, submission)

    deadlines.open_deadline(complaint, DeadlineKind.DECISION, now, DECISION_DAYS)
    stored = [
        uploads.store_upload(
            upload.source,
            original_name=upload.name,
            actor=actor,
            owner_type=access.EVIDENCE_FILES,
            owner_id=complaint.id,
            field="evidence",
        )
        for upload in uploads_given
    ]
    timeline.add(
        complaint, "filed", actor, role="complainant" if channel is Channel.ONLINE else None
    )
    audit.record(
        "complaint.filed",
        complaint,
        actor=actor,
        payload={
            "tracking_number": complaint.tracking_number,
            "channel": channel.value,
            "category": complaint.category,
            "subtype": complaint.subtype,
            "member_id": complaint.member_id,
            "with_account": complaint.user_id is not None,
            "files": len(stored),
        },
    )
    notices.tell_complainant(complaint, "complaint.received", notices.acknowledgment(complaint))
    if member is None:
        _reject_not_a_member(complaint)
    return Filed(complaint, code, files=stored)


def _reject_not_a_member(complaint: Complaint) -> None:
    complaint.status = check_transition(complaint.status, Action.REJECT).value
    complaint.rejection_code = REJECTION_NOT_A_MEMBER
    complaint.decided_at = clock.now()
    deadlines.meet(complaint, DeadlineKind.DECISION, complaint.decided_at)
    timeline.add(complaint, "rejected", "system")
    audit.record(
        "complaint.rejected",
        complaint,
        actor="system",
        payload={
            "tracking_number": complaint.tracking_number,
            "from": Status.RECEIVED.value,
            "to": Status.REJECTED.value,
            "reason_code": REJECTION_NOT_A_MEMBER,
        },
    )
    notices.tell_complainant(complaint, "complaint.rejected", notices.rejected(complaint))
