"""The qualification checklist: every rule at its boundary, applicability, missing data.

Outside any Flask context flask_babel translates nothing, so reasons are the English msgids
(tests/members/test_i18n.py checks them inside the app).
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from portal.members.constants import (
    MIN_EXAM_ROOMS,
    MIN_PREMISES_M2,
    AgencyType,
    HazardCategory,
    InstrumentKind,
    QualityDocument,
    StaffRole,
    required_instruments,
)
from portal.members.rules import (
    Certificate,
    Expiry,
    Instrument,
    QualificationInput,
    Status,
    evaluate,
    reminder_stage,
    requirement_codes,
    upcoming_expiries,
)
from portal.members.staff_rules import StaffInput
from tests.members.builders import (
    CREDIT_CODE,
    ON,
    ROLE_FOR,
    application,
    certificate,
    days,
    instrument,
    person,
)

HARD_CODES_ALWAYS_CHECKED = (
    "agency.type",
    "licence.present",
    "licence.credit_code",
    "qualification.certificate",
    "qualification.scope",
    "premises.area",
    "quality.quality_manual",
    "quality.procedure_documents",
    "quality.work_instructions",
    "quality.certification",
)


def result(app: QualificationInput, code: str, on: date = ON):
    return evaluate(app, on).by_code[code]


# --- the whole checklist -----------------------------------------------------------------------


@pytest.mark.parametrize("agency_type", list(AgencyType))
def test_complete_application_passes(agency_type):
    checklist = evaluate(application(agency_type), ON)
    assert checklist.passed
    assert checklist.failures == []
    assert checklist.expiring == []
    assert checklist.on == ON
    assert all(r.reason for r in checklist.results)
    assert [r.code for r in checklist.results] == (
        requirement_codes(agency_type, frozenset(HazardCategory)) + ["staff.person.s1"]
    )


def test_checklist_views_and_json():
    app = application(premises_m2=150, qualification=certificate(ON + days(10)))
    checklist = evaluate(app, ON)
    assert not checklist.passed
    assert [r.code for r in checklist.failures] == ["premises.area"]
    assert [r.code for r in checklist.hard_failures] == ["premises.area"]
    assert [r.code for r in checklist.expiring] == ["qualification.certificate"]
    assert checklist.by_code["premises.area"].failed
    data = json.loads(json.dumps(checklist.as_dict()))
    assert data["on"] == "2026-06-15" and data["passed"] is False
    assert data["results"][0] == {
        "code": "agency.type",
        "status": "pass",
        "hard": True,
        "reason": "Occupational health examination institution",
        "subject": "examination",
    }


def test_expiring_is_not_a_failure():
    checklist = evaluate(application(qualification=certificate(ON)), ON)
    assert checklist.passed
    assert checklist.by_code["qualification.certificate"].status is Status.EXPIRING


# --- premises ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("area", "status"),
    [
        (199, Status.FAIL),
        (200, Status.PASS),
        (Decimal("199.99"), Status.FAIL),
        (Decimal("200.00"), Status.PASS),
        (199.9, Status.FAIL),
        (200.0, Status.PASS),
        (0, Status.FAIL),
        (10_000, Status.PASS),
    ],
)
def test_premises_boundary(area, status):
    assert MIN_PREMISES_M2 == 200
    assert result(application(premises_m2=area), "premises.area").status is status


def test_premises_reason_names_area_and_minimum():
    assert result(application(premises_m2=180), "premises.area").reason == (
        "Premises 180 m², at least 200 m² required."
    )
    assert result(application(premises_m2=Decimal("199.50")), "premises.area").reason == (
        "Premises 199.5 m², at least 200 m² required."
    )


@pytest.mark.parametrize(
    ("area", "words"),
    [
        (None, "The premises area is not given."),
        (-5, "The premises area (-5) is not a valid number."),
        (float("nan"), "The premises area (nan) is not a valid number."),
        ("lots", "The premises area (lots) is not a valid number."),
    ],
)
def test_premises_missing_or_invalid(area, words):
    rule = result(application(premises_m2=area), "premises.area")
    assert rule.status is Status.FAIL and rule.hard
    assert rule.reason == words


# --- examination rooms -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rooms", "status"), [(3, Status.FAIL), (4, Status.PASS), (0, Status.FAIL)]
)
def test_exam_rooms_boundary(rooms, status):
    assert MIN_EXAM_ROOMS == 4
    rule = result(application(exam_rooms=rooms), "premises.exam_rooms")
    assert rule.status is status
    assert rule.reason == f"{rooms} independent examination rooms, at least 4 required."


def test_exam_rooms_missing_for_an_examination_institution():
    rule = result(application(exam_rooms=None), "premises.exam_rooms")
    assert rule.status is Status.FAIL
    assert "not given" in rule.reason


@pytest.mark.parametrize("rooms", [-1, True, 2.5, "4"])
def test_exam_rooms_invalid(rooms):
    assert result(application(exam_rooms=rooms), "premises.exam_rooms").status is Status.FAIL


@pytest.mark.parametrize("agency_type", [AgencyType.HYGIENE_SERVICE, AgencyType.RISK_ASSESSMENT])
@pytest.mark.parametrize("rooms", [None, 0, 3])
def test_exam_rooms_apply_to_examination_institutions_only(agency_type, rooms):
    checklist = evaluate(application(agency_type, exam_rooms=rooms), ON)
    assert checklist.by_code["premises.exam_rooms"].status is Status.NOT_APPLICABLE
    assert checklist.passed


# --- certificates: the qualification certificate -----------------------------------------------


@pytest.mark.parametrize(
    ("valid_to", "status"),
    [
        (ON - days(1), Status.FAIL),  # expired yesterday
        (ON, Status.EXPIRING),  # expires today: still valid today
        (ON + days(1), Status.EXPIRING),
        (ON + days(60), Status.EXPIRING),
        (ON + days(61), Status.PASS),
    ],
)
def test_qualification_certificate_expiry_boundaries(valid_to, status):
    app = application(qualification=certificate(valid_to))
    assert result(app, "qualification.certificate").status is status
    assert evaluate(app, ON).passed is (status is not Status.FAIL)


def test_certificate_reasons():
    assert (
        result(application(qualification=certificate(ON)), "qualification.certificate").reason
        == "Qualification certificate: valid until 2026-06-15, expires today."
    )
    assert result(
        application(qualification=certificate(ON + days(60))), "qualification.certificate"
    ).reason == ("Qualification certificate: valid until 2026-08-14, expires in 60 days.")
    assert result(
        application(qualification=certificate(ON - days(1))), "qualification.certificate"
    ).reason == ("Qualification certificate: expired on 2026-06-14.")
    assert result(application(), "qualification.certificate").subject == "ZJ-2025-0001"


def test_certificate_not_yet_valid():
    starts_today = certificate(valid_from=ON)
    starts_tomorrow = certificate(valid_from=ON + days(1))
    assert (
        result(application(qualification=starts_today), "qualification.certificate").status
        is Status.PASS
    )
    rule = result(application(qualification=starts_tomorrow), "qualification.certificate")
    assert rule.status is Status.FAIL
    assert rule.reason == "Qualification certificate: not valid until 2026-06-16."


@pytest.mark.parametrize(
    ("cert", "words"),
    [
        (None, "Qualification certificate: not given."),
        (Certificate("", "卫健委", date(2024, 1, 1), date(2030, 1, 1)), "number is missing"),
        (Certificate("N1", "  ", date(2024, 1, 1), date(2030, 1, 1)), "issuing authority"),
        (Certificate("N1", "卫健委", None, date(2030, 1, 1)), "validity dates are missing"),
        (Certificate("N1", "卫健委", date(2030, 1, 1), date(2024, 1, 1)), "is before valid from"),
    ],
)
def test_certificate_missing_or_malformed(cert, words):
    rule = result(application(qualification=cert), "qualification.certificate")
    assert rule.status is Status.FAIL
    assert words in rule.reason


# --- licence and scope -------------------------------------------------------------------------


def test_business_licence_must_be_present():
    rule = result(application(business_licence_present=False), "licence.present")
    assert rule.status is Status.FAIL
    assert rule.reason == "The business licence is not provided."


def test_credit_code_checked_with_its_check_character():
    wrong = CREDIT_CODE[:-1] + ("0" if CREDIT_CODE[-1] != "0" else "1")
    rule = result(application(credit_code=wrong), "licence.credit_code")
    assert rule.status is Status.FAIL
    assert rule.reason.startswith("The check character should be")
    lower = result(application(credit_code=f"  {CREDIT_CODE.lower()} "), "licence.credit_code")
    assert lower.status is Status.PASS and lower.subject == CREDIT_CODE


@pytest.mark.parametrize("code", [None, "", "   "])
def test_credit_code_missing(code):
    rule = result(application(credit_code=code), "licence.credit_code")
    assert rule.status is Status.FAIL
    assert rule.reason == "The unified social credit code is not given."


def test_scope_must_name_a_hazard_category():
    rule = result(application(scope=frozenset()), "qualification.scope")
    assert rule.status is Status.FAIL
    assert rule.reason == "The approved scope names no hazard category."
    assert result(application(approved_scope=None), "qualification.scope").status is Status.FAIL


def test_scope_lists_the_categories_and_refuses_unknown_ones():
    ok = result(
        application(scope=frozenset({HazardCategory.PHYSICAL, HazardCategory.DUST})),
        "qualification.scope",
    )
    assert ok.reason == "Approved scope: Dust, Noise and other physical factors."
    rule = result(application(approved_scope=frozenset({"dust", "noise"})), "qualification.scope")
    assert rule.status is Status.FAIL
    assert "noise" in rule.reason


# --- equipment ---------------------------------------------------------------------------------


def test_required_instruments_table():
    exam = AgencyType.EXAMINATION
    base = {
        InstrumentKind.ECG_MACHINE,
        InstrumentKind.HEMATOLOGY_ANALYZER,
        InstrumentKind.BIOCHEMISTRY_ANALYZER,
    }
    assert set(required_instruments(exam, {HazardCategory.DUST})) == base | {
        InstrumentKind.SPIROMETER,
        InstrumentKind.X_RAY_MACHINE,
    }
    assert set(required_instruments(exam, {HazardCategory.PHYSICAL})) == base | {
        InstrumentKind.AUDIOMETER
    }
    assert required_instruments(exam, {HazardCategory.DUST})[InstrumentKind.ECG_MACHINE] == (
        frozenset()
    )
    hygiene = AgencyType.HYGIENE_SERVICE
    assert set(required_instruments(hygiene, {HazardCategory.DUST})) == {
        InstrumentKind.DUST_SAMPLER
    }
    assert set(required_instruments(hygiene, {HazardCategory.PHYSICAL})) == {
        InstrumentKind.SOUND_LEVEL_METER
    }
    assert set(required_instruments(hygiene, {HazardCategory.CHEMICAL})) == {
        InstrumentKind.GAS_DETECTOR,
        InstrumentKind.AIR_SAMPLER,
    }
    assert set(required_instruments(hygiene, {HazardCategory.RADIATION})) == {
        InstrumentKind.RADIATION_METER
    }
    assert required_instruments(AgencyType.RISK_ASSESSMENT, set(HazardCategory)) == {}


def test_missing_instrument_fails_naming_it():
    app = application(scope=frozenset({HazardCategory.DUST}))
    app = replace(
        app, instruments=[i for i in app.instruments if i.kind is not InstrumentKind.SPIROMETER]
    )
    checklist = evaluate(app, ON)
    rule = checklist.by_code["equipment.spirometer"]
    assert rule.status is Status.FAIL and rule.hard and rule.subject == "spirometer"
    assert rule.reason == "Spirometer: none listed, required for Dust."
    assert not checklist.passed
    assert [r.code for r in checklist.failures] == ["equipment.spirometer"]


def test_missing_base_instrument_reason():
    app = application(scope=frozenset({HazardCategory.CHEMICAL}), instruments=[])
    rule = result(app, "equipment.ecg_machine")
    assert (
        rule.reason
        == "Electrocardiograph: none listed, required for every institution of this type."
    )


def test_uncalibrated_instrument_fails():
    app = application(
        AgencyType.HYGIENE_SERVICE,
        frozenset({HazardCategory.PHYSICAL}),
        instruments=[instrument(InstrumentKind.SOUND_LEVEL_METER, None, None)],
    )
    rule = result(app, "equipment.sound_level_meter")
    assert rule.status is Status.FAIL
    assert rule.reason == "Sound level meter: no metrology calibration certificate."


def test_calibration_without_expiry_fails():
    app = application(
        AgencyType.HYGIENE_SERVICE,
        frozenset({HazardCategory.DUST}),
        instruments=[instrument(InstrumentKind.DUST_SAMPLER, None)],
    )
    rule = result(app, "equipment.dust_sampler")
    assert rule.status is Status.FAIL
    assert rule.reason == "Dust sampler: the calibration expiry date is not given."


@pytest.mark.parametrize(
    ("expires", "status"),
    [
        (ON - days(1), Status.FAIL),
        (ON, Status.EXPIRING),
        (ON + days(60), Status.EXPIRING),
        (ON + days(61), Status.PASS),
    ],
)
def test_calibration_expiry_boundaries(expires, status):
    app = application(
        AgencyType.HYGIENE_SERVICE,
        frozenset({HazardCategory.DUST}),
        instruments=[instrument(InstrumentKind.DUST_SAMPLER, expires)],
    )
    assert result(app, "equipment.dust_sampler").status is status


def test_expired_calibration_reason():
    app = application(
        AgencyType.HYGIENE_SERVICE,
        frozenset({HazardCategory.DUST}),
        instruments=[instrument(InstrumentKind.DUST_SAMPLER, ON - days(1))],
    )
    assert result(app, "equipment.dust_sampler").reason == (
        "Dust sampler: calibration expired on 2026-06-14."
    )


def test_best_instrument_of_a_kind_counts():
    app = application(
        AgencyType.HYGIENE_SERVICE,
        frozenset({HazardCategory.DUST}),
        instruments=[
            instrument(InstrumentKind.DUST_SAMPLER, None, None),
            instrument(InstrumentKind.DUST_SAMPLER, ON - days(3)),
            instrument(InstrumentKind.DUST_SAMPLER, ON + days(20)),
            instrument(InstrumentKind.DUST_SAMPLER, ON + days(200)),
        ],
    )
    assert result(app, "equipment.dust_sampler").status is Status.PASS


def test_unrequired_instruments_are_not_checked():
    app = application(AgencyType.HYGIENE_SERVICE, frozenset({HazardCategory.DUST}))
    app = replace(
        app,
        instruments=[
            *app.instruments,
            instrument(InstrumentKind.VIBRATION_METER, ON - days(100), None),
        ],
    )
    checklist = evaluate(app, ON)
    assert checklist.passed
    assert "equipment.vibration_meter" not in checklist.by_code


def test_instruments_follow_type_and_scope():
    dust = frozenset({HazardCategory.DUST})
    exam = evaluate(application(AgencyType.EXAMINATION, dust, instruments=[]), ON)
    hygiene = evaluate(application(AgencyType.HYGIENE_SERVICE, dust, instruments=[]), ON)
    risk = evaluate(application(AgencyType.RISK_ASSESSMENT, dust, instruments=[]), ON)
    assert "equipment.x_ray_machine" in exam.by_code
    assert "equipment.dust_sampler" not in exam.by_code
    assert {c for c in hygiene.by_code if c.startswith("equipment")} == {"equipment.dust_sampler"}
    assert risk.by_code["equipment"].status is Status.NOT_APPLICABLE
    assert risk.passed


def test_malformed_instruments_do_not_raise():
    app = application(
        AgencyType.HYGIENE_SERVICE,
        frozenset({HazardCategory.DUST}),
        instruments=[
            Instrument(kind="not-a-kind"),
            Instrument(kind=None),
            Instrument(kind="dust_sampler", calibration_certificate="  ", calibration_expires=None),
        ],
    )
    assert result(app, "equipment.dust_sampler").status is Status.FAIL


# --- quality system ----------------------------------------------------------------------------


@pytest.mark.parametrize("missing", list(QualityDocument))
def test_each_quality_document_is_required(missing):
    app = application(quality_documents=frozenset(QualityDocument) - {missing})
    checklist = evaluate(app, ON)
    assert [r.code for r in checklist.failures] == [f"quality.{missing.value}"]
    assert checklist.failures[0].reason == f"{missing.label}: not provided."


def test_quality_documents_missing_entirely():
    checklist = evaluate(application(quality_documents=None), ON)
    assert {r.code for r in checklist.failures} == {
        "quality.quality_manual",
        "quality.procedure_documents",
        "quality.work_instructions",
    }


def test_iso_or_industry_certification():
    valid, expired = certificate(number="IND-1"), certificate(ON - days(1), number="ISO-1")
    cases = [
        (dict(iso9001=None, industry_certification=valid), Status.PASS, "IND-1"),
        (dict(iso9001=expired, industry_certification=valid), Status.PASS, "IND-1"),
        (dict(iso9001=expired, industry_certification=None), Status.FAIL, "ISO-1"),
        (
            dict(iso9001=certificate(ON, number="ISO-2"), industry_certification=valid),
            Status.PASS,
            "IND-1",
        ),
        (
            dict(iso9001=certificate(ON, number="ISO-2"), industry_certification=None),
            Status.EXPIRING,
            "ISO-2",
        ),
    ]
    for changes, status, subject in cases:
        rule = result(application(**changes), "quality.certification")
        assert (rule.status, rule.subject) == (status, subject), changes


def test_no_quality_certification():
    rule = result(application(iso9001=None, industry_certification=None), "quality.certification")
    assert rule.status is Status.FAIL
    assert rule.reason == "Neither an ISO 9001 certificate nor an industry certification is given."


def test_both_quality_certifications_failing_names_both():
    rule = result(
        application(
            iso9001=certificate(ON - days(1), number="A"),
            industry_certification=certificate(valid_from=ON + days(2)),
        ),
        "quality.certification",
    )
    assert rule.status is Status.FAIL
    assert rule.reason == (
        "ISO 9001 certificate: expired on 2026-06-14. "
        "Industry certification: not valid until 2026-06-17."
    )


# --- staff -------------------------------------------------------------------------------------


@pytest.mark.parametrize("agency_type", list(AgencyType))
def test_each_type_needs_its_role(agency_type):
    needed = ROLE_FOR[agency_type]
    checklist = evaluate(application(agency_type, staff=[]), ON)
    for role in StaffRole:
        rule = checklist.by_code[f"staff.{role.value}"]
        assert rule.hard
        assert rule.status is (Status.FAIL if role is needed else Status.NOT_APPLICABLE)
    assert checklist.by_code[f"staff.{needed.value}"].reason == (
        f"{needed.label}: none listed, at least one required."
    )
    assert not checklist.passed


def test_wrong_role_does_not_count():
    app = application(AgencyType.HYGIENE_SERVICE, staff=[person(StaffRole.PHYSICIAN)])
    assert result(app, "staff.hygiene_tester").status is Status.FAIL


def test_non_compliant_professional_is_a_soft_failure():
    bad = person(experience_years=1.5, ref="s2", name="李医生")
    checklist = evaluate(application(staff=[person(), bad]), ON)
    assert checklist.passed  # one compliant physician is enough for the agency
    rule = checklist.by_code["staff.person.s2"]
    assert (rule.status, rule.hard, rule.subject) == (Status.FAIL, False, "李医生")
    assert rule.reason == "1.5 years of relevant experience, at least 2 required."
    assert checklist.by_code["staff.physician"].reason == (
        "Occupational health physician: 1 of 2 listed may practise."
    )
    assert checklist.staff["staff.person.s2"].problems == [rule.reason]


def test_only_non_compliant_professionals_fail_the_role():
    suspended = person(exam_results=[(date(2026, 3, 1), False)])
    checklist = evaluate(application(staff=[suspended]), ON)
    assert not checklist.passed
    assert checklist.by_code["staff.physician"].reason == (
        "Occupational health physician: 1 listed, none compliant and cleared to practise."
    )


def test_professional_without_pre_job_training_does_not_count_yet():
    newcomer = person(first_assignment=None, pre_job_hours=20)
    checklist = evaluate(application(staff=[newcomer]), ON)
    assert checklist.by_code["staff.person.s1"].status is Status.EXPIRING  # a warning
    assert checklist.by_code["staff.physician"].status is Status.FAIL


def test_person_codes_are_unique():
    staff = [person(ref=None), person(ref="x"), person(ref="x"), person(ref=None)]
    codes = [c for c in evaluate(application(staff=staff), ON).by_code if c.startswith("staff.p")]
    assert codes == [
        "staff.physician",
        "staff.person.1",
        "staff.person.x",
        "staff.person.x#2",
        "staff.person.4",
    ]


def test_person_warnings_show_as_expiring():
    short_this_year = person(continuing_hours_by_year={y: 40 for y in range(2021, 2026)})
    rule = result(application(staff=[short_this_year]), "staff.person.s1")
    assert rule.status is Status.EXPIRING
    assert "40 more needed" in rule.reason


# --- missing data ------------------------------------------------------------------------------


@pytest.mark.parametrize("agency_type", [*AgencyType, None, "hospital"])
def test_empty_application_fails_with_reasons_and_never_raises(agency_type):
    app = QualificationInput(
        agency_type=agency_type,
        credit_code=None,
        business_licence_present=False,
        qualification=None,
        approved_scope=None,
        premises_m2=None,
        exam_rooms=None,
        instruments=None,
        quality_documents=None,
        iso9001=None,
        industry_certification=None,
        staff=None,
    )
    checklist = evaluate(app, ON)
    assert not checklist.passed
    for code in HARD_CODES_ALWAYS_CHECKED[1:]:
        rule = checklist.by_code[code]
        assert rule.status is Status.FAIL and rule.hard and rule.reason, code
    known = agency_type in set(AgencyType)
    assert checklist.by_code["agency.type"].status is (Status.PASS if known else Status.FAIL)
    if known:
        assert checklist.by_code[f"staff.{ROLE_FOR[agency_type].value}"].status is Status.FAIL
    else:
        assert checklist.by_code["premises.exam_rooms"].reason == (
            "Depends on the agency type, which is not given."
        )
    assert len(checklist.by_code) == len(checklist.results)


def test_staff_with_missing_fields_does_not_raise():
    blank = StaffInput(role=None)
    checklist = evaluate(application(staff=[blank, None]), ON)
    rule = checklist.by_code["staff.person.1"]
    assert rule.status is Status.FAIL
    assert "The role is not given." in rule.reason


# --- reminders ---------------------------------------------------------------------------------


def test_upcoming_expiries_for_the_reminder_sweep():
    app = application(
        AgencyType.HYGIENE_SERVICE,
        frozenset({HazardCategory.DUST}),
        qualification=certificate(ON + days(30), number="Q-1"),
        iso9001=certificate(ON + days(61), number="ISO-1"),
        industry_certification=certificate(ON - days(1), number="IND-1"),
        instruments=[
            instrument(InstrumentKind.DUST_SAMPLER, ON + days(60), "CAL-1"),
            instrument(InstrumentKind.HEAT_STRESS_METER, ON, "CAL-2"),  # listed, not required
            instrument(InstrumentKind.SOUND_LEVEL_METER, None, None),
        ],
    )
    assert upcoming_expiries(app, ON) == [
        Expiry("equipment.heat_stress_meter", "CAL-2", ON),
        Expiry("qualification.certificate", "Q-1", ON + days(30)),
        Expiry("equipment.dust_sampler", "CAL-1", ON + days(60)),
    ]
    assert upcoming_expiries(app, ON, within=0) == [
        Expiry("equipment.heat_stress_meter", "CAL-2", ON)
    ]
    assert upcoming_expiries(QualificationInput(agency_type=None), ON) == []


@pytest.mark.parametrize(
    ("left", "stage"),
    [
        (-1, None),
        (0, 30),
        (29, 30),
        (30, 30),
        (31, 60),
        (60, 60),
        (61, None),
    ],
)
def test_reminder_stage(left, stage):
    assert reminder_stage(ON + days(left), ON) == stage


# --- the day -----------------------------------------------------------------------------------


def test_day_defaults_to_today_in_shanghai(clock_at):
    app = application(qualification=certificate(ON))
    clock_at(datetime(2026, 6, 15, 15, 59, tzinfo=UTC))  # 23:59 in Shanghai: still the 15th
    assert evaluate(app).on == ON
    assert evaluate(app).by_code["qualification.certificate"].status is Status.EXPIRING
    clock_at(datetime(2026, 6, 15, 16, 0, tzinfo=UTC))  # midnight in Shanghai: the 16th
    assert evaluate(app).by_code["qualification.certificate"].status is Status.FAIL
    assert reminder_stage(ON + days(31)) == 30  # 30 days left on the 16th
    assert reminder_stage(ON + days(32)) == 60


def test_a_datetime_counts_as_its_shanghai_day():
    app = application(qualification=certificate(ON))
    late = datetime(2026, 6, 15, 16, 30, tzinfo=UTC)  # 2026-06-16 00:30 in Shanghai
    assert evaluate(app, late).on == ON + days(1)
    assert evaluate(app, datetime(2026, 6, 15, 23, 0)).on == ON  # naive: its own date
    assert upcoming_expiries(app, late) == []
