"""Compliance of one professional: certificates, experience, training, annual examination.

`evaluate_staff(person, on)` checks a `StaffInput` on the day `on` against SPEC section 1
(chapter 03 of the code, 从业人员资质要求 and 培训与考核机制):

- certificates: every group in `REQUIRED_CERTIFICATES[role]` is met by one certificate code
  in `person.certificates` (physician: practising licence, intermediate or higher title in
  preventive or clinical medicine, chief examining physician certificate; hygiene tester:
  college diploma in a related field, provincial training certificate; health promotion:
  health manager *or* psychological counsellor certificate). Unknown codes are ignored.
- experience: `experience_years >= MIN_EXPERIENCE_YEARS` (2; 1.9 fails).
- pre-job training: a person who has been assigned (`first_assignment` on or before `on`)
  needs `pre_job_hours >= PRE_JOB_HOURS` (60). A person not yet assigned (no date, or a
  date after `on`) is not in breach: a shortfall is a warning, and `can_practise` is False
  until the hours are complete. The hours are not dated, so "before first assignment" is
  taken on trust from the record: the total recorded is what was done before.
- continuing education: `CONTINUING_HOURS_PER_YEAR` (40) hours in every *completed*
  calendar year from the year after the first assignment up to last year (the year of the
  first assignment is partial and covered by the pre-job training). A year missing from
  `continuing_hours_by_year` counts as 0 hours. The current year is not over, so its
  shortfall is a warning naming the hours still needed, never a problem.
- annual examination (theory + practical): only results dated on or before `on` count.
  The latest result decides: a failed one suspends the person's practice until a later
  pass is recorded (two results on the same day: the one listed last is the later).
  Someone assigned before last year must have an examination dated last year or this year;
  someone first assigned last year or this year has had no full year to be examined in
  yet, so no examination is required of them (but a failed one still suspends them).

Missing data (None) is a problem saying what is missing, never an exception. Reasons are
English msgids translated with gettext when the rules run.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple

from flask_babel import gettext as _

from portal import clock
from portal.members.constants import (
    CONTINUING_HOURS_PER_YEAR,
    MIN_EXPERIENCE_YEARS,
    PRE_JOB_HOURS,
    REQUIRED_CERTIFICATES,
    STAFF_CERTIFICATE_LABELS,
    StaffRole,
)


class ExamResult(NamedTuple):
    """One annual examination (年度考核, theory + practical). Plain (date, bool) tuples work too."""

    taken_on: date
    passed: bool


@dataclass(frozen=True)
class StaffInput:
    """One professional of a member agency, as the rules need them.

    `ref` is a stable identifier (e.g. the database id of the staff record) used in the
    checklist's rule code ``staff.person.<ref>``; `name` is shown to people.
    """

    role: StaffRole | str | None
    certificates: frozenset[str] = frozenset()
    experience_years: float | None = None
    pre_job_hours: float | None = None
    first_assignment: date | None = None
    continuing_hours_by_year: Mapping[int, float] = field(default_factory=dict)
    exam_results: Sequence[tuple[date, bool]] = ()
    name: str = ""
    ref: str | None = None


@dataclass(frozen=True)
class StaffCompliance:
    """The verdict on one professional on one day.

    - `compliant`: no problem (a suspended person is never compliant).
    - `practice_suspended`: the latest annual examination was failed.
    - `problems`: why the person is not compliant, one sentence each.
    - `warnings`: what needs doing soon but is no breach yet (this year's continuing hours,
      pre-job hours of someone not yet assigned).
    - `can_practise`: compliant and with the pre-job training complete, i.e. the person may
      be assigned work; the agency's staff requirement counts only such people.
    """

    compliant: bool
    practice_suspended: bool
    problems: list[str]
    warnings: list[str] = field(default_factory=list)
    can_practise: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "compliant": self.compliant,
            "practice_suspended": self.practice_suspended,
            "can_practise": self.can_practise,
            "problems": list(self.problems),
            "warnings": list(self.warnings),
        }


def as_day(on: date | datetime | None) -> date:
    """The day the rules run for: a date as is; an aware datetime's day in Asia/Shanghai (a
    naive one's own date); None means today (`portal.clock.today()`)."""
    if on is None:
        return clock.today()
    if isinstance(on, datetime):
        return (clock.shanghai(on) if on.tzinfo is not None else on).date()
    return on


def fmt_number(value: float | int) -> str:
    """Hours and years for messages: 60 not 60.0, 59.5 as is."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _number(value: Any) -> float | None:
    """A finite float, or None for missing or unusable values."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def coerce_role(value: Any) -> StaffRole | None:
    try:
        return StaffRole(value)
    except ValueError:
        return None


