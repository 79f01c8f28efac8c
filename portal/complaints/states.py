"""The complaint's state machine: one table, one function that checks it.

    received ──accept──▶ accepted ──start_investigation──▶ investigating ──resolve──▶ resolved
        │                   │                                   ▲   │                      │
        └─reject─▶ rejected └──request_material──▶ awaiting_material ◀─request_material─┘ close
                                                  (clock paused) │                          ▼
                                                    add_material ┘                       closed

`TABLE[action][state]` is the state after `action` taken in `state`; an action missing for a
state is not allowed there. Actions that do not move the complaint (assigning a panel or a
handler, the agency's response, adding material outside a pause) map a state to itself, so
the same table also says *where* they are allowed. Only `check_transition` reads the table;
every service calls it before it changes anything.
"""

from __future__ import annotations

import enum

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.errors import InvalidTransition


class Status(enum.StrEnum):
    RECEIVED = "received"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    INVESTIGATING = "investigating"
    AWAITING_MATERIAL = "awaiting_material"
    RESOLVED = "resolved"
    CLOSED = "closed"


class Action(enum.StrEnum):
    ACCEPT = "accept"
    REJECT = "reject"
    START_INVESTIGATION = "start_investigation"
    REQUEST_MATERIAL = "request_material"
    ADD_MATERIAL = "add_material"
    ASSIGN_PANEL = "assign_panel"
    ASSIGN_HANDLER = "assign_handler"
    RESPOND = "respond"  # the agency's written response
    RESOLVE = "resolve"
    CLOSE = "close"


S = Status
WORKING = (S.ACCEPTED, S.INVESTIGATING, S.AWAITING_MATERIAL)  # accepted and not yet resolved

TABLE: dict[Action, dict[Status, Status]] = {
    Action.ACCEPT: {S.RECEIVED: S.ACCEPTED},
    Action.REJECT: {S.RECEIVED: S.REJECTED},
    Action.START_INVESTIGATION: {S.ACCEPTED: S.INVESTIGATING},
    Action.REQUEST_MATERIAL: {
        S.ACCEPTED: S.AWAITING_MATERIAL,
        S.INVESTIGATING: S.AWAITING_MATERIAL,
    },
    Action.ADD_MATERIAL: {
        S.RECEIVED: S.RECEIVED,
        S.ACCEPTED: S.ACCEPTED,
        S.INVESTIGATING: S.INVESTIGATING,
        S.AWAITING_MATERIAL: S.INVESTIGATING,  # the material arrived: the clock runs again
    },
    Action.ASSIGN_PANEL: {s: s for s in WORKING},
    Action.ASSIGN_HANDLER: {s: s for s in (S.RECEIVED, *WORKING, S.RESOLVED)},
    Action.RESPOND: {s: s for s in WORKING},
    Action.RESOLVE: {S.INVESTIGATING: S.RESOLVED},
    Action.CLOSE: {S.RESOLVED: S.CLOSED},
}

OPEN_STATUSES = frozenset(s for s in Status if s not in (S.REJECTED, S.CLOSED))
FINAL_STATUSES = frozenset({S.REJECTED, S.CLOSED})
# What the agency complained about may see: from acceptance on, never a rejected complaint.
AGENCY_VISIBLE = frozenset({*WORKING, S.RESOLVED, S.CLOSED})

STATUS_LABELS = {
    S.RECEIVED: _l("Received"),
    S.ACCEPTED: _l("Accepted"),
    S.REJECTED: _l("Not accepted"),
    S.INVESTIGATING: _l("Under investigation"),
    S.AWAITING_MATERIAL: _l("Waiting for material"),
    S.RESOLVED: _l("Resolved"),
    S.CLOSED: _l("Closed"),
}
STATUS_COLORS = {
    S.RECEIVED: "primary",
    S.ACCEPTED: "info",
    S.REJECTED: "secondary",
    S.INVESTIGATING: "info",
    S.AWAITING_MATERIAL: "warning",
    S.RESOLVED: "success",
    S.CLOSED: "dark",
}
ACTION_LABELS = {
    Action.ACCEPT: _l("Accept"),
    Action.REJECT: _l("Do not accept"),
    Action.START_INVESTIGATION: _l("Start the investigation"),
    Action.REQUEST_MATERIAL: _l("Ask for missing material"),
    Action.ADD_MATERIAL: _l("Add material"),
    Action.ASSIGN_PANEL: _l("Assign the expert panel"),
    Action.ASSIGN_HANDLER: _l("Assign a handler"),
    Action.RESPOND: _l("Respond"),
    Action.RESOLVE: _l("Resolve"),
    Action.CLOSE: _l("Close"),
}


# Moves taken for the mediation domain (portal.mediation), kept in their own table so the
# complaint's own table stays exactly the spec's: proposing mediation leaves the complaint
# where it is; an agreement closes it; a failed mediation sends it back to the investigation
# or closes it with the notice of the right to sue.
class MediationAction(enum.StrEnum):
    PROPOSE = "mediation_propose"
    AGREED = "mediation_agreed"
    FAILED_RESUME = "mediation_failed_resume"
    FAILED_CLOSE = "mediation_failed_close"


MEDIATION_TABLE: dict[MediationAction, dict[Status, Status]] = {
    MediationAction.PROPOSE: {S.ACCEPTED: S.ACCEPTED, S.INVESTIGATING: S.INVESTIGATING},
    MediationAction.AGREED: {s: S.CLOSED for s in WORKING},
    MediationAction.FAILED_RESUME: {
        S.ACCEPTED: S.INVESTIGATING,
        S.INVESTIGATING: S.INVESTIGATING,
        S.AWAITING_MATERIAL: S.AWAITING_MATERIAL,
    },
    MediationAction.FAILED_CLOSE: {s: S.CLOSED for s in WORKING},
}


def check_mediation_transition(status: str | Status, action: str | MediationAction) -> Status:
    """The complaint's state after a mediation move; InvalidTransition if not allowed."""
    current, wanted = Status(status), MediationAction(action)
    target = MEDIATION_TABLE[wanted].get(current)
    if target is None:
        raise InvalidTransition(
            _(
                "The complaint is “%(status)s”: mediation cannot change it now.",
                status=STATUS_LABELS[current],
            ),
            {"status": current.value},
        )
    return target


def check_transition(status: str | Status, action: str | Action) -> Status:
    """The state after `action` in `status`; InvalidTransition if it is not allowed there."""
    current, wanted = Status(status), Action(action)
    target = TABLE[wanted].get(current)
    if target is None:
        raise InvalidTransition(
            _(
                "“%(action)s” is not possible while the complaint is “%(status)s”.",
                action=ACTION_LABELS[wanted],
                status=STATUS_LABELS[current],
            ),
            {"status": current.value},
        )
    return target


def allowed(status: str | Status, action: str | Action) -> bool:
    return Status(status) in TABLE[Action(action)]


def allowed_actions(status: str | Status) -> list[Action]:
    """Every action the table allows in `status`, in the table's order."""
    return [action for action in Action if allowed(status, action)]


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(Status(status), status))
