"""The case's panel: the candidates (the mediation committee in office), the proposal made
when a case opens, and the secretariat's changes, each checked by `rules` and audited."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from portal import audit, clock
from portal.committees import roster
from portal.committees.states import SeatCategory, TieNature
from portal.errors import InvalidTransition, ValidationFailed
from portal.extensions import db
from portal.mediation import rules
from portal.mediation.models import MediationCase, MediationPanelSeat
from portal.mediation.services import access, notices, timeline
from portal.mediation.states import OPEN_STATUSES, Action, check_transition


def _loads() -> dict[int, int]:
    rows = db.session.execute(
        select(MediationPanelSeat.user_id, func.count())
        .join(MediationCase, MediationCase.id == MediationPanelSeat.case_id)
        .where(MediationCase.status.in_([s.value for s in OPEN_STATUSES]))
        .group_by(MediationPanelSeat.user_id)
    ).all()
    return dict(rows)


def candidates() -> dict[int, rules.Candidate]:
    """The mediation committee's members in office today, by user id."""
    committee = roster.committee_of_kind("mediation")
    if committee is None:
        return {}
    loads = _loads()
    found: dict[int, rules.Candidate] = {}
    for seat in roster.seats_in_office(committee, clock.today()):
        found.setdefault(
            seat.user_id,
            rules.Candidate(
                user_id=seat.user_id,
                name=seat.user.display_name,
                category=seat.category,
                load=loads.get(seat.user_id, 0),
            ),
        )
    return found


def tied(case: MediationCase) -> dict[int, str]:
    return {uid: tie.nature for uid, tie in roster.tied_user_ids(case.member_id).items()}


def _category_label(value: str) -> str:
    try:
        return SeatCategory(value).label
    except ValueError:
        return value


def _nature_label(value: str) -> str:
    try:
        return TieNature(value).label
    except ValueError:
        return value


def explain(entry: dict) -> str:
    """One explanation or problem entry in the reader's language."""
    code = entry.get("code")
    if code == "chosen":
        return _(
            "%(name)s: %(category)s, in office and not tied to the agency; %(load)d other "
            "open case(s), the fewest among %(count)d eligible.",
            name=entry["name"],
            category=_category_label(entry["category"]),
            load=entry["load"],
            count=entry["others"] + 1,
        )
    if code in ("excluded_tie", "tied"):
        return _(
            "%(name)s is tied to the agency complained about (%(nature)s) and may not sit "
            "on this panel.",
            name=entry["name"],
            nature=_nature_label(entry["nature"]),
        )
    if code == "missing":
        return _(
            "The panel needs at least one member in the category “%(category)s”, in office "
            "on the mediation committee and free of ties to the agency.",
            category=_category_label(entry["category"]),
        )
    if code == "not_in_office":
        return _(
            "Person %(id)s does not sit on the mediation committee today.", id=entry["user_id"]
        )
    if code == "duplicate":
        return _("Each person may sit on the panel once.")
    if code == "too_many":
        return _("A panel has at most %(n)d people.", n=entry["max"])
    if code == "empty":
        return _("Choose the panel's members.")
    return str(code)


def _replace(actor: Any, case: MediationCase, chosen: Sequence[rules.Candidate], reasons) -> None:
    before = {seat.user_id for seat in case.panel}
    case.panel.clear()
    db.session.flush()
    now = clock.now()
    for candidate in chosen:
        case.panel.append(
            MediationPanelSeat(
                user_id=candidate.user_id,
                category=candidate.category,
                reason=reasons.get(candidate.user_id, ""),
                assigned_at=now,
                assigned_by_id=getattr(actor, "id", None),
            )
        )
    db.session.flush()
    added = [seat.user for seat in case.panel if seat.user_id not in before]
    if added:
        notices.tell_panel(case, "panel", only=added)


def propose(actor: Any, case: MediationCase) -> rules.Proposal:
    """Propose a panel within the rules (called when the case opens); the explanation is
    kept on the case. An incomplete proposal leaves the gap for the secretariat to fill."""
    proposal = rules.propose(list(candidates().values()), tied(case))
    case.panel_explanation = list(proposal.explanation)
    _replace(actor, case, proposal.chosen, {})
    audit.record(
        "mediation.panel_proposed",
        case,
        actor=actor,
        payload={
            "number": case.number,
            "panel": {str(c.user_id): c.category for c in proposal.chosen},
            "complete": proposal.complete,
            "excluded_for_ties": [
                e["user_id"] for e in proposal.explanation if e["code"] == "excluded_tie"
            ],
        },
    )
    return proposal


def change(actor: Any, case: MediationCase, user_ids: Sequence[int], reason: str = "") -> None:
    """The secretariat sets the panel; refused with the reasons if it breaks a rule."""
    access.require_staff(actor)
    check_transition(case.status, Action.CHANGE_PANEL)
    pool = candidates()
    found = rules.problems(list(user_ids), pool, tied(case))
    if found:
        why = " ".join(explain(p) for p in found)
        raise ValidationFailed(_("The panel breaks the rules: %(why)s", why=why), {"panel": why})
    before = sorted(seat.user_id for seat in case.panel)
    chosen = [pool[u] for u in dict.fromkeys(user_ids)]
    note = (reason or "").strip()[:500]
    _replace(actor, case, chosen, {c.user_id: STAFF_CHOICE + note for c in chosen})
    timeline.add(case, "panel_changed", actor, note=note or None)
    audit.record(
        "mediation.panel_changed",
        case,
        actor=actor,
        payload={
            "number": case.number,
            "from": before,
            "to": sorted(c.user_id for c in chosen),
            "categories": {str(c.user_id): c.category for c in chosen},
        },
    )


STAFF_CHOICE = "staff:"  # seat.reason of a seat the secretariat chose, then its note


def seat_reason(case: MediationCase, seat: MediationPanelSeat) -> str:
    """Why this person sits on the panel, in the reader's language."""
    if seat.reason.startswith(STAFF_CHOICE):
        note = seat.reason[len(STAFF_CHOICE) :]
        return _("Chosen by the secretariat.") + (f" {note}" if note else "")
    for entry in case.panel_explanation or []:
        if entry.get("code") == "chosen" and entry.get("user_id") == seat.user_id:
            return explain(entry)
    return seat.reason


def complete(case: MediationCase) -> bool:
    categories = {seat.category for seat in case.panel}
    return all(category in categories for category in rules.REQUIRED)


def require_complete(case: MediationCase) -> None:
    if not complete(case):
        why = _(
            "The panel needs at least one medical expert, one legal expert and one worker "
            "representative first."
        )
        raise InvalidTransition(why, {"panel": why})