def _hours_by_year(hours: Mapping[Any, Any] | None) -> dict[int, float]:
    result: dict[int, float] = {}
    for year, value in (hours or {}).items():
        try:
            key = int(year)
        except (TypeError, ValueError):
            continue
        number = _number(value)
        result[key] = result.get(key, 0.0) + max(number or 0.0, 0.0)
    return result


def _exams(results: Sequence[Any] | None, on: date) -> list[tuple[date, bool]]:
    """Usable results dated on or before `on`, oldest first (stable for same-day results)."""
    usable = []
    for item in results or ():
        try:
            taken_on, passed = item
        except (TypeError, ValueError):
            continue
        if isinstance(taken_on, date) and taken_on <= on:
            usable.append((taken_on, bool(passed)))
    return sorted(usable, key=lambda pair: pair[0])


def _certificate_problems(role: StaffRole, held: frozenset[str]) -> list[str]:
    held = frozenset(str(code).strip() for code in held)
    problems = []
    for group in REQUIRED_CERTIFICATES[role]:
        if group & held:
            continue
        labels = [str(STAFF_CERTIFICATE_LABELS[code]) for code in sorted(group)]
        if len(labels) == 1:
            problems.append(_("Missing certificate: %(name)s.", name=labels[0]))
        else:
            problems.append(_("Missing certificate: one of %(names)s.", names=" / ".join(labels)))
    return problems


def evaluate_staff(person: StaffInput, on: date | datetime | None = None) -> StaffCompliance:
    """Check one professional on the day `on` (default today; see the module docstring)."""
    on = as_day(on)
    problems: list[str] = []
    warnings: list[str] = []

    role = coerce_role(person.role)
    if person.role is None:
        problems.append(_("The role is not given."))
    elif role is None:
        problems.append(_("Unknown role: %(value)s.", value=person.role))
    else:
        problems.extend(_certificate_problems(role, person.certificates or frozenset()))

    experience = _number(person.experience_years)
    if experience is None:
        problems.append(_("The years of relevant experience are not given."))
    elif experience < MIN_EXPERIENCE_YEARS:
        problems.append(
            _(
                "%(years)s years of relevant experience, at least %(min)s required.",
                years=fmt_number(experience),
                min=MIN_EXPERIENCE_YEARS,
            )
        )

    pre_job = _number(person.pre_job_hours)
    first = person.first_assignment if isinstance(person.first_assignment, date) else None
    assigned = first is not None and first <= on
    pre_job_done = pre_job is not None and pre_job >= PRE_JOB_HOURS
    if assigned and not pre_job_done:
        if pre_job is None:
            problems.append(_("The pre-job training hours are not given."))
        else:
            problems.append(
                _(
                    "%(hours)s hours of pre-job training before the first assignment, at least "
                    "%(min)s required.",
                    hours=fmt_number(pre_job),
                    min=PRE_JOB_HOURS,
                )
            )
    elif not pre_job_done:
        warnings.append(
            _(
                "%(hours)s hours of pre-job training: %(missing)s more needed before the first "
                "assignment.",
                hours=fmt_number(pre_job or 0),
                missing=fmt_number(PRE_JOB_HOURS - (pre_job or 0)),
            )
        )

    if first is not None and assigned:
        hours = _hours_by_year(person.continuing_hours_by_year)
        for year in range(first.year + 1, on.year):
            done = hours.get(year, 0.0)
            if done < CONTINUING_HOURS_PER_YEAR:
                problems.append(
                    _(
                        "%(hours)s hours of continuing education in %(year)s, at least %(min)s "
                        "required.",
                        hours=fmt_number(done),
                        year=year,
                        min=CONTINUING_HOURS_PER_YEAR,
                    )
                )
        if on.year > first.year:
            done = hours.get(on.year, 0.0)
            if done < CONTINUING_HOURS_PER_YEAR:
                warnings.append(
                    _(
                        "%(hours)s hours of continuing education in %(year)s so far: %(missing)s "
                        "more needed by the end of the year.",
                        hours=fmt_number(done),
                        year=on.year,
                        missing=fmt_number(CONTINUING_HOURS_PER_YEAR - done),
                    )
                )

    exams = _exams(person.exam_results, on)
    suspended = bool(exams) and not exams[-1][1]
    if suspended:
        problems.append(
            _(
                "Practice suspended: the annual examination of %(date)s was failed; a pass must "
                "be recorded.",
                date=exams[-1][0].isoformat(),
            )
        )
    elif (
        first is not None
        and assigned
        and first.year <= on.year - 2
        and not any(taken_on.year >= on.year - 1 for taken_on, _passed in exams)
    ):
        problems.append(
            _(
                "No annual examination recorded in %(last)s or %(this)s.",
                last=on.year - 1,
                this=on.year,
            )
        )

    compliant = not problems
    return StaffCompliance(
        compliant=compliant,
        practice_suspended=suspended,
        problems=problems,
        warnings=warnings,
        can_practise=compliant and pre_job_done,
    )
