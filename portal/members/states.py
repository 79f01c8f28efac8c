"""The membership application's state machine, as a table, and the one function that checks it.

    draft ──submit──▶ submitted ──approve──▶ approved
                          │ ├────reject───▶ rejected
                          │ └────return───▶ returned ──submit──▶ submitted

An applicant edits the draft only in `draft` and `returned`; `approved` and `rejected` are
final. Only services change a status (through `transition`), and each change is audited
by the service in the same transaction.
"""

from __future__ import annotations

import enum

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.errors import InvalidTransition


class ApplicationStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])


class ApplicationKind(enum.StrEnum):
    NEW = "new"  # first admission
    RENEWAL = "renewal"  # credentials renewed before or after they expire
    CHANGE = "change"  # a change to the member's credentials, scope, name or premises

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self])


class Action(enum.StrEnum):
    SUBMIT = "submit"
    APPROVE = "approve"
    REJECT = "reject"
    RETURN = "return"


STATUS_LABELS = {
    ApplicationStatus.DRAFT: _l("Draft"),
    ApplicationStatus.SUBMITTED: _l("Submitted, awaiting review"),
    ApplicationStatus.RETURNED: _l("Returned for correction"),
    ApplicationStatus.APPROVED: _l("Approved"),
    ApplicationStatus.REJECTED: _l("Rejected"),
}

KIND_LABELS = {
    ApplicationKind.NEW: _l("Membership application"),
    ApplicationKind.RENEWAL: _l("Renewal of credentials"),
    ApplicationKind.CHANGE: _l("Change of credentials"),
}

# (from, action) -> to. Anything not listed is refused.
TRANSITIONS: dict[tuple[ApplicationStatus, Action], ApplicationStatus] = {
    (ApplicationStatus.DRAFT, Action.SUBMIT): ApplicationStatus.SUBMITTED,
    (ApplicationStatus.RETURNED, Action.SUBMIT): ApplicationStatus.SUBMITTED,
    (ApplicationStatus.SUBMITTED, Action.APPROVE): ApplicationStatus.APPROVED,
    (ApplicationStatus.SUBMITTED, Action.REJECT): ApplicationStatus.REJECTED,
    (ApplicationStatus.SUBMITTED, Action.RETURN): ApplicationStatus.RETURNED,
}

EDITABLE = frozenset({ApplicationStatus.DRAFT, ApplicationStatus.RETURNED})
OPEN = frozenset({ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED, ApplicationStatus.RETURNED})
FINAL = frozenset({ApplicationStatus.APPROVED, ApplicationStatus.REJECTED})


def next_status(current: str | ApplicationStatus, action: Action) -> ApplicationStatus:
    """The status `action` leads to from `current`; InvalidTransition if it is not allowed."""
    status = ApplicationStatus(current)
    target = TRANSITIONS.get((status, action))
    if target is None:
        raise InvalidTransition(
            _(
                "This application is “%(status)s”: it cannot be %(action)s now.",
                status=status.label,
                action=str(ACTION_PAST[action]),
            )
        )
    return target


def allowed_actions(current: str | ApplicationStatus) -> list[Action]:
    status = ApplicationStatus(current)
    return [action for (source, action) in TRANSITIONS if source is status]


ACTION_PAST = {
    Action.SUBMIT: _l("submitted"),
    Action.APPROVE: _l("approved"),
    Action.REJECT: _l("rejected"),
    Action.RETURN: _l("returned"),
}
