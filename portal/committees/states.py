"""Committees' vocabularies and the motion's state machine, as a table, with the one function
that checks it.

    draft ──open──▶ open ──close──▶ closed (result: passed | failed)
      │               │
      └──withdraw──▶ withdrawn ◀──withdraw──┘

A draft is edited by the secretariat; opening snapshots the electorate; closing (the sweep,
once the closing time has passed) counts the votes and stores the result. `closed` and
`withdrawn` are final. Only services change a status (through `next_status`), and each
change is audited by the service in the same transaction.
"""

from __future__ import annotations

import enum

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.errors import InvalidTransition


class _Labelled(enum.StrEnum):
    @property
    def label(self) -> str:
        return str(LABELS[self])

    @classmethod
    def choices(cls, members=None) -> list[tuple[str, object]]:
        """(value, lazy label) pairs for select fields; translated when rendered."""
        return [(item.value, LABELS[item]) for item in (members or cls)]


class CommitteeKind(_Labelled):
    SELF_REGULATION = "self_regulation"
    APPEAL = "appeal"
    MEDIATION = "mediation"


class SeatCategory(_Labelled):
    ASSOCIATION_LEADER = "association_leader"
    EXPERT = "expert"
    LARGE_ENTERPRISE_REP = "large_enterprise_rep"
    SMALL_MICRO_ENTERPRISE_REP = "small_micro_enterprise_rep"
    WORKER_REP = "worker_rep"
    MEDICAL_EXPERT = "medical_expert"
    LEGAL_EXPERT = "legal_expert"
    INDUSTRY_REP = "industry_rep"


_DISCIPLINE_SEATS = (
    SeatCategory.ASSOCIATION_LEADER,
    SeatCategory.EXPERT,
    SeatCategory.LARGE_ENTERPRISE_REP,
    SeatCategory.SMALL_MICRO_ENTERPRISE_REP,
    SeatCategory.WORKER_REP,
)
# The categories a seat of each committee may have.
CATEGORIES: dict[CommitteeKind, tuple[SeatCategory, ...]] = {
    CommitteeKind.SELF_REGULATION: _DISCIPLINE_SEATS,
    CommitteeKind.APPEAL: _DISCIPLINE_SEATS,
    CommitteeKind.MEDIATION: (
        SeatCategory.MEDICAL_EXPERT,
        SeatCategory.LEGAL_EXPERT,
        SeatCategory.INDUSTRY_REP,
        SeatCategory.WORKER_REP,
    ),
}


class TieNature(_Labelled):
    EMPLOYMENT = "employment"
    MANAGEMENT = "management"
    SHAREHOLDING = "shareholding"
    CONSULTANCY = "consultancy"
    FAMILY = "family"
    OTHER = "other"


class MotionKind(_Labelled):
    ORDINARY = "ordinary"
    MAJOR = "major"


class SubjectType(_Labelled):
    SANCTION = "sanction"
    CODE_REVISION = "code_revision"
    OTHER = "other"


# Sanctions and revisions of the code are always major matters.
ALWAYS_MAJOR = frozenset({SubjectType.SANCTION, SubjectType.CODE_REVISION})
# Resolutions published on /committees. Sanction decisions are published by the discipline
# domain, on its own terms (a minor sanction is never published).
PUBLISHED_SUBJECTS = frozenset({SubjectType.CODE_REVISION, SubjectType.OTHER})


class MotionStatus(_Labelled):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


class MotionResult(_Labelled):
    PASSED = "passed"
    FAILED = "failed"


class Choice(_Labelled):
    YES = "yes"
    NO = "no"
    ABSTAIN = "abstain"


# A reason may accompany these choices (and only these).
REASONED_CHOICES = frozenset({Choice.NO, Choice.ABSTAIN})


class RecusalKind(_Labelled):
    TIE = "tie"  # tied to the agency concerned: automatic
    DECLARED = "declared"  # the member declared a conflict
    EXCLUDED = "excluded"  # excluded by the domain that opened the motion (e.g. an appeal)


