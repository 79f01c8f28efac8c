"""Words and badges for the members pages: rule titles, statuses, labels of stored values."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.members.constants import (
    EXPIRY_WARNING_DAYS,
    AgencyType,
    HazardCategory,
    InstrumentKind,
    QualityDocument,
    StaffCertificate,
    StaffRole,
)
from portal.members.rules import RuleResult, Status

RULE_TITLES = {
    "agency.type": _l("Agency type"),
    "licence.present": _l("Business licence"),
    "licence.credit_code": _l("Unified social credit code"),
    "qualification.certificate": _l("Qualification certificate"),
    "qualification.scope": _l("Approved scope"),
    "premises.area": _l("Premises area"),
    "premises.exam_rooms": _l("Independent examination rooms"),
    "equipment": _l("Equipment"),
    "quality.certification": _l("ISO 9001 or industry certification"),
}

# Bootstrap classes and a short symbol for each status; the word is always shown too.
STATUS_STYLE = {
    Status.PASS: ("text-bg-success", "✓"),
    Status.FAIL: ("text-bg-danger", "✗"),
    Status.EXPIRING: ("text-bg-warning", "!"),
    Status.NOT_APPLICABLE: ("text-bg-light border", "–"),
}

APPLICATION_STATUS_STYLE = {
    "draft": "text-bg-secondary",
    "submitted": "text-bg-primary",
    "returned": "text-bg-warning",
    "approved": "text-bg-success",
    "rejected": "text-bg-danger",
}

MEMBER_STATUS_LABELS = {
    "active": _l("In good standing"),
    "lapsed": _l("Qualification lapsed"),
    "suspended": _l("Membership suspended"),
    "expelled": _l("Expelled from the association"),
}
MEMBER_STATUS_STYLE = {
    "active": "text-bg-success",
    "lapsed": "text-bg-danger",
    "suspended": "text-bg-dark",
    "expelled": "text-bg-dark",
}


def _label(kind: type, value: Any) -> str:
    try:
        return kind(value).label
    except ValueError:
        return str(value or "")


def rule_title(result: RuleResult) -> str:
    code = result.code
    if code in RULE_TITLES:
        return str(RULE_TITLES[code])
    if code.startswith("equipment."):
        return _label(InstrumentKind, code.removeprefix("equipment."))
    if code.startswith("quality."):
        return _label(QualityDocument, code.removeprefix("quality."))
    if code.startswith("staff.person."):
        return result.subject or _("Staff member")
    if code.startswith("staff."):
        return _label(StaffRole, code.removeprefix("staff."))
    return code


def agency_type_label(value: Any) -> str:
    return _label(AgencyType, value)


def hazard_label(value: Any) -> str:
    return _label(HazardCategory, value)


def instrument_label(value: Any) -> str:
    return _label(InstrumentKind, value)


def role_label(value: Any) -> str:
    return _label(StaffRole, value)


def staff_certificate_label(value: Any) -> str:
    return _label(StaffCertificate, value)


def validity(valid_to: date | None, on: date) -> tuple[str, str]:
    """(badge class, words) for a dated credential on `on`."""
    if valid_to is None:
        return "text-bg-light border", _("No expiry date")
    if valid_to < on:
        return "text-bg-danger", _("Expired")
    if (valid_to - on).days <= EXPIRY_WARNING_DAYS:
        return "text-bg-warning", _("Expires in %(n)s days", n=(valid_to - on).days)
    return "text-bg-success", _("Valid")


def list_separator() -> str:
    """ "、" between items in Chinese, ", " in English."""
    from flask_babel import get_locale

    locale = get_locale()
    return ", " if locale is not None and locale.language == "en" else "、"


def number(value: Any) -> str:
    """64 not 64.0; 59.5 as is."""
    if value is None:
        return ""
    return f"{float(value):g}"


def template_helpers() -> dict[str, Any]:
    return {
        "rule_title": rule_title,
        "status_style": STATUS_STYLE,
        "application_status_style": APPLICATION_STATUS_STYLE,
        "member_status_labels": MEMBER_STATUS_LABELS,
        "member_status_style": MEMBER_STATUS_STYLE,
        "agency_type_label": agency_type_label,
        "hazard_label": hazard_label,
        "instrument_label": instrument_label,
        "role_label": role_label,
        "staff_certificate_label": staff_certificate_label,
        "validity": validity,
        "list_sep": list_separator,
    }
