"""The rating formula, pure: facts about one member and one year in, the score, its parts,
the stars and the credit grade out (SPEC section 5). Nothing here reads the database; the
bulk gathering is `services/compute.py`. The numbers are in `constants.py` and published,
in words, on /ratings/formula (`templates/ratings/formula.html`).

Points are kept in tenths (integers), each part rounded half up to a tenth, so that a
threshold like ">= 90" is never missed by a float.

- Qualification and capacity (20): qualification certificate valid on the reference day 8;
  ISO 9001 or industry certification valid 4; instrument calibrations valid 4 x valid/total
  (none recorded: 0); premises >= 200 m2 2; >= 4 examination rooms 2 (only examination
  institutions need rooms; the others get these 2 points).
- Service quality (30): inspection findings 10 - 2 per minor - 5 per major finding of the
  latest inspection in the rating year or the two before (none: 10); report accuracy 20 at
  98% or more, 2 points less per percentage point below 98 (floor 0), from that
  inspection's measured accuracy, or else from the filed figures
  ((reports issued - reports corrected) / reports issued).
- Complaints (20): 20 - 10 per substantiated complaint per 1,000 services (a partly
  substantiated one counts half), complaints decided in the rating year; floor 0.
- Discipline (20): sanctions that took effect in the rating year or the two before:
  20 - 5 per minor - 10 per general; any serious one: 0; floor 0.
- Training (10): 10 x the share of assigned professionals who are training-compliant
  (>= 60 h pre-job training, >= 40 h continuing education in the rating year unless first
  assigned in it, practice not suspended by a failed annual examination). None: 0.
- Not rated: fewer than 30 services (reports issued) in the year, or no figures filed.
- Stars (rated, not blacklisted): >= 90 five, >= 80 four, >= 70 three, >= 60 two, else one.
- Grade: the worse of the score's grade and the sanctions' cap.
  Score: >= 90 AAA when the two previous years were also rated >= 90 and no sanction took
  effect in the three years, else AA; >= 80 AA; >= 70 A; >= 60 B; below 60 C.
  Cap: blacklisted, a serious sanction in force or taking effect in the year: D; a general
  sanction in force: C; any sanction that took effect in the year: B (a minor sanction
  gives B, and AA needs a year with no sanction). Not rated: D or C if the cap says so,
  else "not rated".
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import NamedTuple, TypedDict

from portal.ratings import constants as k
from portal.ratings.constants import Component, Grade


def ratio_tenths(numerator: int, denominator: int) -> int:
    """numerator / denominator as integer tenths, rounded half up (away from zero). Integers
    only: exact, and a yearly run does this 60,000 times, which Decimal does ten times
    slower."""
    magnitude = (20 * abs(numerator) + abs(denominator)) // (2 * abs(denominator))
    return -magnitude if (numerator < 0) != (denominator < 0) else magnitude


# A partly substantiated complaint's weight as a fraction (1/2), for exact integer sums.
PARTLY_NUMERATOR, PARTLY_DENOMINATOR = Fraction(str(k.PARTLY_WEIGHT)).as_integer_ratio()


def clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


# The facts and results are named tuples, not frozen dataclasses: just as immutable, and a
# yearly run builds hundreds of thousands of them, which a frozen dataclass builds several
# times slower.


class InspectionFact(NamedTuple):
    year: int
    minor_findings: int
    major_findings: int
    accuracy_tenths: int | None  # report accuracy in tenths of a percent (985 = 98.5%)


class SanctionLike(NamedTuple):
    level: str  # minor | general | serious
    took_effect_on: date
    decision_no: str = ""


class StaffTraining(NamedTuple):
    pre_job_hours: float
    continuing_hours: float  # in the rating year
    first_assignment: date | None
    suspended: bool  # the latest annual examination up to the reference day was failed


class PreviousYear(NamedTuple):
    year: int
    rated: bool
    score_tenths: int | None


class RatingFacts(NamedTuple):
    year: int
    reference_day: date
    agency_type: str | None = None
    premises_m2: float | None = None
    exam_rooms: int | None = None
    qualification_valid: bool = False
    certification_valid: bool = False
    calibrations_total: int = 0
    calibrations_valid: int = 0
    services: int | None = None  # reports issued in the year; None: no figures filed
    reports_corrected: int | None = None
    inspection: InspectionFact | None = None
    substantiated: int = 0
    partly_substantiated: int = 0
    sanctions: tuple[SanctionLike, ...] = ()  # took effect in the 3-year window
    staff: tuple[StaffTraining, ...] = ()
    # (training-compliant, counted) already counted by the database; overrides `staff`
    training_counts: tuple[int, int] | None = None
    blacklisted: bool = False
    levels_in_force: frozenset[str] = frozenset()
    previous: tuple[PreviousYear, ...] = ()


class Part(TypedDict):
    """One line of a component's explanation, as stored (the result's JSON)."""

    code: str
    points: int  # tenths
    max: int  # tenths
    values: dict


class ComponentScore(TypedDict):
    """A component's points and their explanation, as stored: plain dicts, so that a yearly
    run serialises 20,000 of them in one call each, without converting."""

    component: Component  # a StrEnum: serialised as its value
    points: int  # tenths: the sum of the parts (build with `component_score`)
    max: int  # tenths
    parts: list[Part]


def part(code: str, points: int, maximum: int, values: dict) -> Part:
    return {"code": code, "points": points, "max": maximum, "values": values}


MAX_TENTHS = {component: maximum * 10 for component, maximum in k.COMPONENT_MAX.items()}


def component_score(component: Component, parts: list[Part]) -> ComponentScore:
    points = 0
    for line in parts:
        points += line["points"]
    return {"component": component, "points": points, "max": MAX_TENTHS[component], "parts": parts}


class Outcome(NamedTuple):
    rated: bool
    score_tenths: int
    stars: int | None
    grade: Grade
    components: tuple[ComponentScore, ...]
    reasons: tuple[str, ...]  # codes explaining the grade

    def components_json(self) -> list[ComponentScore]:
        return list(self.components)


def qualification(f: RatingFacts) -> ComponentScore:
    calibration = (
        ratio_tenths(k.CALIBRATION_POINTS * f.calibrations_valid, f.calibrations_total)
        if f.calibrations_total
        else 0
    )
    needs_rooms = f.agency_type == "examination"
    rooms_ok = (not needs_rooms) or (f.exam_rooms or 0) >= k.ROOMS_MIN
    return component_score(
        Component.QUALIFICATION,
        [
            part(
                "qualification_certificate",
                k.QUALIFICATION_CERT_POINTS * 10 if f.qualification_valid else 0,
                k.QUALIFICATION_CERT_POINTS * 10,
                {"valid": f.qualification_valid},
            ),
            part(
                "certification",
                k.CERTIFICATION_POINTS * 10 if f.certification_valid else 0,
                k.CERTIFICATION_POINTS * 10,
                {"valid": f.certification_valid},
            ),
            part(
                "calibration",
                calibration,
                k.CALIBRATION_POINTS * 10,
                {"valid": f.calibrations_valid, "total": f.calibrations_total},
            ),
            part(
                "premises",
                k.PREMISES_POINTS * 10 if (f.premises_m2 or 0) >= k.PREMISES_MIN_M2 else 0,
                k.PREMISES_POINTS * 10,
                {"m2": f.premises_m2},
            ),
            part(
                "rooms",
                k.ROOMS_POINTS * 10 if rooms_ok else 0,
                k.ROOMS_POINTS * 10,
                {"rooms": f.exam_rooms, "required": needs_rooms},
            ),
        ],
    )


def accuracy_points(accuracy_tenths: int) -> int:
    """20 at 98% or more; 2 points less per percentage point below (in tenths: 2 per 10)."""
    short = max(0, k.ACCURACY_TARGET * 10 - accuracy_tenths)  # tenths of a percent
    return clamp(k.ACCURACY_MAX * 10 - short * k.ACCURACY_COST_PER_POINT, 0, k.ACCURACY_MAX * 10)


def service_quality(f: RatingFacts) -> ComponentScore:
    inspection = f.inspection
    if inspection is None:
        findings = part("findings", k.FINDINGS_MAX * 10, k.FINDINGS_MAX * 10, {"inspected": False})
    else:
        cost = (
            inspection.minor_findings * k.FINDING_MINOR_COST
            + inspection.major_findings * k.FINDING_MAJOR_COST
        )
        findings = part(
            "findings",
            clamp((k.FINDINGS_MAX - cost) * 10, 0, k.FINDINGS_MAX * 10),
            k.FINDINGS_MAX * 10,
            {
                "inspected": True,
                "year": inspection.year,
                "minor": inspection.minor_findings,
                "major": inspection.major_findings,
            },
        )
    if inspection is not None and inspection.accuracy_tenths is not None:
        source, accuracy = "inspection", inspection.accuracy_tenths
    elif f.services:
        corrected = min(f.reports_corrected or 0, f.services)
        accuracy = ratio_tenths(100 * (f.services - corrected), f.services)
        source = "figures"
    else:
        source, accuracy = "none", None
    accuracy_part = part(
        "accuracy",
        accuracy_points(accuracy) if accuracy is not None else 0,
        k.ACCURACY_MAX * 10,
        {"source": source, "accuracy_tenths": accuracy},
    )
    return component_score(Component.SERVICE_QUALITY, [findings, accuracy_part])


def complaints(f: RatingFacts) -> ComponentScore:
    # weighted complaints in 1/PARTLY_DENOMINATOR units: substantiated + weight x partly
    weighted = f.substantiated * PARTLY_DENOMINATOR + f.partly_substantiated * PARTLY_NUMERATOR
    services = f.services or 0
    if weighted == 0:
        points, rate = k.COMPLAINTS_MAX * 10, 0
    elif services == 0:
        points, rate = 0, None
    else:
        # complaints per 1,000 services = numerator / denominator, kept exact as a ratio
        numerator, denominator = weighted * 1000, services * PARTLY_DENOMINATOR
        rate = ratio_tenths(numerator, denominator)  # in tenths
        # points = max - cost x rate, over the same denominator
        lost = k.COMPLAINT_COST_PER_PER_MILLE * numerator
        points = clamp(
            ratio_tenths(k.COMPLAINTS_MAX * denominator - lost, denominator),
            0,
            k.COMPLAINTS_MAX * 10,
        )
    return component_score(
        Component.COMPLAINTS,
        [
            part(
                "complaint_rate",
                points,
                k.COMPLAINTS_MAX * 10,
                {
                    "substantiated": f.substantiated,
                    "partly": f.partly_substantiated,
                    "services": services,
                    "per_mille_tenths": rate,
                },
            ),
        ],
    )


def window_start(year: int) -> date:
    return date(year - k.DISCIPLINE_YEARS + 1, 1, 1)


def discipline(f: RatingFacts) -> ComponentScore:
    first_year = window_start(f.year).year  # the window is whole calendar years
    counted = [s for s in f.sanctions if first_year <= s.took_effect_on.year <= f.year]
    minor = general = serious = 0
    for sanction in counted:
        if sanction.level == "minor":
            minor += 1
        elif sanction.level == "general":
            general += 1
        elif sanction.level == "serious":
            serious += 1
    if serious:
        points = 0
    else:
        points = clamp(
            (k.DISCIPLINE_MAX - k.MINOR_COST * minor - k.GENERAL_COST * general) * 10,
            0,
            k.DISCIPLINE_MAX * 10,
        )
    return component_score(
        Component.DISCIPLINE,
        [
            part(
                "sanctions",
                points,
                k.DISCIPLINE_MAX * 10,
                {
                    "minor": minor,
                    "general": general,
                    "serious": serious,
                    "decisions": sorted(s.decision_no for s in counted if s.decision_no),
                },
            ),
        ],
    )


def training_compliant(person: StaffTraining, year: int) -> bool:
    if person.suspended or person.pre_job_hours < k.TRAINING_PRE_JOB_HOURS:
        return False
    first_year = person.first_assignment.year if person.first_assignment else year
    return first_year >= year or person.continuing_hours >= k.TRAINING_CONTINUING_HOURS


def training_counts(f: RatingFacts) -> tuple[int, int]:
    """(compliant, counted): only professionals assigned on or before the reference day."""
    if f.training_counts is not None:
        return f.training_counts
    counted = [
        p
        for p in f.staff
        if p.first_assignment is not None and p.first_assignment <= f.reference_day
    ]
    return sum(1 for p in counted if training_compliant(p, f.year)), len(counted)


def training(f: RatingFacts) -> ComponentScore:
    compliant, total = training_counts(f)
    points = ratio_tenths(k.TRAINING_MAX * compliant, total) if total else 0
    return component_score(
        Component.TRAINING,
        [
            part(
                "training",
                points,
                k.TRAINING_MAX * 10,
                {"compliant": compliant, "staff": total},
            ),
        ],
    )


def stars_for(score_tenths: int, rated: bool, blacklisted: bool) -> int | None:
    if not rated or blacklisted:
        return None
    for minimum, stars in k.STAR_BANDS:
        if score_tenths >= minimum * 10:
            return stars
    return 1


def _sanctions_in(f: RatingFacts, year: int) -> list[SanctionLike]:
    return [s for s in f.sanctions if s.took_effect_on.year == year]


def sanction_cap(f: RatingFacts) -> tuple[Grade | None, str | None]:
    this_year = _sanctions_in(f, f.year)
    if f.blacklisted:
        return Grade.D, "blacklisted"
    if "serious" in f.levels_in_force or any(s.level == "serious" for s in this_year):
        return Grade.D, "serious_sanction"
    if "general" in f.levels_in_force:
        return Grade.C, "general_in_force"
    if this_year:
        return Grade.B, "sanction_this_year"
    return None, None


def three_clean_years(f: RatingFacts) -> bool:
    wanted = {f.year - 1, f.year - 2}
    qualifying = {
        p.year for p in f.previous if p.year in wanted and p.rated and (p.score_tenths or 0) >= 900
    }
    no_sanction = not any(s.took_effect_on.year >= f.year - 2 for s in f.sanctions)
    return qualifying == wanted and no_sanction


def score_grade(f: RatingFacts, score_tenths: int) -> tuple[Grade, str]:
    if score_tenths >= 900:
        if three_clean_years(f):
            return Grade.AAA, "score_90_three_years"
        return Grade.AA, "score_90_not_three_years"
    if score_tenths >= 800:
        return Grade.AA, "score_80"
    if score_tenths >= 700:
        return Grade.A, "score_70"
    if score_tenths >= 600:
        return Grade.B, "score_60"
    return Grade.C, "score_below_60"


def worse(a: Grade, b: Grade) -> Grade:
    return a if k.GRADE_ORDER.index(a) >= k.GRADE_ORDER.index(b) else b


def rate(f: RatingFacts) -> Outcome:
    components = (qualification(f), service_quality(f), complaints(f), discipline(f), training(f))
    score = sum(c["points"] for c in components)
    rated = f.services is not None and f.services >= k.MIN_SERVICES
    cap, cap_reason = sanction_cap(f)
    reasons: list[str] = []
    if not rated:
        reasons.append("too_few_services")
        if cap in (Grade.C, Grade.D):
            grade = cap
            reasons.append(cap_reason)
        else:
            grade = Grade.NOT_RATED
    else:
        grade, why = score_grade(f, score)
        reasons.append(why)
        if cap is not None and worse(grade, cap) is cap and cap is not grade:
            grade = cap
            reasons.append(cap_reason)
        elif cap is not None:
            reasons.append(cap_reason)
    return Outcome(
        rated=rated,
        score_tenths=score,
        stars=stars_for(score, rated, f.blacklisted),
        grade=grade,
        components=components,
        reasons=tuple(reasons),
    )
