"""A member's approved credentials as rows, and the rule engine's view of them.

On approval `apply_approved` replaces the member's current credentials with the
application's: the agency details, the qualification certificate and its scope, every
instrument calibration, the quality documents and the certifications. The rows are what
the directory filters and the expiry sweep query (by index), never the JSON draft.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select

from portal.extensions import db
from portal.members import draft as drafts
from portal.members.constants import InstrumentKind, QualityDocument
from portal.members.models import (
    CALIBRATION,
    INDUSTRY,
    ISO9001,
    QUALIFICATION,
    Application,
    Credential,
    Member,
    MemberQualityDocument,
    MemberScope,
)
from portal.members.rules import Certificate, Instrument, QualificationInput
from portal.members.staff_rules import StaffInput
from portal.members.states import ApplicationStatus
from portal.validators import normalize_credit_code


def _certificate_row(
    kind: str, values: Mapping[str, Any], prefix: str, file_id: int | None
) -> Credential:
    return Credential(
        kind=kind,
        number=drafts._text(values.get(f"{prefix}_number"))[:60] or None,
        issuer=drafts._text(values.get(f"{prefix}_issuer"))[:100] or None,
        valid_from=drafts.parse_date(values.get(f"{prefix}_valid_from")),
        valid_to=drafts.parse_date(values.get(f"{prefix}_valid_to")),
        stored_file_id=file_id,
    )


def apply_approved(member: Member, application: Application) -> None:
    """Replace `member`'s agency details and credentials with `application`'s (approved)."""
    values = application.draft
    files = {doc.slot: doc.stored_file_id for doc in application.documents}
    member.name = drafts._text(values.get("name"))[:100] or member.name
    member.agency_type = values.get("agency_type")
    member.province = values.get("province")
    member.city = drafts._text(values.get("city"))[:40] or None
    member.credit_code = normalize_credit_code(values.get("credit_code"))
    member.premises_m2 = drafts.parse_number(values.get("premises_m2"))
    member.exam_rooms = drafts.parse_int(values.get("exam_rooms"))

    member.credentials.clear()
    member.scopes.clear()
    member.quality_documents.clear()
    db.session.flush()  # the old rows go before the new ones (unique keys)

    rows = [_certificate_row(QUALIFICATION, values, "qualification", files.get("qualification"))]
    if drafts.certificate_given(values, "iso9001"):
        rows.append(_certificate_row(ISO9001, values, "iso9001", files.get("iso9001")))
    if drafts.certificate_given(values, "industry"):
        rows.append(
            _certificate_row(INDUSTRY, values, "industry", files.get("industry_certification"))
        )
    for item in values.get("instruments") or []:
        rows.append(
            Credential(
                kind=CALIBRATION,
                subject=item.get("kind"),
                serial_number=(item.get("serial_number") or "")[:60] or None,
                number=(item.get("calibration_certificate") or "")[:60] or None,
                valid_to=drafts.parse_date(item.get("calibration_expires")),
                stored_file_id=files.get(f"calibration:{item.get('key')}"),
            )
        )
    for row in rows:
        row.application_id = application.id
        member.credentials.append(row)
    for category in dict.fromkeys(values.get("scope") or []):
        member.scopes.append(MemberScope(category=category))
    for document in QualityDocument:
        if document.value in files:
            member.quality_documents.append(
                MemberQualityDocument(document=document.value, stored_file_id=files[document.value])
            )


def _as_certificate(row: Credential | None) -> Certificate | None:
    if row is None:
        return None
    return Certificate(
        number=row.number or "",
        issuer=row.issuer or "",
        valid_from=row.valid_from,
        valid_to=row.valid_to,
    )  # type: ignore[arg-type]


def member_rule_input(member: Member, staff: Sequence[StaffInput] = ()) -> QualificationInput:
    """The rule engine's view of a member's approved credentials."""
    by_kind: dict[str, list[Credential]] = {}
    for row in member.credentials:
        by_kind.setdefault(row.kind, []).append(row)
    return QualificationInput(
        agency_type=member.agency_type,  # type: ignore[arg-type]
        credit_code=member.credit_code,
        business_licence_present=member.is_member,
        qualification=_as_certificate(next(iter(by_kind.get(QUALIFICATION, [])), None)),
        approved_scope=frozenset(scope.category for scope in member.scopes),
        premises_m2=member.premises_m2,
        exam_rooms=member.exam_rooms,
        instruments=[
            Instrument(
                kind=row.subject,
                calibration_certificate=row.number,  # type: ignore[arg-type]
                calibration_expires=row.valid_to,
                serial_number=row.serial_number or "",
            )
            for row in by_kind.get(CALIBRATION, [])
        ],
        quality_documents=frozenset(doc.document for doc in member.quality_documents),
        iso9001=_as_certificate(next(iter(by_kind.get(ISO9001, [])), None)),
        industry_certification=_as_certificate(next(iter(by_kind.get(INDUSTRY, [])), None)),
        staff=list(staff),
    )


def last_approved(member: Member) -> Application | None:
    return db.session.scalar(
        select(Application)
        .where(
            Application.member_id == member.id,
            Application.status == ApplicationStatus.APPROVED.value,
        )
        .order_by(Application.decided_at.desc(), Application.id.desc())
        .limit(1)
    )


def credential_label(row: Credential) -> str:
    """What a credential is, in words (for reminders and the profile)."""
    from flask_babel import gettext as _

    from portal.members.rules import (
        INDUSTRY_CERTIFICATION_LABEL,
        ISO9001_LABEL,
        QUALIFICATION_LABEL,
    )

    if row.kind == CALIBRATION:
        try:
            instrument = InstrumentKind(row.subject).label
        except ValueError:
            instrument = row.subject or ""
        return _("%(instrument)s: calibration", instrument=instrument)
    return str(
        {
            QUALIFICATION: QUALIFICATION_LABEL,
            ISO9001: ISO9001_LABEL,
            INDUSTRY: INDUSTRY_CERTIFICATION_LABEL,
        }.get(row.kind, row.kind)
    )
