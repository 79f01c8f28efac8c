"""Yearly service figures: filed by the member, validated or corrected by the secretariat.

States (`FIGURES_TABLE`): filed --amend (member)--> filed; filed --validate (staff)-->
validated; filed|validated --correct (staff, with a reason)--> validated. A member files a
year once the year has begun and amends it until the secretariat validates it; after
that only a correction (audited, with its reason) changes it. Each version is kept in
`FiguresChange`, so the member reads what changed and why.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from portal import audit, clock
from portal.errors import InvalidTransition, NotFound, ValidationFailed
from portal.extensions import db
from portal.members.services import access
from portal.ratings.models import FIGURE_FIELDS, FiguresChange, YearlyFigures
from portal.security import Role, require

FILED, VALIDATED = "filed", "validated"
FIGURES_TABLE = {
    "amend": {FILED: FILED},
    "validate": {FILED: VALIDATED},
    "correct": {FILED: VALIDATED, VALIDATED: VALIDATED},
}
MAX_VALUE = 10_000_000
REASON_MIN = 5
REASON_MAX = 1000
FIRST_YEAR = 2000


def check_transition(action: str, status: str) -> str:
    target = FIGURES_TABLE[action].get(status)
    if target is None:
        raise InvalidTransition(
            _("These figures have been validated by the secretariat; ask it for a correction.")
            if action == "amend"
            else _("This action is not possible for figures in this state.")
        )
    return target


def clean_values(data: dict[str, Any]) -> dict[str, int]:
    """The five figures as non-negative integers, with a message per field at fault."""
    values: dict[str, int] = {}
    errors: dict[str, str] = {}
    for name in FIGURE_FIELDS:
        raw = data.get(name)
        if raw in (None, "") and name in ("reports_corrected", "abnormal_results"):
            raw = 0
        try:
            number = int(str(raw).strip())
            if isinstance(raw, float) and not float(raw).is_integer():
                raise ValueError
        except (TypeError, ValueError):
            errors[name] = _("Give a whole number.")
            continue
        if not 0 <= number <= MAX_VALUE:
            errors[name] = _("Give a number from 0 to %(max)d.", max=MAX_VALUE)
            continue
        values[name] = number
    if not errors:
        if values["reports_corrected"] > values["reports_issued"]:
            errors["reports_corrected"] = _(
                "More reports corrected than issued: at most %(n)d.", n=values["reports_issued"]
            )
        volume = max(values["workers_examined"], values["reports_issued"])
        if values["abnormal_results"] > volume:
            errors["abnormal_results"] = _(
                "More abnormal results than workers examined or reports issued."
            )
        if values["reports_issued"] and not (
            values["enterprises_served"] or values["workers_examined"]
        ):
            errors["enterprises_served"] = _(
                "Reports were issued, so give the enterprises served or the workers examined."
            )
    if errors:
        raise ValidationFailed(_("Some figures need correcting."), errors)
    return values


def check_year(year: Any) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationFailed(_("Give a year."), {"year": _("Give a year.")}) from None
    if not FIRST_YEAR <= year <= clock.today().year:
        message = _("Figures can be filed for %(first)d up to this year.", first=FIRST_YEAR)
        raise ValidationFailed(message, {"year": message})
    return year


def _member_of(actor):
    member = access.member_of(actor)
    if member is None or not member.is_member:
        raise NotFound(_("Your account is not linked to an approved member agency."))
    return member


def figures_of_member(member_id: int) -> list[YearlyFigures]:
    return list(
        db.session.scalars(
            select(YearlyFigures)
            .where(YearlyFigures.member_id == member_id)
            .order_by(YearlyFigures.year.desc())
        )
    )


def my_figures(actor) -> tuple[Any, list[YearlyFigures]]:
    member = access.member_of(actor)
    if member is None or not member.is_member:
        return member, []
    return member, figures_of_member(member.id)


def _record(figures: YearlyFigures, kind: str, actor, before, reason: str = "") -> None:
    figures.changes.append(
        FiguresChange(
            kind=kind,
            before=before,
            after=figures.values(),
            reason=reason,
            actor_id=getattr(actor, "id", None),
            at=clock.now(),
        )
    )
    audit.record(
        f"ratings.figures_{kind}",
        figures,
        actor=actor,
        payload={
            "member_id": figures.member_id,
            "year": figures.year,
            "before": before,
            "after": figures.values(),
            **({"reason": reason} if reason else {}),
        },
    )


def file_figures(actor, year: Any, data: dict[str, Any]) -> YearlyFigures:
    """File (or amend, while not validated) the caller's agency's figures for `year`."""
    require(
        getattr(actor, "role", None) == Role.MEMBER, _("Only member agency users file figures.")
    )
    member = _member_of(actor)
    year = check_year(year)
    values = clean_values(data)
    figures = db.session.scalar(
        select(YearlyFigures).where(
            YearlyFigures.member_id == member.id, YearlyFigures.year == year
        )
    )
    now = clock.now()
    if figures is None:
        figures = YearlyFigures(
            member_id=member.id, year=year, status=FILED, filed_by_id=actor.id, filed_at=now
        )
        for name, value in values.items():
            setattr(figures, name, value)
        figures.updated_at = now
        db.session.add(figures)
        db.session.flush()
        _record(figures, "filed", actor, None)
        return figures
    check_transition("amend", figures.status)
    before = figures.values()
    if before == values:
        return figures
    for name, value in values.items():
        setattr(figures, name, value)
    figures.updated_at = now
    _record(figures, "amended", actor, before)
    return figures


def get_figures(figures_id: int) -> YearlyFigures:
    figures = db.session.get(YearlyFigures, figures_id)
    if figures is None:
        raise NotFound(_("No such figures."))
    return figures


def require_secretariat(actor) -> None:
    require(
        getattr(actor, "role", None) == Role.STAFF,
        _("Only the secretariat may validate or correct figures."),
    )


def validate(actor, figures: YearlyFigures) -> YearlyFigures:
    require_secretariat(actor)
    figures.status = check_transition("validate", figures.status)
    figures.validated_by_id, figures.validated_at = actor.id, clock.now()
    _record(figures, "validated", actor, figures.values())
    return figures


def correct(actor, figures: YearlyFigures, data: dict[str, Any], reason: str) -> YearlyFigures:
    require_secretariat(actor)
    reason = " ".join((reason or "").split())
    errors = {}
    if len(reason) < REASON_MIN:
        errors["reason"] = _(
            "Say why the figures are corrected (at least %(n)d characters).", n=REASON_MIN
        )
    elif len(reason) > REASON_MAX:
        errors["reason"] = _("At most %(n)d characters.", n=REASON_MAX)
    try:
        values = clean_values(data)
    except ValidationFailed as error:
        errors.update(error.fields)
    if errors:
        raise ValidationFailed(_("Some fields need correcting."), errors)
    target = check_transition("correct", figures.status)
    before = figures.values()
    for name, value in values.items():
        setattr(figures, name, value)
    figures.status = target
    figures.updated_at = clock.now()
    figures.validated_by_id, figures.validated_at = actor.id, clock.now()
    _record(figures, "corrected", actor, before, reason)
    return figures


def queue(year: int | None = None, status: str | None = None):
    stmt = select(YearlyFigures).order_by(YearlyFigures.year.desc(), YearlyFigures.id)
    if year:
        stmt = stmt.where(YearlyFigures.year == year)
    if status in (FILED, VALIDATED):
        stmt = stmt.where(YearlyFigures.status == status)
    return stmt
