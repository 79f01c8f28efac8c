"""The state machines of discipline, as tables, with the one function that checks them.

Case:
    open ──propose──▶ proposed ──decide (minor, secretariat)──────────────▶ decided
      │                 │  ▲  └──submit (general/serious)──▶ voting ──passed──▶ decided
      │                 │  └──────────────────failed─────────────┘
      └──dismiss──▶ dismissed ◀──dismiss──┘

Decision:
    notified ──appeal (within 10 working days)──▶ appealed ──upheld/changed──▶ in_force
       │                                             └──revoked──▶ revoked
       └──take_effect (the window closed unused)──▶ in_force

Appeal:
    pending ──submit (outcome to the appeal committee)──▶ voting ──passed──▶ decided
       ▲                                                   │
       └───────────────────────failed──────────────────────┘

`TABLE[action][state]` is the state after `action` in `state`; an action missing for a
state is not allowed there. Actions that do not move the case (findings, evidence, a new
proposal) map a state to itself. Only services change a status, each after calling
`check`, and each change is audited in the same transaction.
"""

from __future__ import annotations

import enum

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.errors import InvalidTransition


class CaseStatus(enum.StrEnum):
    OPEN = "open"
    PROPOSED = "proposed"
    VOTING = "voting"
    DECIDED = "decided"
    DISMISSED = "dismissed"


class DecisionStatus(enum.StrEnum):
    NOTIFIED = "notified"
    APPEALED = "appealed"
    IN_FORCE = "in_force"
    REVOKED = "revoked"


class AppealStatus(enum.StrEnum):
    PENDING = "pending"
    VOTING = "voting"
    DECIDED = "decided"


class BreachStatus(enum.StrEnum):
    RECEIVED = "received"
    CASE_OPENED = "case_opened"
    NO_CASE = "no_case"


class Action(enum.StrEnum):
    # cases
    RECORD = "record"  # findings and evidence
    PROPOSE = "propose"
    DECIDE = "decide"  # the secretariat decides a minor sanction
    SUBMIT = "submit"  # to the self-regulation committee
    VOTE_PASSED = "vote_passed"
    VOTE_FAILED = "vote_failed"
    DISMISS = "dismiss"
    # decisions
    APPEAL = "appeal"
    TAKE_EFFECT = "take_effect"
    UPHOLD = "uphold"
    CHANGE = "change"
    REVOKE = "revoke"
    # appeals
    SUBMIT_OUTCOME = "submit_outcome"
    OUTCOME_PASSED = "outcome_passed"
    OUTCOME_FAILED = "outcome_failed"
    # breach reports
    OPEN_CASE = "open_case"
    NO_CASE = "no_case"


C, D, A, B = CaseStatus, DecisionStatus, AppealStatus, BreachStatus

CASE_TABLE: dict[Action, dict[CaseStatus, CaseStatus]] = {
    Action.RECORD: {C.OPEN: C.OPEN, C.PROPOSED: C.PROPOSED},
    Action.PROPOSE: {C.OPEN: C.PROPOSED, C.PROPOSED: C.PROPOSED},
    Action.DECIDE: {C.PROPOSED: C.DECIDED},
    Action.SUBMIT: {C.PROPOSED: C.VOTING},
    Action.VOTE_PASSED: {C.VOTING: C.DECIDED},
    Action.VOTE_FAILED: {C.VOTING: C.PROPOSED},
    Action.DISMISS: {C.OPEN: C.DISMISSED, C.PROPOSED: C.DISMISSED},
}
DECISION_TABLE: dict[Action, dict[DecisionStatus, DecisionStatus]] = {
    Action.APPEAL: {D.NOTIFIED: D.APPEALED},
    Action.TAKE_EFFECT: {D.NOTIFIED: D.IN_FORCE},
    Action.UPHOLD: {D.APPEALED: D.IN_FORCE},
    Action.CHANGE: {D.APPEALED: D.IN_FORCE},
    Action.REVOKE: {D.APPEALED: D.REVOKED},
}
APPEAL_TABLE: dict[Action, dict[AppealStatus, AppealStatus]] = {
    Action.SUBMIT_OUTCOME: {A.PENDING: A.VOTING},
    Action.OUTCOME_PASSED: {A.VOTING: A.DECIDED},
    Action.OUTCOME_FAILED: {A.VOTING: A.PENDING},
}
BREACH_TABLE: dict[Action, dict[BreachStatus, BreachStatus]] = {
    Action.OPEN_CASE: {B.RECEIVED: B.CASE_OPENED},
    Action.NO_CASE: {B.RECEIVED: B.NO_CASE},
}

TABLES = {
    CaseStatus: CASE_TABLE,
    DecisionStatus: DECISION_TABLE,
    AppealStatus: APPEAL_TABLE,
    BreachStatus: BREACH_TABLE,
}

OPEN_CASES = frozenset({C.OPEN, C.PROPOSED, C.VOTING})
# A decision whose sanction may still be executed (nothing is executed before it is final).
NOT_FINAL = frozenset({D.NOTIFIED, D.APPEALED})

