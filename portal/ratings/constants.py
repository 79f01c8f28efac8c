"""The published numbers of the rating formula (SPEC section 5). Every constant here is shown
on /ratings/formula; change one and the page changes with it."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l

from portal.members.constants import CONTINUING_HOURS_PER_YEAR, PRE_JOB_HOURS

# Component maxima (sum 100)
QUALIFICATION_MAX = 20
SERVICE_QUALITY_MAX = 30
COMPLAINTS_MAX = 20
DISCIPLINE_MAX = 20
TRAINING_MAX = 10

# Qualification and capacity (20)
QUALIFICATION_CERT_POINTS = 8
CERTIFICATION_POINTS = 4  # ISO 9001 or industry certification
CALIBRATION_POINTS = 4  # pro rata of the instruments calibrated on the day
PREMISES_POINTS = 2
PREMISES_MIN_M2 = 200
ROOMS_POINTS = 2
ROOMS_MIN = 4

# Service quality (30) = inspection findings (10) + report accuracy (20)
FINDINGS_MAX = 10
FINDING_MINOR_COST = 2
FINDING_MAJOR_COST = 5
ACCURACY_MAX = 20
ACCURACY_TARGET = 98  # percent
ACCURACY_COST_PER_POINT = 2  # points lost per percentage point below the target
INSPECTION_WINDOW_YEARS = 3  # the rating year and the two before

# Substantiated complaints per services delivered (20)
COMPLAINT_COST_PER_PER_MILLE = 10  # points lost per substantiated complaint per 1,000 services
PARTLY_WEIGHT = 0.5

# Discipline in the last 3 years (20)
DISCIPLINE_YEARS = 3
MINOR_COST = 5
GENERAL_COST = 10

# Staff training compliance (10): the members domain's training hours
TRAINING_PRE_JOB_HOURS = PRE_JOB_HOURS
TRAINING_CONTINUING_HOURS = CONTINUING_HOURS_PER_YEAR

# Not rated under this many services (reports issued) in the year
MIN_SERVICES = 30

# Stars: (minimum score, stars), first match
STAR_BANDS = ((90, 5), (80, 4), (70, 3), (60, 2))

# Anomaly watch
LARGE_VOLUME = 1000  # a 100% pass rate on at least this many workers or reports
JUMP_FACTOR = 3  # services at least 3 times last year's ...
JUMP_MIN_INCREASE = 500  # ... and at least 500 more
WORKERS_PER_ROOM_MAX = 25_000  # workers examined per examination room in a year


class Grade(enum.StrEnum):
    AAA = "AAA"
    AA = "AA"
    A = "A"
    B = "B"
    C = "C"
    D = "D"
    NOT_RATED = "not_rated"


GRADE_ORDER = (Grade.AAA, Grade.AA, Grade.A, Grade.B, Grade.C, Grade.D)  # best first

GRADE_LABELS = {
    Grade.AAA: "AAA",
    Grade.AA: "AA",
    Grade.A: "A",
    Grade.B: "B",
    Grade.C: "C",
    Grade.D: "D",
    Grade.NOT_RATED: _l("Not rated"),
}


def grade_label(value: str | None) -> str:
    try:
        return str(GRADE_LABELS[Grade(value)])
    except ValueError:
        return value or ""


class Component(enum.StrEnum):
    QUALIFICATION = "qualification"
    SERVICE_QUALITY = "service_quality"
    COMPLAINTS = "complaints"
    DISCIPLINE = "discipline"
    TRAINING = "training"


COMPONENT_MAX = {
    Component.QUALIFICATION: QUALIFICATION_MAX,
    Component.SERVICE_QUALITY: SERVICE_QUALITY_MAX,
    Component.COMPLAINTS: COMPLAINTS_MAX,
    Component.DISCIPLINE: DISCIPLINE_MAX,
    Component.TRAINING: TRAINING_MAX,
}

COMPONENT_LABELS = {
    Component.QUALIFICATION: _l("Qualification and capacity"),
    Component.SERVICE_QUALITY: _l("Service quality"),
    Component.COMPLAINTS: _l("Substantiated complaints per services delivered"),
    Component.DISCIPLINE: _l("Discipline in the last 3 years"),
    Component.TRAINING: _l("Staff training compliance"),
}


def component_label(value: str) -> str:
    try:
        return str(COMPONENT_LABELS[Component(value)])
    except ValueError:
        return value


class Anomaly(enum.StrEnum):
    PERFECT_PASS_RATE = "perfect_pass_rate"  # noqa: S105 (an anomaly code, no secret)
    JUMP = "jump"
    CAPACITY = "capacity"
    CORRECTED_EXCEEDS = "corrected_exceeds"


ANOMALY_LABELS = {
    Anomaly.PERFECT_PASS_RATE: _l("100% pass rate on a large volume"),
    Anomaly.JUMP: _l("Sudden jump from last year"),
    Anomaly.CAPACITY: _l("More workers than the examination rooms can take"),
    Anomaly.CORRECTED_EXCEEDS: _l("More corrected reports than reports issued"),
}
