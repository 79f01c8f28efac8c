"""The application wizard: its steps, their fields, their checks, and the draft -> rules input.

The draft is a JSON object holding what the applicant typed, exactly as typed (trimmed),
valid or not: `merge(draft, step, values)` stores the fields of one step and
`step_errors(draft, step, slots)` says what is wrong with them, so a step can be saved
with mistakes in it and shown again with them. `to_rule_input(...)` turns the draft into
the rule engine's `QualificationInput` for the live checklist, reading leniently
(anything unusable becomes "not given", which the rules report).

Scans are not in the draft: `slots` is the set of document slots that have a file (see
`ApplicationDocument`): "licence", "qualification", the three quality documents,
"iso9001", "industry_certification" and "calibration:<instrument key>".
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.members.constants import AgencyType, HazardCategory, InstrumentKind, QualityDocument
from portal.members.regions import PROVINCES
from portal.members.rules import Certificate, Instrument, QualificationInput
from portal.members.staff_rules import StaffInput
from portal.validators import credit_code_problem, normalize_credit_code


@dataclass(frozen=True)
class Step:
    key: str
    title: Any  # lazy string
    fields: tuple[str, ...]
    slots: tuple[str, ...] = ()


QUALITY_SLOTS = tuple(document.value for document in QualityDocument)
CERTIFICATE_PARTS = ("number", "issuer", "valid_from", "valid_to")

STEPS: tuple[Step, ...] = (
    Step("agency", _l("Agency"), ("agency_type", "name", "province", "city")),
    Step("licence", _l("Business licence"), ("credit_code",), ("licence",)),
    Step(
        "qualification",
        _l("Qualification certificate"),
        tuple(f"qualification_{part}" for part in CERTIFICATE_PARTS) + ("scope",),
        ("qualification",),
    ),
    Step("premises", _l("Premises"), ("premises_m2", "exam_rooms")),
    Step("equipment", _l("Equipment"), ("instruments",)),
    Step(
        "quality",
        _l("Quality system"),
        tuple(f"iso9001_{part}" for part in CERTIFICATE_PARTS)
        + tuple(f"industry_{part}" for part in CERTIFICATE_PARTS),
        (*QUALITY_SLOTS, "iso9001", "industry_certification"),
    ),
    Step("staff", _l("Staff"), ()),
    Step("summary", _l("Check and submit"), ()),
)
STEP_KEYS = tuple(step.key for step in STEPS)
FORM_STEPS = STEP_KEYS[:-2]  # the steps with fields of their own
BY_KEY = {step.key: step for step in STEPS}

MAX_TEXT = 500  # longer input is kept up to this, and refused by the field's own limit
MAX_INSTRUMENTS = 60
LIMITS = {"name": 100, "city": 40, "credit_code": 18}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
NUMBER = re.compile(r"^\d{1,7}(\.\d{1,2})?$")
INTEGER = re.compile(r"^\d{1,4}$")
INSTRUMENT_FIELDS = (
    "key",
    "kind",
    "serial_number",
    "calibration_certificate",
    "calibration_expires",
)
KEY = re.compile(r"^[A-Za-z0-9_-]{4,16}$")

# Field labels, for error summaries and the API's field names.
LABELS: dict[str, Any] = {
    "agency_type": _l("Agency type"),
    "name": _l("Agency name"),
    "province": _l("Province"),
    "city": _l("City"),
    "credit_code": _l("Unified social credit code"),
    "qualification_number": _l("Certificate number"),
    "qualification_issuer": _l("Issuing authority"),
    "qualification_valid_from": _l("Valid from"),
    "qualification_valid_to": _l("Valid to"),
    "scope": _l("Approved scope"),
    "premises_m2": _l("Premises area (m²)"),
    "exam_rooms": _l("Independent examination rooms"),
    "iso9001_number": _l("ISO 9001 certificate number"),
    "iso9001_issuer": _l("ISO 9001 certification body"),
    "iso9001_valid_from": _l("ISO 9001 valid from"),
    "iso9001_valid_to": _l("ISO 9001 valid to"),
    "industry_number": _l("Industry certification number"),
    "industry_issuer": _l("Industry certification issuer"),
    "industry_valid_from": _l("Industry certification valid from"),
    "industry_valid_to": _l("Industry certification valid to"),
}

SLOT_LABELS: dict[str, Any] = {
    "licence": _l("Scan of the business licence"),
    "qualification": _l("Scan of the qualification certificate"),
    "quality_manual": _l("Quality Manual"),
    "procedure_documents": _l("Procedure Documents"),
    "work_instructions": _l("Work Instructions"),
    "iso9001": _l("Scan of the ISO 9001 certificate"),
    "industry_certification": _l("Scan of the industry certification"),
}


def slot_label(slot: str) -> str:
    if slot.startswith("calibration:"):
        return _("Scan of the calibration certificate")
    return str(SLOT_LABELS.get(slot, slot))


def file_field(slot: str) -> str:
    """The form field (and API error key) of a document slot."""
    return f"file-{slot}"


def new_key() -> str:
    return secrets.token_hex(4)


# --- storing what was typed --------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else ""
    text = unicodedata.normalize("NFC", str(value))
    return " ".join(text.split())[:MAX_TEXT]


def _instruments(rows: Any) -> list[dict[str, str]]:
    kept = []
    for row in rows if isinstance(rows, list) else []:
        if not isinstance(row, Mapping):
            continue
        item = {name: _text(row.get(name)) for name in INSTRUMENT_FIELDS}
        if not any(item[name] for name in INSTRUMENT_FIELDS if name != "key"):
            continue  # an empty row is no instrument
        if not KEY.match(item["key"]):
            item["key"] = new_key()
        kept.append(item)
    return kept[:MAX_INSTRUMENTS]


def merge(draft: Mapping[str, Any], step: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """A new draft: `draft` with the fields of `step` given in `values` stored as typed.

    Fields of the step missing from `values` are left alone (the API may send some only);
    fields of other steps are ignored. The step is marked as saved."""
    merged = dict(draft)
    for name in BY_KEY[step].fields:
        if name not in values:
            continue
        value = values[name]
        if name == "scope":
            given = value if isinstance(value, list | tuple) else [value]
            merged[name] = [_text(item) for item in given if _text(item)][:20]
        elif name == "instruments":
            merged[name] = _instruments(value)
        elif name == "credit_code":
            merged[name] = normalize_credit_code(_text(value))
        else:
            merged[name] = _text(value)
    saved = [key for key in merged.get("_saved", []) if key in STEP_KEYS]
    if step not in saved:
        saved.append(step)
    merged["_saved"] = saved
    return merged


def saved_steps(draft: Mapping[str, Any]) -> list[str]:
    return list(draft.get("_saved", []))


# --- checking it -------------------------------------------------------------------------


def parse_date(value: Any) -> date | None:
    text = _text(value)
    if not ISO_DATE.match(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def parse_number(value: Any) -> float | None:
    text = unicodedata.normalize("NFKC", _text(value))
    return float(text) if NUMBER.match(text) else None


def parse_int(value: Any) -> int | None:
    text = unicodedata.normalize("NFKC", _text(value))
    return int(text) if INTEGER.match(text) else None


def _required(draft: Mapping[str, Any], name: str, errors: dict[str, str]) -> str:
    value = _text(draft.get(name))
    if not value:
        errors[name] = _("Required.")
    elif name in LIMITS and len(value) > LIMITS[name]:
        errors[name] = _("At most %(n)s characters.", n=LIMITS[name])
    return value


def _date_field(
    draft: Mapping[str, Any], name: str, errors: dict[str, str], required: bool = True
) -> date | None:
    value = _text(draft.get(name))
    if not value:
        if required:
            errors[name] = _("Required.")
        return None
    parsed = parse_date(value)
    if parsed is None:
        errors[name] = _("Not a date: write it as YYYY-MM-DD, for example 2026-03-31.")
    return parsed


def _certificate_errors(draft: Mapping[str, Any], prefix: str, errors: dict[str, str]) -> None:
    for part in ("number", "issuer"):
        value = _required(draft, f"{prefix}_{part}", errors)
        if len(value) > 100:
            errors[f"{prefix}_{part}"] = _("At most %(n)s characters.", n=100)
    start = _date_field(draft, f"{prefix}_valid_from", errors)
    end = _date_field(draft, f"{prefix}_valid_to", errors)
    if start and end and end < start:
        errors[f"{prefix}_valid_to"] = _("The end of validity is before its start.")


def _missing_slot(slot: str, slots: Iterable[str], errors: dict[str, str]) -> None:
    if slot not in set(slots):
        errors[file_field(slot)] = _("Upload a scan (PDF, PNG or JPEG).")


def _agency_errors(draft, slots, errors):
    agency_type = _required(draft, "agency_type", errors)
    if agency_type and agency_type not in set(AgencyType):
        errors["agency_type"] = _("Choose one of the agency types.")
    name = _required(draft, "name", errors)
    if name and len(name) < 2:
        errors["name"] = _("Write the agency's full registered name.")
    province = _required(draft, "province", errors)
    if province and province not in PROVINCES:
        errors["province"] = _("Choose a province.")
    _required(draft, "city", errors)


def _licence_errors(draft, slots, errors):
    code = _required(draft, "credit_code", errors)
    if code and "credit_code" not in errors:
        problem = credit_code_problem(code)
        if problem:
            errors["credit_code"] = problem
    _missing_slot("licence", slots, errors)


def _qualification_errors(draft, slots, errors):
    _certificate_errors(draft, "qualification", errors)
    scope = draft.get("scope") or []
    if not scope:
        errors["scope"] = _("Tick at least one hazard category.")
    elif any(item not in set(HazardCategory) for item in scope):
        errors["scope"] = _("Unknown hazard category.")
    _missing_slot("qualification", slots, errors)


def _premises_errors(draft, slots, errors):
    area = _required(draft, "premises_m2", errors)
    if area and parse_number(area) is None:
        errors["premises_m2"] = _("Enter the area in square metres as a number, e.g. 350.")
    rooms = _text(draft.get("exam_rooms"))
    if draft.get("agency_type") == AgencyType.EXAMINATION and not rooms:
        errors["exam_rooms"] = _("Required for examination institutions.")
    elif rooms and parse_int(rooms) is None:
        errors["exam_rooms"] = _("Enter a whole number, e.g. 6.")


def _equipment_errors(draft, slots, errors):
    rows = draft.get("instruments") or []
    if not rows:
        errors["instruments"] = _("List at least one instrument.")
    for index, row in enumerate(rows):
        prefix = f"instruments-{index}-"
        if row.get("kind") not in set(InstrumentKind):
            errors[prefix + "kind"] = _("Choose the kind of instrument.")
        if not row.get("calibration_certificate"):
            errors[prefix + "calibration_certificate"] = _("Required.")
        elif len(row["calibration_certificate"]) > 60:
            errors[prefix + "calibration_certificate"] = _("At most %(n)s characters.", n=60)
        if len(row.get("serial_number", "")) > 60:
            errors[prefix + "serial_number"] = _("At most %(n)s characters.", n=60)
        expires = row.get("calibration_expires")
        if not expires:
            errors[prefix + "calibration_expires"] = _("Required.")
        elif parse_date(expires) is None:
            errors[prefix + "calibration_expires"] = _(
                "Not a date: write it as YYYY-MM-DD, for example 2026-03-31."
            )
        if f"calibration:{row.get('key')}" not in set(slots):
            errors[prefix + "file"] = _("Upload a scan (PDF, PNG or JPEG).")


def certificate_given(draft: Mapping[str, Any], prefix: str) -> bool:
    return any(_text(draft.get(f"{prefix}_{part}")) for part in CERTIFICATE_PARTS)


def _quality_errors(draft, slots, errors):
    for slot in QUALITY_SLOTS:
        _missing_slot(slot, slots, errors)
    slots = set(slots)
    given = {
        prefix: certificate_given(draft, prefix) or slot in slots
        for prefix, slot in (("iso9001", "iso9001"), ("industry", "industry_certification"))
    }
    if not any(given.values()):
        errors["iso9001_number"] = _(
            "Give an ISO 9001 certificate or an industry certification (or both)."
        )
        return
    for prefix, slot in (("iso9001", "iso9001"), ("industry", "industry_certification")):
        if given[prefix]:
            _certificate_errors(draft, prefix, errors)
            _missing_slot(slot, slots, errors)


_CHECKS = {
    "agency": _agency_errors,
    "licence": _licence_errors,
    "qualification": _qualification_errors,
    "premises": _premises_errors,
    "equipment": _equipment_errors,
    "quality": _quality_errors,
}


def step_errors(draft: Mapping[str, Any], step: str, slots: Iterable[str]) -> dict[str, str]:
    """{field: reason} for what is missing or wrong in one step ({} when it is complete)."""
    errors: dict[str, str] = {}
    check = _CHECKS.get(step)
    if check is not None:
        check(draft, tuple(slots), errors)
    return errors


def all_errors(draft: Mapping[str, Any], slots: Iterable[str]) -> dict[str, dict[str, str]]:
    """The errors of every step with fields, by step ({} for a complete step)."""
    slots = tuple(slots)
    return {step: step_errors(draft, step, slots) for step in FORM_STEPS}


def field_label(name: str) -> str:
    if name.startswith("file-"):
        return slot_label(name.removeprefix("file-"))
    if name.startswith("instruments-"):
        _prefix, index, part = name.split("-", 2)
        labels = {
            "kind": _("Instrument"),
            "serial_number": _("Serial number"),
            "calibration_certificate": _("Calibration certificate number"),
            "calibration_expires": _("Calibration valid until"),
            "file": _("Scan of the calibration certificate"),
        }
        return _("Instrument %(n)s: %(field)s", n=int(index) + 1, field=labels.get(part, part))
    return str(LABELS.get(name, name))


# --- the rules' view of a draft ----------------------------------------------------------


def _certificate(draft: Mapping[str, Any], prefix: str) -> Certificate | None:
    if not certificate_given(draft, prefix):
        return None
    return Certificate(
        number=_text(draft.get(f"{prefix}_number")),
        issuer=_text(draft.get(f"{prefix}_issuer")),
        valid_from=parse_date(draft.get(f"{prefix}_valid_from")),  # type: ignore[arg-type]
        valid_to=parse_date(draft.get(f"{prefix}_valid_to")),  # type: ignore[arg-type]
    )


def to_rule_input(
    draft: Mapping[str, Any], slots: Iterable[str], staff: Sequence[StaffInput] = ()
) -> QualificationInput:
    """What the rules check, read leniently from the draft (see the module docstring)."""
    slots = set(slots)
    agency_type = draft.get("agency_type")
    rooms = parse_int(draft.get("exam_rooms"))
    area = parse_number(draft.get("premises_m2"))
    instruments = [
        Instrument(
            kind=row.get("kind"),  # type: ignore[arg-type]  (unknown kinds are ignored)
            calibration_certificate=row.get("calibration_certificate") or None,
            calibration_expires=parse_date(row.get("calibration_expires")),
            serial_number=row.get("serial_number", ""),
        )
        for row in draft.get("instruments") or []
    ]
    return QualificationInput(
        agency_type=agency_type if agency_type in set(AgencyType) else None,  # type: ignore[arg-type]
        credit_code=draft.get("credit_code") or None,
        business_licence_present="licence" in slots,
        qualification=_certificate(draft, "qualification"),
        approved_scope=frozenset(draft.get("scope") or ()),
        premises_m2=area if area is not None else (draft.get("premises_m2") or None),
        exam_rooms=rooms,
        instruments=instruments,
        quality_documents=frozenset(
            QualityDocument(slot) for slot in QUALITY_SLOTS if slot in slots
        ),
        iso9001=_certificate(draft, "iso9001"),
        industry_certification=_certificate(draft, "industry"),
        staff=list(staff),
    )