# One label and colour table per kind: the kinds share some values ("voting", "decided"),
# and StrEnum members with equal values are equal dictionary keys.
LABELS = {
    CaseStatus: {
        C.OPEN: _l("Being investigated"),
        C.PROPOSED: _l("Sanction proposed"),
        C.VOTING: _l("Committee voting"),
        C.DECIDED: _l("Sanction decided"),
        C.DISMISSED: _l("Closed without sanction"),
    },
    DecisionStatus: {
        D.NOTIFIED: _l("Notified; appeal window open"),
        D.APPEALED: _l("Under appeal"),
        D.IN_FORCE: _l("In effect"),
        D.REVOKED: _l("Revoked on appeal"),
    },
    AppealStatus: {
        A.PENDING: _l("Waiting for the appeal committee"),
        A.VOTING: _l("Appeal committee voting"),
        A.DECIDED: _l("Appeal decided"),
    },
    BreachStatus: {
        B.RECEIVED: _l("Received"),
        B.CASE_OPENED: _l("Discipline case opened"),
        B.NO_CASE: _l("No case"),
    },
}
COLORS = {
    CaseStatus: {
        C.OPEN: "primary",
        C.PROPOSED: "info",
        C.VOTING: "warning",
        C.DECIDED: "success",
        C.DISMISSED: "secondary",
    },
    DecisionStatus: {
        D.NOTIFIED: "info",
        D.APPEALED: "warning",
        D.IN_FORCE: "danger",
        D.REVOKED: "secondary",
    },
    AppealStatus: {A.PENDING: "warning", A.VOTING: "warning", A.DECIDED: "success"},
    BreachStatus: {B.RECEIVED: "primary", B.CASE_OPENED: "danger", B.NO_CASE: "secondary"},
}
ACTION_LABELS = {
    Action.RECORD: _l("Record findings or evidence"),
    Action.PROPOSE: _l("Propose a sanction"),
    Action.DECIDE: _l("Decide the minor sanction"),
    Action.SUBMIT: _l("Put to the self-regulation committee"),
    Action.VOTE_PASSED: _l("Adopted by the committee"),
    Action.VOTE_FAILED: _l("Not adopted by the committee"),
    Action.DISMISS: _l("Close without sanction"),
    Action.APPEAL: _l("Appeal"),
    Action.TAKE_EFFECT: _l("Take effect"),
    Action.UPHOLD: _l("Uphold"),
    Action.CHANGE: _l("Change the sanction"),
    Action.REVOKE: _l("Revoke"),
    Action.SUBMIT_OUTCOME: _l("Put the outcome to the appeal committee"),
    Action.OUTCOME_PASSED: _l("Outcome adopted"),
    Action.OUTCOME_FAILED: _l("Outcome not adopted"),
    Action.OPEN_CASE: _l("Open a discipline case"),
    Action.NO_CASE: _l("Close without a case"),
}


def _kind_of(value: str, kind: type[enum.StrEnum] | None) -> type[enum.StrEnum] | None:
    if kind is not None:
        return kind
    # Cases, decisions and breach reports share no value; appeals are asked for by kind.
    for candidate in (CaseStatus, DecisionStatus, BreachStatus):
        if value in {item.value for item in candidate}:
            return candidate
    return None


def check(kind: type[enum.StrEnum], status: str, action: str | Action) -> enum.StrEnum:
    """The state after `action` in `status` (of a case, decision, appeal or breach report);
    InvalidTransition if the table does not allow it there."""
    current, wanted = kind(status), Action(action)
    target = TABLES[kind].get(wanted, {}).get(current)
    if target is None:
        raise InvalidTransition(
            _(
                "“%(action)s” is not possible while it is “%(status)s”.",
                action=ACTION_LABELS[wanted],
                status=LABELS[kind][current],
            ),
            {"status": current.value},
        )
    return target


def allowed(kind: type[enum.StrEnum], status: str, action: str | Action) -> bool:
    return kind(status) in TABLES[kind].get(Action(action), {})


def status_label(value: str, kind: type[enum.StrEnum] | None = None) -> str:
    found = _kind_of(value, kind)
    return str(LABELS[found][found(value)]) if found else value


def status_color(value: str, kind: type[enum.StrEnum] | None = None) -> str:
    found = _kind_of(value, kind)
    return COLORS[found][found(value)] if found else "secondary"


def appeal_label(value: str) -> str:
    return status_label(value, AppealStatus)


def nothing_left_to_do(decision) -> bool:
    """Final for the secretariat: in force or revoked, no rectification report waiting to be
    accepted, and no letter to the regulator still to be sent."""
    waiting_report = decision.rectified_at and not decision.rectification_accepted_at
    letter_due = decision.status == DecisionStatus.IN_FORCE and (
        "revocation_recommendation" in decision.measures
    )
    return decision.status in (DecisionStatus.IN_FORCE, DecisionStatus.REVOKED) and not (
        waiting_report or letter_due
    )
