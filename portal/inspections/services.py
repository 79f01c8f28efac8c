"""The inspector pool (administrators), the yearly draw and the results (the secretariat).

The draw: the population is every active member (approved, membership not suspended),
sorted by membership number; the pool is every active inspector, sorted by code. The
members are drawn first (`draw.drawn_members`); then the active committee ties of the
drawn members to people in the pool are read in one query and published as exclusions;
then `draw.run_draw` assigns the inspectors. Everything it used is stored on the draw and
published, so anyone can re-run it (`flask inspections redraw --year`, /inspections/<year>).
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from portal import audit, clock
from portal.accounts.models import User
from portal.committees.models import CommitteeTie
from portal.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from portal.extensions import db
from portal.inspections import draw as drawing
from portal.inspections.models import Inspection, InspectionAssignment, InspectionDraw, Inspector
from portal.members.models import Member
from portal.security import Role, require

PERCENT = 20
PER_MEMBER = 2
INSPECTOR_ROLES = (Role.STAFF, Role.COMMITTEE)
SEED_MAX = 64
SUMMARY_MAX = 2000
DRAWN, COMPLETED = "drawn", "completed"
RESULT_TABLE = {"record": {DRAWN: COMPLETED, COMPLETED: COMPLETED}}


# ---- the pool ------------------------------------------------------------------------


def require_admin(actor) -> None:
    require(getattr(actor, "role", None) == Role.ADMIN, _("Only administrators keep the pool."))


def require_staff(actor) -> None:
    require(getattr(actor, "role", None) == Role.STAFF, _("Only the secretariat may do this."))


def pool(active_only: bool = True) -> list[Inspector]:
    stmt = select(Inspector).order_by(Inspector.code)
    if active_only:
        stmt = stmt.where(Inspector.active.is_(True))
    return list(db.session.scalars(stmt))


def candidates() -> list[User]:
    taken = select(Inspector.user_id).where(Inspector.active.is_(True))
    return list(
        db.session.scalars(
            select(User)
            .where(User.role.in_([r.value for r in INSPECTOR_ROLES]), User.id.not_in(taken))
            .order_by(User.username)
        )
    )


def add_inspector(actor, username: str) -> Inspector:
    require_admin(actor)
    user = db.session.scalar(select(User).where(User.username == (username or "").strip()))
    if user is None or not getattr(user, "active", True):
        raise ValidationFailed(_("No such user."), {"username": _("No such user.")})
    if user.role not in INSPECTOR_ROLES:
        message = _("Only secretariat staff and committee members can be inspectors.")
        raise ValidationFailed(message, {"username": message})
    inspector = db.session.scalar(select(Inspector).where(Inspector.user_id == user.id))
    if inspector is not None and inspector.active:
        raise Conflict(
            _("This person is in the pool already."), {"username": _("Already in the pool.")}
        )
    if inspector is None:
        number = (db.session.scalar(select(func.count()).select_from(Inspector)) or 0) + 1
        inspector = Inspector(user_id=user.id, code=f"INS-{number:03d}")
        db.session.add(inspector)
    inspector.active, inspector.removed_at = True, None
    inspector.added_by_id, inspector.added_at = actor.id, clock.now()
    db.session.flush()
    audit.record(
        "inspections.inspector_added",
        inspector,
        actor=actor,
        payload={"code": inspector.code, "user_id": user.id},
    )
    return inspector


def get_inspector(inspector_id: int) -> Inspector:
    inspector = db.session.get(Inspector, inspector_id)
    if inspector is None:
        raise NotFound(_("No such inspector."))
    return inspector


def remove_inspector(actor, inspector: Inspector) -> Inspector:
    require_admin(actor)
    if not inspector.active:
        raise InvalidTransition(_("This inspector has left the pool already."))
    inspector.active, inspector.removed_at = False, clock.now()
    audit.record(
        "inspections.inspector_removed", inspector, actor=actor, payload={"code": inspector.code}
    )
    return inspector


# ---- the draw ------------------------------------------------------------------------


def draws() -> list[InspectionDraw]:
    return list(db.session.scalars(select(InspectionDraw).order_by(InspectionDraw.year.desc())))


def draw_of(year: int) -> InspectionDraw:
    found = db.session.scalar(select(InspectionDraw).where(InspectionDraw.year == year))
    if found is None:
        raise NotFound(_("No draw for this year."))
    return found


def active_members() -> list[Member]:
    return list(
        db.session.scalars(
            select(Member)
            .where(Member.member_no.is_not(None), Member.suspended.is_(False))
            .order_by(Member.member_no)
        )
    )


def _ties(member_ids: list[int], user_ids: list[int]) -> dict[int, set[int]]:
    tied: dict[int, set[int]] = defaultdict(set)
    if not member_ids or not user_ids:
        return tied
    for member_id, user_id in db.session.execute(
        select(CommitteeTie.member_id, CommitteeTie.user_id).where(
            CommitteeTie.withdrawn_at.is_(None),
            CommitteeTie.member_id.in_(member_ids),
            CommitteeTie.user_id.in_(user_ids),
        )
    ):
        tied[member_id].add(user_id)
    return tied


def _clean_seed(seed: str | None) -> str:
    seed = (seed or "").strip()
    if not seed:
        return secrets.token_hex(16)
    if len(seed) > SEED_MAX or not seed.isprintable():
        message = _("A seed is up to %(n)d printable characters.", n=SEED_MAX)
        raise ValidationFailed(message, {"seed": message})
    return seed


def start_draw(actor, year: Any, seed: str | None = None) -> InspectionDraw:
    require_staff(actor)
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationFailed(_("Give a year."), {"year": _("Give a year.")}) from None
    this_year = clock.today().year
    if year not in (this_year, this_year + 1):
        message = _("A draw is for this year or the next.")
        raise ValidationFailed(message, {"year": message})
    if db.session.scalar(select(InspectionDraw.id).where(InspectionDraw.year == year)):
        raise Conflict(
            _("The draw for %(year)d has been made already.", year=year),
            {"year": _("Drawn already.")},
        )
    seed = _clean_seed(seed)
    members = active_members()
    if not members:
        raise ValidationFailed(
            _("There is no active member to draw."), {"year": _("No active member.")}
        )
    inspectors = pool()
    by_no = {m.member_no: m for m in members}
    by_code = {i.code: i for i in inspectors}
    population = sorted(by_no)
    chosen = drawing.drawn_members(seed, population, PERCENT)
    tied = _ties([by_no[no].id for no in chosen], [i.user_id for i in inspectors])
    exclusions = {
        no: sorted(i.code for i in inspectors if i.user_id in tied.get(by_no[no].id, set()))
        for no in chosen
    }
    exclusions = {no: codes for no, codes in exclusions.items() if codes}
    try:
        result = drawing.run_draw(
            seed, population, sorted(by_code), exclusions, PERCENT, PER_MEMBER
        )
    except drawing.PoolTooSmall as error:
        message = _(
            "The inspector pool is too small: %(no)s has %(n)d eligible inspectors, "
            "%(need)d needed.",
            no=error.member,
            n=error.eligible,
            need=error.needed,
        )
        raise ValidationFailed(message, {"year": message}) from None
    record = InspectionDraw(
        year=year,
        seed=seed,
        percent=PERCENT,
        per_member=PER_MEMBER,
        population=population,
        pool=sorted(by_code),
        exclusions=exclusions,
        drawn_by_id=actor.id,
        drawn_at=clock.now(),
    )
    db.session.add(record)
    db.session.flush()
    for position, no in enumerate(result.drawn, start=1):
        inspection = Inspection(
            draw_id=record.id, year=year, member_id=by_no[no].id, position=position
        )
        for order, code in enumerate(result.inspectors[no], start=1):
            inspection.assignments.append(
                InspectionAssignment(inspector_id=by_code[code].id, position=order)
            )
        db.session.add(inspection)
    db.session.flush()
    audit.record(
        "inspections.drawn",
        record,
        actor=actor,
        payload={
            "year": year,
            "seed": seed,
            "population": len(population),
            "pool": len(by_code),
            "drawn": result.drawn,
            "inspectors": result.inspectors,
        },
    )
    return record


def stored_result(record: InspectionDraw) -> drawing.DrawResult:
    return drawing.DrawResult(
        drawn=[i.member.member_no for i in record.inspections],
        inspectors={
            i.member.member_no: [a.inspector.code for a in i.assignments]
            for i in record.inspections
        },
    )


def redraw(record: InspectionDraw) -> tuple[drawing.DrawResult, bool]:
    """Run the draw again from what was published; True when it matches what was stored."""
    again = drawing.run_draw(
        record.seed,
        record.population,
        record.pool,
        record.exclusions,
        record.percent,
        record.per_member,
    )
    return again, again == stored_result(record)


def published(record: InspectionDraw) -> dict[str, Any]:
    """What the public page offers for download: enough to re-run the draw."""
    return {
        "year": record.year,
        "seed": record.seed,
        "percent": record.percent,
        "per_member": record.per_member,
        "members": record.population,
        "pool": record.pool,
        "exclusions": record.exclusions,
        "result": [
            {
                "member_no": i.member.member_no,
                "inspectors": [a.inspector.code for a in i.assignments],
            }
            for i in record.inspections
        ],
    }


# ---- results -------------------------------------------------------------------------


def get_inspection(inspection_id: int) -> Inspection:
    inspection = db.session.get(Inspection, inspection_id)
    if inspection is None:
        raise NotFound(_("No such inspection."))
    return inspection


def _count(value: Any, name: str, errors: dict) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors[name] = _("Give a whole number.")
        return 0
    if not 0 <= number <= 100:
        errors[name] = _("Give a number from 0 to 100.")
    return number


def record_result(
    actor,
    inspection: Inspection,
    *,
    inspected_on: date | None,
    minor_findings: Any,
    major_findings: Any,
    accuracy: Any,
    summary: str,
) -> Inspection:
    require_staff(actor)
    target = RESULT_TABLE["record"].get(inspection.status)
    if target is None:
        raise InvalidTransition(_("This inspection cannot take a result."))
    errors: dict[str, str] = {}
    minor = _count(minor_findings, "minor_findings", errors)
    major = _count(major_findings, "major_findings", errors)
    try:
        accuracy_tenths = round(float(accuracy) * 10)
        if not 0 <= accuracy_tenths <= 1000:
            raise ValueError
    except (TypeError, ValueError):
        accuracy_tenths = None
        errors["accuracy"] = _("Give a percentage from 0 to 100.")
    if not isinstance(inspected_on, date):
        errors["inspected_on"] = _("Give the date of the inspection.")
    elif inspected_on > clock.today() or inspected_on.year != inspection.year:
        errors["inspected_on"] = _(
            "The inspection date must be in %(year)d and not in the future.", year=inspection.year
        )
    summary = (summary or "").strip()
    if len(summary) > SUMMARY_MAX:
        errors["summary"] = _("At most %(n)d characters.", n=SUMMARY_MAX)
    if errors:
        raise ValidationFailed(_("Some fields need correcting."), errors)
    before = (
        None
        if inspection.status == DRAWN
        else {
            "minor": inspection.minor_findings,
            "major": inspection.major_findings,
            "accuracy_tenths": inspection.accuracy_tenths,
        }
    )
    inspection.status = target
    inspection.inspected_on = inspected_on
    inspection.minor_findings, inspection.major_findings = minor, major
    inspection.accuracy_tenths, inspection.summary = accuracy_tenths, summary
    inspection.recorded_by_id, inspection.recorded_at = actor.id, clock.now()
    audit.record(
        "inspections.result_recorded",
        inspection,
        actor=actor,
        payload={
            "year": inspection.year,
            "member_id": inspection.member_id,
            "minor": minor,
            "major": major,
            "accuracy_tenths": accuracy_tenths,
            "before": before,
        },
    )
    return inspection
