"""Staff records: people, training hours, examinations (a fail suspends practice until a pass),
who is not compliant and why; the pages and the API."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from portal.audit import AuditEntry
from portal.errors import NotFound, NotPermitted, ValidationFailed
from portal.members.services import access, applications, staff
from tests.members.factories import add_person


@pytest.fixture
def member(db, agency, today):
    applications.start(agency)
    return access.member_of(agency)


def test_a_person_is_checked_by_the_staff_rules(db, agency, member, today):
    person = staff.save_person(
        agency,
        member,
        None,
        name=" 李  晓梅 ",
        role="physician",
        experience_years=1.5,
        first_assignment=date(2026, 3, 1),
        certificates=[staff.CertificateIn("practising_physician_licence", "110000123")],
    )
    assert person.name == "李 晓梅"
    [(same, verdict)] = staff.compliance(member)
    assert same is person and not verdict.compliant and not verdict.can_practise
    assert len(verdict.problems) == 4  # two certificates, experience, pre-job hours
    staff.add_training(agency, person, kind="pre_job", hours=60, completed_on=date(2026, 2, 20))
    staff.save_person(
        agency,
        member,
        person,
        name="李晓梅",
        role="physician",
        experience_years=3,
        first_assignment=date(2026, 3, 1),
        certificates=[
            staff.CertificateIn(code, "n")
            for code in (
                "practising_physician_licence",
                "intermediate_title_preventive_or_clinical",
                "chief_examining_physician_certificate",
            )
        ],
    )
    [(_p, verdict)] = staff.compliance(member)
    assert verdict.can_practise, verdict.problems
    assert len(person.certificates) == 3


def test_a_failed_exam_suspends_practice_until_a_pass(db, agency, member, today):
    applications.save_step(
        agency, applications.open_application(member), "agency", {"agency_type": "examination"}
    )
    person = add_person(agency, member, today)
    staff.record_exam(agency, person, taken_on=date(2026, 5, 10), passed=False, note="实操未通过")
    assert person.practice_suspended
    [(_p, verdict)] = staff.compliance(member)
    assert verdict.practice_suspended and not verdict.can_practise
    assert (
        applications.checklist(applications.open_application(member))
        .by_code["staff.physician"]
        .status.value
        == "fail"
    )
    staff.record_exam(agency, person, taken_on=date(2026, 6, 1), passed=True)
    assert not person.practice_suspended
    actions = [
        e.action
        for e in db.session.scalars(
            select(AuditEntry)
            .where(
                AuditEntry.object_type == "staff_members", AuditEntry.object_id == str(person.id)
            )
            .order_by(AuditEntry.seq)
        )
    ]
    assert actions[-4:] == [
        "staff.exam_recorded",
        "staff.practice_suspended",
        "staff.exam_recorded",
        "staff.practice_restored",
    ]
    payloads = " ".join(e.payload for e in db.session.scalars(select(AuditEntry)))
    assert "张建国" not in payloads  # names stay out of the audit log


def test_training_and_exams_cannot_be_recorded_ahead_or_out_of_range(db, agency, member, today):
    person = add_person(agency, member, today)
    with pytest.raises(ValidationFailed) as error:
        staff.add_training(
            agency, person, kind="continuing", hours=8, completed_on=date(2026, 6, 16)
        )
    assert set(error.value.fields) == {"completed_on"}
    with pytest.raises(ValidationFailed) as error:
        staff.add_training(agency, person, kind="other", hours=0, completed_on=today)
    assert set(error.value.fields) == {"kind", "hours"}
    with pytest.raises(ValidationFailed) as error:
        staff.record_exam(agency, person, taken_on=date(2026, 7, 1), passed=True)
    assert set(error.value.fields) == {"taken_on"}


def test_only_the_agencys_own_users_change_its_staff(db, agency, rival, secretary, member, today):
    person = add_person(agency, member, today)
    applications.start(rival)
    with pytest.raises(NotFound):
        staff.staff_for(rival, person.id)
    with pytest.raises(NotFound):
        staff.add_training(rival, person, kind="pre_job", hours=4, completed_on=today)
    with pytest.raises(NotPermitted):
        staff.record_exam(secretary, person, taken_on=today, passed=False)
    assert staff.staff_for(secretary, person.id) is person  # the secretariat reads
    with pytest.raises(NotFound):
        staff.staff_for(secretary, person.id, write=True)


# --- pages ---------------------------------------------------------------------------------


def test_the_staff_pages_add_a_person_record_hours_and_an_exam(
    client, login, db, agency, member, today
):
    login(agency)
    response = client.post(
        "/agency/staff/new",
        data={
            "name": "陈志强",
            "role": "hygiene_tester",
            "experience_years": "3",
            "first_assignment": "2025-01-10",
            "active": "y",
            "cert_college_diploma_related_field": "y",
            "cert_college_diploma_related_field_number": "DZ-1",
            "cert_provincial_training_certificate": "y",
            "cert_provincial_training_certificate_valid_to": "2027-01-01",
        },
    )
    assert response.status_code == 303
    person = staff.staff_of(member)[0]
    assert {c.code for c in person.certificates} == {
        "college_diploma_related_field",
        "provincial_training_certificate",
    }
    listing = client.get("/agency/staff").get_data(as_text=True)
    assert "陈志强" in listing and "60" in listing  # the pre-job shortfall is explained

    response = client.post(
        f"/agency/staff/{person.id}/training",
        data={"kind": "pre_job", "hours": "abc", "completed_on": "2025-01-05"},
    )
    assert response.status_code == 422 and 'aria-invalid="true"' in response.get_data(as_text=True)
    response = client.post(
        f"/agency/staff/{person.id}/training",
        data={"kind": "pre_job", "hours": "64", "completed_on": "2025-01-05", "course": "岗前培训"},
    )
    assert response.status_code == 303
    response = client.post(
        f"/agency/staff/{person.id}/exams", data={"taken_on": "2026-05-20", "result": "failed"}
    )
    assert response.status_code == 303 and person.practice_suspended
    page = client.get(f"/agency/staff/{person.id}").get_data(as_text=True)
    assert "2026-05-20" in page and "alert-danger" in page


def test_the_staff_api(client, api_token, db, agency, secretary, member, today):
    headers = api_token(agency)
    created = client.post(
        "/api/v1/members/staff",
        headers=headers,
        json={
            "name": "孙丽华",
            "role": "health_promotion",
            "experience_years": 4,
            "first_assignment": "2024-03-01",
            "certificates": [
                {"code": "health_manager_certificate", "number": "JK-9", "valid_to": "2028-01-01"}
            ],
        },
    )
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["compliance"]["compliant"] is False
    staff_id = body["id"]
    response = client.post(
        f"/api/v1/members/staff/{staff_id}/training",
        headers=headers,
        json={"kind": "pre_job", "hours": 60, "completed_on": "2024-02-01"},
    )
    assert response.status_code == 201
    response = client.post(
        f"/api/v1/members/staff/{staff_id}/exams",
        headers=headers,
        json={"taken_on": "2026-05-01", "passed": False},
    )
    assert response.get_json()["practice_suspended"] is True
    bad = client.post(
        f"/api/v1/members/staff/{staff_id}/training",
        headers=headers,
        json={"kind": "pre_job", "hours": 8, "completed_on": "2030-01-01"},
    )
    assert bad.status_code == 422 and "completed_on" in bad.get_json()["error"]["fields"]
    assert len(client.get("/api/v1/members/staff", headers=headers).get_json()["items"]) == 1
    read = client.get(f"/api/v1/members/staff/{staff_id}", headers=api_token(secretary))
    assert read.status_code == 200
    change = client.put(
        f"/api/v1/members/staff/{staff_id}",
        headers=api_token(secretary),
        json={"name": "x", "role": "physician"},
    )
    assert change.status_code == 403
