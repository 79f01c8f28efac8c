"""Numbers and labels of publication.

Publication terms (SPEC 5): a minor sanction is never published; a general one for 3 months
to 1 year, a serious one (the blacklist) for 1 to 3 years, as the decision sets.

Minimum term before credit repair (SPEC 5 says "after the minimum term" without a number):
we take the shortest term the level allows, so a general sanction may be repaired 3 months
after it took effect and a serious one 1 year after. An entry whose own term is already
that short simply ends before repair would matter.
"""

from __future__ import annotations

import calendar as _calendar
import enum
from datetime import date

from flask_babel import lazy_gettext as _l


class Level(enum.StrEnum):
    GENERAL = "general"
    SERIOUS = "serious"


LEVEL_LABELS = {
    Level.GENERAL: _l("General sanction"),
    Level.SERIOUS: _l("Serious sanction"),
}

# (shortest, longest) publication term in months after the day the sanction took effect.
TERM_MONTHS = {Level.GENERAL: (3, 12), Level.SERIOUS: (12, 36)}
# Months after the sanction took effect before credit repair may be applied for.
REPAIR_MIN_MONTHS = {Level.GENERAL: 3, Level.SERIOUS: 12}
REPAIR_DECISION_WORKING_DAYS = 10
REPAIR_WARN_AT = 0.7  # the secretariat is warned at 70% of the decision period

APPEAL_OUTCOMES = ("upheld", "changed")
APPEAL_LABELS = {
    None: _l("Not appealed"),
    "upheld": _l("Upheld on appeal"),
    "changed": _l("Changed on appeal"),
}

END_WITHDRAWN = "withdrawn"
END_CREDIT_REPAIR = "credit_repair"
END_LABELS = {
    END_WITHDRAWN: _l("Withdrawn"),
    END_CREDIT_REPAIR: _l("Ended early by credit repair"),
    "term_ended": _l("Publication term ended"),
}

# The sanction codes of discipline (portal/discipline/constants.py `Measure`) that are published.
MEASURE_LABELS = {
    "written_warning": _l("Written warning"),
    "public_criticism": _l("Public criticism"),
    "suspension_3_months": _l("Membership suspended for 3 months"),
    "expulsion": _l("Expulsion"),
    "revocation_recommendation": _l("Recommendation to the regulator to revoke the qualification"),
    "blacklist": _l("Public disclosure (blacklist)"),
}

TITLE_MAX = 200
SUMMARY_MAX = 4000
STATEMENT_MAX = 500
DISPUTE_MAX = 2000
ANSWER_MAX = 2000
RECTIFICATION_MAX = 4000
SIGNATURE_MAX = 50
REASON_MAX = 1000
DECISION_NO_MAX = 40
SOURCE_REF_MAX = 80
Q_MAX = 100


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the last day of the month when that day is missing."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, _calendar.monthrange(year, month)[1]))


def measure_label(code: str) -> str:
    label = MEASURE_LABELS.get(code)
    return str(label) if label is not None else code


def level_label(level: str) -> str:
    try:
        return str(LEVEL_LABELS[Level(level)])
    except ValueError:
        return level
