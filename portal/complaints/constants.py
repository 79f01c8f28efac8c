"""The vocabulary of complaints: channels, categories and sub-types, complexity, findings,
panel fields and the working-day counts of the deadlines (SPEC section 2).

Values are stored as the short English codes; each has a lazily translated label.
"""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l


class Channel(enum.StrEnum):
    ONLINE = "online"
    HOTLINE = "hotline"
    WALK_IN = "walk_in"


class Category(enum.StrEnum):
    SERVICE_QUALITY = "service_quality"
    VIOLATION = "violation"
    RIGHTS = "rights_infringement"


class Complexity(enum.StrEnum):
    SIMPLE = "simple"
    COMPLEX = "complex"


class Finding(enum.StrEnum):
    SUBSTANTIATED = "substantiated"
    PARTLY = "partly_substantiated"
    NOT_SUBSTANTIATED = "not_substantiated"


class PanelField(enum.StrEnum):
    CLINICAL = "clinical"
    LEGAL = "legal"
    INDUSTRY = "industry"


class DeadlineKind(enum.StrEnum):
    DECISION = "decision"  # accept or reject, from receipt
    RESOLUTION = "resolution"  # close, from acceptance


# Sub-types of each category, in the order the form shows them.
SUBTYPES: dict[Category, tuple[str, ...]] = {
    Category.SERVICE_QUALITY: ("wrong_report", "non_standard_examination"),
    Category.VIOLATION: ("false_advertising", "outside_scope", "data_falsification"),
    Category.RIGHTS: ("health_data_leak", "failure_to_inform"),
}
SUBTYPE_CATEGORY = {sub: cat for cat, subs in SUBTYPES.items() for sub in subs}

CHANNEL_LABELS = {
    Channel.ONLINE: _l("Online form"),
    Channel.HOTLINE: _l("Hotline"),
    Channel.WALK_IN: _l("Walk-in window"),
}
CATEGORY_LABELS = {
    Category.SERVICE_QUALITY: _l("Service quality"),
    Category.VIOLATION: _l("Violation of the rules"),
    Category.RIGHTS: _l("Infringement of workers' rights"),
}
SUBTYPE_LABELS = {
    "wrong_report": _l("Wrong examination report"),
    "non_standard_examination": _l("Examination not done to the standard"),
    "false_advertising": _l("False advertising"),
    "outside_scope": _l("Practice outside the approved scope"),
    "data_falsification": _l("Falsified data"),
    "health_data_leak": _l("Leak of health data"),
    "failure_to_inform": _l("Failure to inform the worker"),
}
COMPLEXITY_LABELS = {
    Complexity.SIMPLE: _l("Simple (close within 5 working days)"),
    Complexity.COMPLEX: _l("Complex (close within 30 working days, expert panel)"),
}
COMPLEXITY_SHORT = {Complexity.SIMPLE: _l("Simple"), Complexity.COMPLEX: _l("Complex")}
FINDING_LABELS = {
    Finding.SUBSTANTIATED: _l("Substantiated"),
    Finding.PARTLY: _l("Partly substantiated"),
    Finding.NOT_SUBSTANTIATED: _l("Not substantiated"),
}
PANEL_FIELD_LABELS = {
    PanelField.CLINICAL: _l("Clinical expert"),
    PanelField.LEGAL: _l("Legal expert"),
    PanelField.INDUSTRY: _l("Industry expert"),
}
DEADLINE_LABELS = {
    DeadlineKind.DECISION: _l("Accept or reject"),
    DeadlineKind.RESOLUTION: _l("Close the complaint"),
}

# Working days (SPEC section 2).
DECISION_DAYS = 5
RESOLUTION_DAYS = {Complexity.SIMPLE: 5, Complexity.COMPLEX: 30}

# Warning thresholds, as fractions of a deadline's span.
WARN_70 = 0.7
WARN_90 = 0.9

DESCRIPTION_MIN = 20
DESCRIPTION_MAX = 5000
TEXT_MAX = 5000
REASON_MIN = 10
NAME_MAX = 50
AGENCY_NAME_MAX = 200
HEALTH_MAX = 2000
PHONE_MAX = 20
MAX_FILES = 5

# Standard reasons, stored as a code and shown in the reader's language.
REJECTION_NOT_A_MEMBER = "not_a_member"
REJECTION_TEXTS = {
    REJECTION_NOT_A_MEMBER: _l(
        "The agency named is not a member of the association, so the association cannot "
        "handle this complaint. Please turn to the local health administration (卫生健康行政部门; "
        "hotline 12320), which supervises every occupational health agency."
    ),
}


def label(mapping: dict, value: str | None) -> str:
    """The label of `value` in `mapping` as text, or the value itself if unknown."""
    if value is None:
        return ""
    for key, text in mapping.items():
        if str(key) == value:
            return str(text)
    return value
