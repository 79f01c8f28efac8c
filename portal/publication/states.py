"""States of disputes and credit-repair applications: one table each, one checking function.

dispute:       open ──answer──▶ answered
credit repair: submitted ──grant──▶ granted
                         └─refuse─▶ refused
"""

from __future__ import annotations

import enum

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.errors import InvalidTransition


class DisputeStatus(enum.StrEnum):
    OPEN = "open"
    ANSWERED = "answered"


class RepairStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    GRANTED = "granted"
    REFUSED = "refused"


TABLE: dict[str, dict[str, str]] = {
    "dispute.answer": {DisputeStatus.OPEN: DisputeStatus.ANSWERED},
    "repair.grant": {RepairStatus.SUBMITTED: RepairStatus.GRANTED},
    "repair.refuse": {RepairStatus.SUBMITTED: RepairStatus.REFUSED},
}

STATUS_LABELS = {
    DisputeStatus.OPEN: _l("Waiting for an answer"),
    DisputeStatus.ANSWERED: _l("Answered"),
    RepairStatus.SUBMITTED: _l("Waiting for a decision"),
    RepairStatus.GRANTED: _l("Granted"),
    RepairStatus.REFUSED: _l("Refused"),
}


def check_transition(action: str, state: str) -> str:
    """The state after `action` in `state`; InvalidTransition when it is not allowed."""
    target = TABLE[action].get(state)
    if target is None:
        raise InvalidTransition(_("This has already been decided."))
    return str(target)


def status_label(status: str) -> str:
    for key, label in STATUS_LABELS.items():
        if key == status:
            return str(label)
    return status
