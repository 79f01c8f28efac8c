"""The applicant's side: starting, drafts that keep what was typed, documents, submitting."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.audit import AuditEntry
from portal.errors import Conflict, InvalidTransition, NotFound, NotPermitted, ValidationFailed
from portal.members import draft as drafts
from portal.members.models import Member, MemberUser
from portal.members.services import access, applications
from portal.members.states import ApplicationStatus
from portal.notifications import Notification
from portal.validators import credit_code_problem
from tests.files.samples import HTML, PDF, PNG
from tests.members.factories import complete_application, values


def actions(db, obj):
    return [
        e.action
        for e in db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.object_type == obj.__tablename__, AuditEntry.object_id == str(obj.id))
            .order_by(AuditEntry.seq)
        )
    ]


def test_the_first_application_creates_the_agency_and_links_the_user(db, agency, today):
    application = applications.start(agency)
    member = access.member_of(agency)
    assert member is not None and application.member_id == member.id
    assert member.member_no is None and member.name == agency.display_name
    assert (
        db.session.scalar(select(MemberUser.user_id).where(MemberUser.member_id == member.id))
        == agency.id
    )
    assert application.kind == "new" and application.status == "draft"
    assert application.draft == {"name": agency.display_name}
    assert actions(db, application) == ["member_application.started"]
    assert actions(db, member) == ["member.created"]


def test_one_application_at_a_time(db, agency, today):
    first = applications.start(agency)
    with pytest.raises(Conflict) as error:
        applications.start(agency)
    assert error.value.fields == {"application_id": str(first.id)}


def test_only_member_users_apply_and_a_new_agency_applies_for_membership(db, agency, users, today):
    with pytest.raises(NotPermitted):
        applications.start(users["worker"])
    with pytest.raises(ValidationFailed) as error:
        applications.start(agency, "renewal")
    assert "kind" in error.value.fields


def test_a_step_saved_with_mistakes_keeps_every_value_as_typed(db, agency, today):
    application = applications.start(agency)
    typed = {"credit_code": " 91110105ma01b2c3d0 "}
    errors = applications.save_step(agency, application, "licence", typed)
    assert application.draft["credit_code"] == "91110105MA01B2C3D0"  # trimmed, upper-cased
    assert set(errors) == {"credit_code", "file-licence"}
    assert errors["credit_code"] == credit_code_problem("91110105MA01B2C3D0")

    errors = applications.save_step(
        agency,
        application,
        "qualification",
        {
            "qualification_number": "京卫职检字〔2025〕第018号",
            "qualification_issuer": "",
            "qualification_valid_from": "2026-02-30",
            "qualification_valid_to": "下个月",
            "scope": ["dust", "noise?"],
        },
    )
    assert application.draft["qualification_valid_from"] == "2026-02-30"
    assert application.draft["qualification_valid_to"] == "下个月"
    assert application.draft["scope"] == ["dust", "noise?"]
    assert set(errors) >= {
        "qualification_issuer",
        "qualification_valid_from",
        "qualification_valid_to",
        "scope",
    }
    assert drafts.saved_steps(application.draft) == ["licence", "qualification"]
    assert applications.progress(application)["qualification"] == "attention"
    assert applications.progress(application)["premises"] == "todo"


def test_the_live_checklist_reads_the_saved_draft(db, agency, today):
    application = applications.start(agency)
    applications.save_step(
        agency, application, "premises", {"premises_m2": "180", "exam_rooms": "x"}
    )
    result = applications.checklist(application)
    assert result.by_code["premises.area"].status.value == "fail"
    assert "180" in result.by_code["premises.area"].reason
    applications.save_step(agency, application, "premises", {"premises_m2": "210.5"})
    assert applications.checklist(application).by_code["premises.area"].status.value == "pass"


def test_documents_are_checked_by_content_and_replaced_per_slot(db, agency, today, upload_dir):
    application = applications.start(agency)
    with pytest.raises(ValidationFailed) as error:
        applications.attach(agency, application, "licence", HTML, original_name="licence.pdf")
    assert set(error.value.fields) == {"file-licence"}
    first = applications.attach(agency, application, "licence", PDF, original_name="执照.pdf")
    assert first.stored_file.sha256 and first.stored_file.owner_type == "member_application"
    assert str(upload_dir) not in first.stored_file.storage_key
    second = applications.attach(agency, application, "licence", PNG, original_name="执照.png")
    assert second is first and first.stored_file.media_type == "image/png"
    assert applications.slots_of(application) == {"licence"}
    with pytest.raises(ValidationFailed):
        applications.attach(agency, application, "calibration:nokey", PDF)
    with pytest.raises(ValidationFailed):
        applications.attach(agency, application, "../../etc", PDF)


def test_uploads_over_the_limit_are_refused(app, db, agency, today, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", 1024)
    application = applications.start(agency)
    with pytest.raises(ValidationFailed) as error:
        applications.attach(agency, application, "licence", PDF + b"0" * 2000)
    assert "1 KB" in error.value.fields["file-licence"]


def test_submit_needs_every_step_complete_and_names_what_is_missing(db, agency, today):
    application = applications.start(agency)
    applications.save_step(agency, application, "premises", {"premises_m2": "300"})
    with pytest.raises(ValidationFailed) as error:
        applications.submit(agency, application)
    assert "agency_type" in error.value.fields and "file-licence" in error.value.fields
    assert application.status == "draft"


def test_submit_locks_the_draft_and_tells_the_secretariat(db, agency, secretary, today):
    application = complete_application(agency, today)
    applications.submit(agency, application)
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.submitted_at is not None
    with pytest.raises(InvalidTransition):
        applications.save_step(agency, application, "premises", {"premises_m2": "999"})
    with pytest.raises(InvalidTransition):
        applications.submit(agency, application)
    note = db.session.scalar(select(Notification).where(Notification.user_id == secretary.id))
    assert note.kind == "member_application.submitted"
    assert note.link == f"/secretariat/applications/{application.id}"
    assert actions(db, application)[-1] == "member_application.submitted"


def test_a_submitted_application_may_still_fail_rules(db, agency, today):
    application = complete_application(agency, today, premises_m2="150")
    applications.submit(agency, application)
    assert not applications.checklist(application).passed


def test_another_agencys_application_is_not_found(db, agency, rival, today):
    application = applications.start(agency)
    with pytest.raises(NotFound):
        access.own_application(rival, application.id)
    with pytest.raises(NotFound):
        applications.save_step(rival, application, "agency", {"name": "x"})
    with pytest.raises(NotFound):
        applications.attach(rival, application, "licence", PDF)
    assert application.draft == {"name": agency.display_name}


def test_a_credit_code_held_by_another_member_is_refused_at_submission(db, agency, rival, today):
    first = complete_application(agency, today)
    access.member_of(agency).credit_code = first.draft["credit_code"]  # as if approved
    second = complete_application(rival, today, credit_code=first.draft["credit_code"])
    with pytest.raises(ValidationFailed) as error:
        applications.submit(rival, second)
    assert "credit_code" in error.value.fields


def test_values_helper_passes_every_rule(db, agency, today):
    application = complete_application(agency, today)
    result = applications.checklist(application)
    assert result.passed, [f.reason for f in result.hard_failures]
    assert not result.expiring
    assert applications.progress(application) == {
        step: "complete" if step not in ("staff", "summary") else "todo"
        for step in drafts.STEP_KEYS
    }
    assert db.session.get(Member, application.member_id).credit_code is None
    assert values(today + timedelta(days=1))["credit_code"] != application.draft["credit_code"]