class Action(enum.StrEnum):
    OPEN = "open"
    CLOSE = "close"
    WITHDRAW = "withdraw"


TRANSITIONS: dict[tuple[MotionStatus, Action], MotionStatus] = {
    (MotionStatus.DRAFT, Action.OPEN): MotionStatus.OPEN,
    (MotionStatus.DRAFT, Action.WITHDRAW): MotionStatus.WITHDRAWN,
    (MotionStatus.OPEN, Action.CLOSE): MotionStatus.CLOSED,
    (MotionStatus.OPEN, Action.WITHDRAW): MotionStatus.WITHDRAWN,
}

FINAL = frozenset({MotionStatus.CLOSED, MotionStatus.WITHDRAWN})

ACTION_LABELS = {
    Action.OPEN: _l("opened for voting"),
    Action.CLOSE: _l("closed and counted"),
    Action.WITHDRAW: _l("withdrawn"),
}


def next_status(current: str | MotionStatus, action: Action) -> MotionStatus:
    """The status `action` leads to from `current`; InvalidTransition if it is not allowed."""
    status = MotionStatus(current)
    target = TRANSITIONS.get((status, Action(action)))
    if target is None:
        raise InvalidTransition(
            _(
                "This motion is “%(status)s”: it cannot be %(action)s now.",
                status=status.label,
                action=str(ACTION_LABELS[Action(action)]),
            )
        )
    return target


def allowed_actions(current: str | MotionStatus) -> list[Action]:
    status = MotionStatus(current)
    return [action for (source, action) in TRANSITIONS if source is status]


LABELS = {
    CommitteeKind.SELF_REGULATION: _l("Self-regulation committee"),
    CommitteeKind.APPEAL: _l("Appeal committee"),
    CommitteeKind.MEDIATION: _l("Mediation committee"),
    SeatCategory.ASSOCIATION_LEADER: _l("Association leader"),
    SeatCategory.EXPERT: _l("Expert"),
    SeatCategory.LARGE_ENTERPRISE_REP: _l("Large enterprise representative"),
    SeatCategory.SMALL_MICRO_ENTERPRISE_REP: _l("Small or micro enterprise representative"),
    SeatCategory.WORKER_REP: _l("Worker representative"),
    SeatCategory.MEDICAL_EXPERT: _l("Medical expert"),
    SeatCategory.LEGAL_EXPERT: _l("Legal expert"),
    SeatCategory.INDUSTRY_REP: _l("Industry representative"),
    TieNature.EMPLOYMENT: _l("Employed by the agency"),
    TieNature.MANAGEMENT: _l("Manager or director of the agency"),
    TieNature.SHAREHOLDING: _l("Shareholder of the agency"),
    TieNature.CONSULTANCY: _l("Paid adviser or consultant"),
    TieNature.FAMILY: _l("Close relative works there"),
    TieNature.OTHER: _l("Other tie"),
    MotionKind.ORDINARY: _l("Ordinary matter (more than half)"),
    MotionKind.MAJOR: _l("Major matter (two-thirds)"),
    SubjectType.SANCTION: _l("Sanction"),
    SubjectType.CODE_REVISION: _l("Revision of the code"),
    SubjectType.OTHER: _l("Other matter"),
    MotionStatus.DRAFT: _l("Draft"),
    MotionStatus.OPEN: _l("Voting open"),
    MotionStatus.CLOSED: _l("Voting closed"),
    MotionStatus.WITHDRAWN: _l("Withdrawn"),
    MotionResult.PASSED: _l("Adopted"),
    MotionResult.FAILED: _l("Not adopted"),
    Choice.YES: _l("Yes"),
    Choice.NO: _l("No"),
    Choice.ABSTAIN: _l("Abstain"),
    RecusalKind.TIE: _l("Tied to the agency concerned"),
    RecusalKind.DECLARED: _l("Declared a conflict of interest"),
    RecusalKind.EXCLUDED: _l("Excluded from this vote"),
}
