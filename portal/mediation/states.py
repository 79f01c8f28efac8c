"""The mediation case's state machine: one table, one function that checks it.

    awaiting_consent ──consent (both)──▶ open ──draft_agreement──▶ agreement_drafted
          │                               │                              │ confirm (both)
          └──decline──▶ declined           └──fail──▶ failed ◀──fail─────┤
                                                                          ▼
                                                                        agreed

`TABLE[action][state]` is the state after `action` in `state`; a missing state means the
action is not allowed there. Actions that do not move the case (one party's consent, the
panel, sessions, documents, one party's confirmation, the judicial-confirmation mark) map a
state to itself, so the same table says where they are allowed. The moves that depend on
both parties (`open` after the second consent, `conclude` after the second confirmation)
are their own actions, which the services take when the condition holds. Only
`check_transition` reads the table; every service calls it before changing anything.
"""

from __future__ import annotations

import enum

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.errors import InvalidTransition


class Status(enum.StrEnum):
    AWAITING_CONSENT = "awaiting_consent"
    DECLINED = "declined"
    OPEN = "open"
    AGREEMENT_DRAFTED = "agreement_drafted"
    AGREED = "agreed"
    FAILED = "failed"


class Action(enum.StrEnum):
    CONSENT = "consent"  # one party agrees to mediation
    DECLINE = "decline"  # one party refuses: the case ends
    OPEN = "open"  # the second consent: the panel is proposed
    CHANGE_PANEL = "change_panel"
    SCHEDULE_SESSION = "schedule_session"
    RECORD_SESSION = "record_session"  # attendance and minutes
    ADD_DOCUMENT = "add_document"  # a document, or a new version of one
    DRAFT_AGREEMENT = "draft_agreement"  # a (new) text: confirmations start again
    CONFIRM = "confirm"  # one party confirms the text
    CONCLUDE = "conclude"  # the second confirmation: the text is frozen
    MARK_JUDICIAL = "mark_judicial"  # marked for judicial confirmation by a court
    FAIL = "fail"  # mediation failed: the notice of the right to sue


S = Status
ACTIVE = (S.OPEN, S.AGREEMENT_DRAFTED)

TABLE: dict[Action, dict[Status, Status]] = {
    Action.CONSENT: {S.AWAITING_CONSENT: S.AWAITING_CONSENT},
    Action.DECLINE: {S.AWAITING_CONSENT: S.DECLINED},
    Action.OPEN: {S.AWAITING_CONSENT: S.OPEN},
    Action.CHANGE_PANEL: {s: s for s in ACTIVE},
    Action.SCHEDULE_SESSION: {s: s for s in ACTIVE},
    Action.RECORD_SESSION: {s: s for s in ACTIVE},
    Action.ADD_DOCUMENT: {s: s for s in (S.AWAITING_CONSENT, *ACTIVE, S.AGREED, S.FAILED)},
    Action.DRAFT_AGREEMENT: {S.OPEN: S.AGREEMENT_DRAFTED, S.AGREEMENT_DRAFTED: S.AGREEMENT_DRAFTED},
    Action.CONFIRM: {S.AGREEMENT_DRAFTED: S.AGREEMENT_DRAFTED},
    Action.CONCLUDE: {S.AGREEMENT_DRAFTED: S.AGREED},
    Action.MARK_JUDICIAL: {S.AGREED: S.AGREED},
    Action.FAIL: {S.OPEN: S.FAILED, S.AGREEMENT_DRAFTED: S.FAILED},
}

FINAL = frozenset({S.DECLINED, S.AGREED, S.FAILED})
OPEN_STATUSES = frozenset(s for s in Status if s not in FINAL)
# The first-session deadline runs while these hold and no session is scheduled.
DEADLINE_RUNS = frozenset({S.AWAITING_CONSENT, S.OPEN})

STATUS_LABELS = {
    S.AWAITING_CONSENT: _l("Waiting for both parties to agree"),
    S.DECLINED: _l("Declined by a party"),
    S.OPEN: _l("Mediation under way"),
    S.AGREEMENT_DRAFTED: _l("Agreement awaiting confirmation"),
    S.AGREED: _l("Agreement confirmed"),
    S.FAILED: _l("Mediation failed"),
}
STATUS_COLORS = {
    S.AWAITING_CONSENT: "primary",
    S.DECLINED: "secondary",
    S.OPEN: "info",
    S.AGREEMENT_DRAFTED: "warning",
    S.AGREED: "success",
    S.FAILED: "dark",
}
ACTION_LABELS = {
    Action.CONSENT: _l("Agree to mediation"),
    Action.DECLINE: _l("Decline mediation"),
    Action.OPEN: _l("Open the case"),
    Action.CHANGE_PANEL: _l("Change the panel"),
    Action.SCHEDULE_SESSION: _l("Schedule a session"),
    Action.RECORD_SESSION: _l("Record attendance and minutes"),
    Action.ADD_DOCUMENT: _l("Add a document"),
    Action.DRAFT_AGREEMENT: _l("Write the agreement"),
    Action.CONFIRM: _l("Confirm the agreement"),
    Action.CONCLUDE: _l("Conclude the agreement"),
    Action.MARK_JUDICIAL: _l("Mark for judicial confirmation"),
    Action.FAIL: _l("Record that mediation failed"),
}


def check_transition(status: str | Status, action: str | Action) -> Status:
    """The state after `action` in `status`; InvalidTransition if it is not allowed there."""
    current, wanted = Status(status), Action(action)
    target = TABLE[wanted].get(current)
    if target is None:
        raise InvalidTransition(
            _(
                "“%(action)s” is not possible while the mediation case is “%(status)s”.",
                action=ACTION_LABELS[wanted],
                status=STATUS_LABELS[current],
            ),
            {"status": current.value},
        )
    return target


def allowed(status: str | Status, action: str | Action) -> bool:
    return Status(status) in TABLE[Action(action)]


def allowed_actions(status: str | Status) -> list[Action]:
    return [action for action in Action if allowed(status, action)]


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(Status(status), status))
