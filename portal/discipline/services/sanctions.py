"""The sanction table as a rule: a level, its measures, its publication term and, for an
order to rectify, the due date. Pure: values in, a `Sanction` or a ValidationFailed out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from portal.discipline.constants import (
    LEVEL_LABELS,
    MEASURE_LABELS,
    MEASURES,
    TERM_MONTHS,
    Level,
    Measure,
)
from portal.errors import ValidationFailed


@dataclass(frozen=True)
class Sanction:
    level: str
    measures: tuple[str, ...]
    publication_months: int | None
    rectify_due_on: date | None


def check_sanction(
    level: str | None,
    measures: Iterable[str] | None,
    publication_months: int | None,
    rectify_due_on: date | None,
    today: date,
) -> Sanction:
    """The sanction if the table allows it; ValidationFailed naming each field at fault."""
    fields: dict[str, str] = {}
    try:
        chosen_level = Level(level or "")
    except ValueError:
        chosen_level = None
        fields["level"] = _("Choose minor, general or serious.")
    chosen: list[Measure] = []
    for code in measures or ():
        try:
            measure = Measure(code)
        except ValueError:
            fields["measures"] = _("Unknown sanction: %(code)s.", code=code)
            continue
        if measure not in chosen:
            chosen.append(measure)
    if not chosen and "measures" not in fields:
        fields["measures"] = _("Choose at least one sanction.")
    if chosen_level is not None and "measures" not in fields:
        outside = [m for m in chosen if m not in MEASURES[chosen_level]]
        if outside:
            fields["measures"] = _(
                "%(measure)s is not a sanction of the %(level)s level: a sanction outside "
                "its level is refused.",
                measure=MEASURE_LABELS[outside[0]],
                level=LEVEL_LABELS[chosen_level],
            )
    if chosen_level is not None:
        term = TERM_MONTHS[chosen_level]
        if term is None:
            if publication_months:
                fields["publication_months"] = _("A minor sanction is never published.")
            publication_months = None
        elif publication_months is None or not term[0] <= publication_months <= term[1]:
            fields["publication_months"] = _(
                "A %(level)s sanction is published for %(low)d to %(high)d months.",
                level=LEVEL_LABELS[chosen_level],
                low=term[0],
                high=term[1],
            )
    if Measure.ORDER_TO_RECTIFY in chosen:
        if rectify_due_on is None:
            fields["rectify_due_on"] = _("An order to rectify needs its due date.")
        elif rectify_due_on <= today:
            fields["rectify_due_on"] = _("The due date must be after today.")
    else:
        rectify_due_on = None
    if fields:
        raise ValidationFailed(_("The sanction does not fit the table."), fields)
    ordered = tuple(m.value for m in MEASURES[chosen_level] if m in chosen)
    return Sanction(chosen_level.value, ordered, publication_months, rectify_due_on)
