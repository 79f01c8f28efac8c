"""The vocabulary of discipline (SPEC section 4): levels, the sanctions each level allows,
publication terms, the working-day counts of the appeal, and the decision number.

Values are stored as short English codes; each has a lazily translated label.
"""

from __future__ import annotations

import calendar as _calendar
import enum
from datetime import date

from flask_babel import lazy_gettext as _l


class Level(enum.StrEnum):
    MINOR = "minor"
    GENERAL = "general"
    SERIOUS = "serious"


class Measure(enum.StrEnum):
    VERBAL_WARNING = "verbal_warning"
    ORDER_TO_RECTIFY = "order_to_rectify"
    WRITTEN_WARNING = "written_warning"
    PUBLIC_CRITICISM = "public_criticism"
    SUSPENSION = "suspension_3_months"
    EXPULSION = "expulsion"
    REVOCATION_RECOMMENDATION = "revocation_recommendation"
    BLACKLIST = "blacklist"


class Source(enum.StrEnum):
    COMPLAINT = "complaint"
    INSPECTION = "inspection"
    BREACH = "breach"
    DIRECT = "direct"


class AppealOutcome(enum.StrEnum):
    UPHOLD = "upheld"
    CHANGE = "changed"
    REVOKE = "revoked"


# The sanctions each level allows (SPEC 4): a sanction outside its level is refused.
MEASURES: dict[Level, tuple[Measure, ...]] = {
    Level.MINOR: (Measure.VERBAL_WARNING, Measure.ORDER_TO_RECTIFY),
    Level.GENERAL: (Measure.WRITTEN_WARNING, Measure.PUBLIC_CRITICISM, Measure.SUSPENSION),
    Level.SERIOUS: (Measure.EXPULSION, Measure.REVOCATION_RECOMMENDATION, Measure.BLACKLIST),
}
LEVEL_OF = {measure: level for level, measures in MEASURES.items() for measure in measures}

# Publication term in months (shortest, longest); a minor sanction is never published.
TERM_MONTHS: dict[Level, tuple[int, int] | None] = {
    Level.MINOR: None,
    Level.GENERAL: (3, 12),
    Level.SERIOUS: (12, 36),
}
# Levels the secretariat decides alone; the others need a major-motion vote.
SECRETARIAT_LEVELS = frozenset({Level.MINOR})
PUBLISHED_LEVELS = frozenset({Level.GENERAL, Level.SERIOUS})

APPEAL_WINDOW_DAYS = 10  # working days from the notice
APPEAL_DECISION_DAYS = 15  # working days from the appeal
APPEAL_WINDOW_WARN_LEFT = 2  # the agency is reminded when 2 working days are left
APPEAL_DECISION_WARN_LEFT = 3  # the secretariat is warned when 3 working days are left
SUSPENSION_MONTHS = 3
BREACH_LIMIT_HOURS = 2

DECISION_NO_PREFIX = "OHA-D"
SUMMARY_MAX = 200
TEXT_MAX = 10_000
REASON_MIN = 10
SOURCE_REF_MAX = 80
MAX_FILES = 5

LEVEL_LABELS = {
    Level.MINOR: _l("Minor"),
    Level.GENERAL: _l("General"),
    Level.SERIOUS: _l("Serious"),
}
MEASURE_LABELS = {
    Measure.VERBAL_WARNING: _l("Verbal warning"),
    Measure.ORDER_TO_RECTIFY: _l("Order to rectify"),
    Measure.WRITTEN_WARNING: _l("Written warning"),
    Measure.PUBLIC_CRITICISM: _l("Public criticism"),
    Measure.SUSPENSION: _l("Membership suspended for 3 months"),
    Measure.EXPULSION: _l("Expulsion"),
    Measure.REVOCATION_RECOMMENDATION: _l(
        "Recommendation to the regulator to revoke the qualification"
    ),
    Measure.BLACKLIST: _l("Public disclosure (blacklist)"),
}
SOURCE_LABELS = {
    Source.COMPLAINT: _l("Substantiated complaint"),
    Source.INSPECTION: _l("Inspection"),
    Source.BREACH: _l("Late data-breach report"),
    Source.DIRECT: _l("Opened directly"),
}
OUTCOME_LABELS = {
    AppealOutcome.UPHOLD: _l("Uphold the decision"),
    AppealOutcome.CHANGE: _l("Change the sanction"),
    AppealOutcome.REVOKE: _l("Revoke the decision"),
}


def label(mapping: dict, value: str | None) -> str:
    """The label of `value` in `mapping` as text, or the value itself if unknown."""
    if value is None:
        return ""
    for key, text in mapping.items():
        if str(key) == value:
            return str(text)
    return value


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day when that day does not exist."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, _calendar.monthrange(year, month)[1]))
