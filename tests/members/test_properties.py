"""Properties of the rule engine, over generated applications and people."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from portal.members.advertising import DEFAULT_FORBIDDEN_PHRASES, find_forbidden
from portal.members.constants import (
    EXPIRY_WARNING_DAYS,
    AgencyType,
    HazardCategory,
    InstrumentKind,
    QualityDocument,
    StaffRole,
)
from portal.members.rules import (
    Certificate,
    Instrument,
    QualificationInput,
    Status,
    certificate_status,
    evaluate,
    requirement_codes,
)
from portal.members.staff_rules import StaffInput, evaluate_staff
from tests.members.builders import ON, application, person

SETTINGS = settings(max_examples=100, deadline=None)

dates = st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31))
maybe_dates = st.none() | dates
areas = (
    st.none()
    | st.integers(-10, 1000)
    | st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False, allow_infinity=False)
    | st.floats(allow_nan=True, allow_infinity=True)
)
certificates = st.none() | st.builds(
    Certificate,
    number=st.sampled_from(["", "C-1", "C-2"]),
    issuer=st.sampled_from(["", "卫健委"]),
    valid_from=dates,
    valid_to=dates,
)
instruments = st.builds(
    Instrument,
    kind=st.sampled_from(list(InstrumentKind)),
    calibration_certificate=st.none() | st.just("CAL"),
    calibration_expires=maybe_dates,
)
staff = st.builds(
    StaffInput,
    role=st.none() | st.sampled_from(list(StaffRole)),
    certificates=st.frozensets(
        st.sampled_from(
            [
                "practising_physician_licence",
                "intermediate_title_preventive_or_clinical",
                "chief_examining_physician_certificate",
                "college_diploma_related_field",
                "provincial_training_certificate",
                "health_manager_certificate",
                "other",
            ]
        )
    ),
    experience_years=st.none() | st.floats(0, 40),
    pre_job_hours=st.none() | st.floats(0, 200),
    first_assignment=maybe_dates,
    continuing_hours_by_year=st.dictionaries(st.integers(2014, 2036), st.floats(0, 100)),
    exam_results=st.lists(st.tuples(dates, st.booleans()), max_size=4),
    ref=st.none() | st.sampled_from(["a", "b"]),
)
applications = st.builds(
    QualificationInput,
    agency_type=st.none() | st.sampled_from(list(AgencyType)),
    credit_code=st.none() | st.text(max_size=20),
    business_licence_present=st.booleans(),
    qualification=certificates,
    approved_scope=st.frozensets(st.sampled_from(list(HazardCategory))),
    premises_m2=areas,
    exam_rooms=st.none() | st.integers(-1, 10),
    instruments=st.lists(instruments, max_size=8),
    quality_documents=st.frozensets(st.sampled_from(list(QualityDocument))),
    iso9001=certificates,
    industry_certification=certificates,
    staff=st.lists(staff, max_size=4),
)


@SETTINGS
@given(app=applications, on=dates)
def test_one_result_per_requirement_code(app, on):
    checklist = evaluate(app, on)
    codes = [result.code for result in checklist.results]
    assert len(codes) == len(set(codes))
    fixed = [code for code in codes if not code.startswith("staff.person.")]
    assert fixed == requirement_codes(app.agency_type, app.approved_scope)
    assert len(codes) - len(fixed) == len(app.staff)
    assert all(isinstance(result.reason, str) and result.reason for result in checklist.results)
    assert checklist.passed is not any(
        r.hard and r.status is Status.FAIL for r in checklist.results
    )


@SETTINGS
@given(
    agency_type=st.sampled_from(list(AgencyType)),
    scope=st.frozensets(st.sampled_from(list(HazardCategory))),
)
def test_codes_for_a_type_do_not_depend_on_the_data(agency_type, scope):
    full = evaluate(application(agency_type, scope), ON)
    empty = evaluate(QualificationInput(agency_type=agency_type, approved_scope=scope), ON)
    assert [r.code for r in empty.results] == requirement_codes(agency_type, scope)
    assert [r.code for r in full.results][:-1] == requirement_codes(agency_type, scope)


@SETTINGS
@given(
    app=applications,
    on=dates,
    smaller=st.decimals(min_value=0, max_value=500, places=2),
    extra=st.decimals(min_value=0, max_value=500, places=2),
)
def test_more_premises_never_turns_a_pass_into_a_fail(app, on, smaller, extra):
    before = evaluate(replace(app, premises_m2=smaller), on)
    after = evaluate(replace(app, premises_m2=smaller + extra), on)
    if before.by_code["premises.area"].status is Status.PASS:
        assert after.by_code["premises.area"].status is Status.PASS
    if before.passed:
        assert after.passed


@SETTINGS
@given(app=applications, on=dates, rooms=st.integers(0, 10), extra=st.integers(0, 10))
def test_more_rooms_never_turns_a_pass_into_a_fail(app, on, rooms, extra):
    before = evaluate(replace(app, exam_rooms=rooms), on)
    after = evaluate(replace(app, exam_rooms=rooms + extra), on)
    assert not (before.passed and not after.passed)


@SETTINGS
@given(start=dates, end=dates, on=dates)
def test_certificate_status_matches_its_definition(start, end, on):
    status, reason = certificate_status(Certificate("N", "I", start, end), on, "Cert")
    valid = start <= end and start <= on <= end
    if not valid:
        assert status is Status.FAIL
    elif (end - on).days <= EXPIRY_WARNING_DAYS:
        assert status is Status.EXPIRING
    else:
        assert status is Status.PASS
    assert reason.startswith("Cert: ")


@SETTINGS
@given(start=dates, length=st.integers(0, 4000), on=dates, later=st.integers(1, 4000))
def test_a_later_day_never_improves_a_certificate(start, length, on, later):
    cert = Certificate("N", "I", start, start + timedelta(days=length))
    rank = {Status.FAIL: 0, Status.EXPIRING: 1, Status.PASS: 2}
    now, then = (certificate_status(cert, day, "C")[0] for day in (on, on + timedelta(later)))
    if on >= start:
        assert rank[then] <= rank[now]


@SETTINGS
@given(
    person_=staff,
    on=dates,
    year=st.integers(2014, 2036),
    hours=st.floats(0, 100),
    pre_job=st.floats(0, 100),
    experience=st.floats(0, 10),
)
def test_more_training_or_experience_never_adds_a_problem(
    person_, on, year, hours, pre_job, experience
):
    before = evaluate_staff(person_, on)
    by_year = dict(person_.continuing_hours_by_year)
    by_year[year] = by_year.get(year, 0) + hours
    more = replace(
        person_,
        continuing_hours_by_year=by_year,
        pre_job_hours=(person_.pre_job_hours or 0) + pre_job,
        experience_years=(person_.experience_years or 0) + experience,
    )
    after = evaluate_staff(more, on)
    assert not (before.compliant and not after.compliant)
    assert len(after.problems) <= len(before.problems)


@SETTINGS
@given(on=dates, fail_day=st.integers(0, 300), pass_after=st.integers(1, 300))
def test_a_pass_after_a_fail_restores_practice(on, fail_day, pass_after):
    failed_on = on - timedelta(days=fail_day + pass_after)
    passed_on = failed_on + timedelta(days=pass_after)
    suspended = evaluate_staff(person(exam_results=[(failed_on, False)]), failed_on)
    assert suspended.practice_suspended
    restored = evaluate_staff(person(exam_results=[(failed_on, False), (passed_on, True)]), on)
    assert not restored.practice_suspended


@SETTINGS
@given(
    phrase=st.sampled_from(DEFAULT_FORBIDDEN_PHRASES),
    before=st.text(alphabet="检测服务机构优质，。 ", max_size=10),
    after=st.text(alphabet="检测服务机构优质，。 ", max_size=10),
    gaps=st.lists(st.sampled_from(["", " ", "\u3000", "\u200b", "\n"]), min_size=20, max_size=20),
    upper=st.booleans(),
)
def test_forbidden_phrases_survive_spacing_and_case(phrase, before, after, gaps, upper):
    spaced = "".join(char + gap for char, gap in zip(phrase, gaps, strict=False))
    if upper:
        spaced = spaced.upper()
    assert phrase in find_forbidden(f"{before}{spaced}{after}")


@SETTINGS
@given(text=st.text(max_size=60), extra=st.lists(st.text(max_size=6), max_size=3))
def test_find_forbidden_never_raises_and_names_listed_phrases(text, extra):
    found = find_forbidden(text, extra)
    assert set(found) <= set(DEFAULT_FORBIDDEN_PHRASES) | set(extra)
    assert len(found) == len(set(found))


@SETTINGS
@given(
    area=st.decimals(min_value=0, max_value=Decimal("199.99"), places=2),
    extra=st.decimals(min_value=0, max_value=10_000, places=2),
)
def test_the_area_threshold_is_200(area, extra):
    assert evaluate(application(premises_m2=area), ON).by_code["premises.area"].status is (
        Status.FAIL
    )
    assert evaluate(application(premises_m2=Decimal(200) + extra), ON).passed
