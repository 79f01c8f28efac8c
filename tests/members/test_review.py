"""The secretariat's decisions: approval blocked by failing rules, membership numbers,
rejection and return with a reason, notifications, renewals replacing credentials."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from portal import audit
from portal.audit import AuditEntry
from portal.errors import Conflict, InvalidTransition, NotFound, NotPermitted, ValidationFailed
from portal.mail import OutboxMessage
from portal.members.models import MembershipCounter
from portal.members.services import access, applications, review
from portal.members.services.expiry import flag_lapsed
from portal.notifications import Notification
from tests.factories import make_user
from tests.files.samples import PDF
from tests.members.factories import complete_application, submitted_application

NUMBER = re.compile(r"^OHA-\d{4}-\d{5}$")


def test_approval_issues_a_membership_number_and_credential_rows(db, agency, secretary, today):
    application = submitted_application(agency, today)
    review.approve(secretary, application)
    member = access.member_of(agency)
    assert member.member_no == "OHA-2026-00001" and NUMBER.match(member.member_no)
    assert application.status == "approved" and application.member_no_issued == member.member_no
    assert application.decided_by_id == secretary.id
    assert member.name == application.draft["name"] and member.province == "11"
    assert member.credit_code == application.draft["credit_code"]
    kinds = sorted(row.kind for row in member.credentials)
    assert kinds == ["calibration"] * len(application.draft["instruments"]) + [
        "iso9001",
        "qualification",
    ]
    assert {scope.category for scope in member.scopes} == {"dust", "physical"}
    assert {doc.document for doc in member.quality_documents} == {
        "quality_manual",
        "procedure_documents",
        "work_instructions",
    }
    assert all(row.stored_file_id for row in member.credentials)
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(3))
    assert {"member_application.approved", "member.admitted"} <= {e.action for e in entries}
    assert audit.verify().ok


def test_numbers_follow_a_counter_per_year(db, secretary, clock_at, upload_dir):
    clock_at(datetime(2026, 12, 31, 15, 30, tzinfo=UTC))  # 23:30 on 31 December in Shanghai
    numbers = []
    for n in range(3):
        user = make_user("member", username=f"num{n}")
        application = submitted_application(user, date(2026, 12, 31))
        numbers.append(review.approve(secretary, application).member_no_issued)
    clock_at(datetime(2026, 12, 31, 16, 30, tzinfo=UTC))  # 00:30 on 1 January in Shanghai
    user = make_user("member", username="num9")
    numbers.append(
        review.approve(secretary, submitted_application(user, date(2027, 1, 1))).member_no_issued
    )
    assert numbers == ["OHA-2026-00001", "OHA-2026-00002", "OHA-2026-00003", "OHA-2027-00001"]
    assert db.session.get(MembershipCounter, 2026).last == 3


def test_approval_is_refused_while_a_hard_rule_fails_naming_the_rules(db, agency, secretary, today):
    application = submitted_application(agency, today, premises_m2="150", exam_rooms="2")
    with pytest.raises(Conflict) as error:
        review.approve(secretary, application)
    assert set(error.value.fields) == {"premises.area", "premises.exam_rooms"}
    assert "150" in error.value.fields["premises.area"]
    assert application.status == "submitted" and access.member_of(agency).member_no is None
    assert db.session.get(MembershipCounter, 2026) is None


def test_a_certificate_that_expired_since_submission_blocks_approval(
    db, agency, secretary, clock_at, today
):
    application = submitted_application(agency, today, qualification_valid_to="2026-06-20")
    clock_at(datetime(2026, 6, 21, 2, 0, tzinfo=UTC))
    with pytest.raises(Conflict) as error:
        review.approve(secretary, application)
    assert "qualification.certificate" in error.value.fields


def test_only_the_secretariat_decides(db, agency, rival, users, today):
    application = submitted_application(agency, today)
    for actor in (agency, rival, users["admin"], users["committee"]):
        with pytest.raises(NotPermitted):
            review.approve(actor, application)
        with pytest.raises(NotPermitted):
            review.reject(actor, application, "不符合要求的理由")
    assert application.status == "submitted"


def test_drafts_are_not_in_the_secretariats_reach(db, agency, secretary, today):
    application = applications.start(agency)
    with pytest.raises(NotFound):
        review.for_review(secretary, application.id)
    assert application not in db.session.scalars(review.queue(None)).all()


def test_reject_and_return_need_a_reason(db, agency, secretary, today):
    application = submitted_application(agency, today)
    for decide in (review.reject, review.return_for_correction):
        with pytest.raises(ValidationFailed) as error:
            decide(secretary, application, "  ")
        assert "reason" in error.value.fields
    assert application.status == "submitted"


def test_return_lets_the_applicant_correct_and_resubmit(db, agency, secretary, today):
    application = submitted_application(agency, today)
    review.return_for_correction(secretary, application, "请补充计量检定证书的扫描件。")
    assert application.status == "returned"
    assert application.decision_reason == "请补充计量检定证书的扫描件。"
    applications.save_step(agency, application, "premises", {"premises_m2": "330"})
    applications.submit(agency, application)
    assert application.status == "submitted"
    review.approve(secretary, application)
    assert application.status == "approved"


def test_rejected_is_final_and_a_new_application_starts_from_it(db, agency, secretary, today):
    application = submitted_application(agency, today)
    review.reject(secretary, application, "场所面积不符合要求。")
    with pytest.raises(InvalidTransition):
        review.approve(secretary, application)
    with pytest.raises(InvalidTransition):
        applications.save_step(agency, application, "premises", {"premises_m2": "999"})
    again = applications.start(agency)
    assert again.kind == "new" and again.draft["credit_code"] == application.draft["credit_code"]
    assert applications.slots_of(again) == applications.slots_of(application)


def test_the_applicant_is_told_in_the_portal_and_by_email(db, agency, secretary, today):
    application = submitted_application(agency, today)
    review.return_for_correction(secretary, application, "请核对资质证书有效期。")
    applications.submit(agency, application)
    review.approve(secretary, application)
    notes = db.session.scalars(
        select(Notification).where(Notification.user_id == agency.id).order_by(Notification.id)
    ).all()
    assert [n.kind for n in notes] == ["member_application.returned", "member_application.approved"]
    assert "请核对资质证书有效期。" in notes[0].body
    assert "OHA-2026-00001" in notes[1].body
    assert notes[1].link == f"/agency/applications/{application.id}"
    mails = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_address == "a@agency.example.cn")
    ).all()
    assert len(mails) == 2 and mails[1].subject == notes[1].title


def renew(user, on: date, **draft):
    renewal = applications.start(user)
    applications.save_draft(user, renewal, draft)
    for slot in ("qualification",):
        applications.attach(user, renewal, slot, PDF + b"renewed")
    applications.submit(user, renewal)
    return renewal


def test_a_renewal_is_prefilled_and_replaces_the_credentials_when_approved(
    db, agency, secretary, today, clock_at
):
    first = submitted_application(agency, today, qualification_valid_to="2026-09-30")
    review.approve(secretary, first)
    member = access.member_of(agency)
    old_ids = {row.id for row in member.credentials}

    renewal = applications.start(agency)
    assert renewal.kind == "renewal"
    assert renewal.draft["qualification_number"] == first.draft["qualification_number"]
    assert applications.slots_of(renewal) == applications.slots_of(first)
    applications.save_draft(
        agency,
        renewal,
        {
            "qualification_valid_to": "2029-09-30",
            "scope": ["dust", "physical", "radiation"],
            "instruments": first.draft["instruments"]
            + [
                {
                    "key": "slit1",
                    "kind": "slit_lamp",
                    "calibration_certificate": "JL-9",
                    "calibration_expires": "2027-03-01",
                }
            ],
        },
    )
    applications.attach(agency, renewal, "calibration:slit1", PDF)
    applications.submit(agency, renewal)
    review.approve(secretary, renewal)

    assert member.member_no == "OHA-2026-00001"  # the number stays
    qualification = next(r for r in member.credentials if r.kind == "qualification")
    assert qualification.valid_to == date(2029, 9, 30)
    assert {row.application_id for row in member.credentials} == {renewal.id}
    assert len(member.credentials) == len(old_ids) + 1
    assert {s.category for s in member.scopes} == {"dust", "physical", "radiation"}


def test_approving_a_valid_renewal_clears_the_lapsed_flag(db, agency, secretary, today, clock_at):
    review.approve(
        secretary, submitted_application(agency, today, qualification_valid_to="2026-07-01")
    )
    member = access.member_of(agency)
    clock_at(datetime(2026, 7, 2, 2, 0, tzinfo=UTC))
    assert flag_lapsed(date(2026, 7, 2)) == 1 and member.qualification_lapsed
    renewal = renew(
        agency,
        date(2026, 7, 2),
        qualification_valid_from="2026-07-01",
        qualification_valid_to="2029-06-30",
    )
    review.approve(secretary, renewal)
    assert not member.qualification_lapsed and member.lapsed_since is None
    actions = [
        e.action
        for e in db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.object_type == "members", AuditEntry.object_id == str(member.id))
            .order_by(AuditEntry.seq)
        )
    ]
    assert actions[-3:] == [
        "member.qualification_lapsed",
        "member.credentials_replaced",
        "member.qualification_restored",
    ]


def test_a_renewal_that_is_still_expired_cannot_be_approved(db, agency, secretary, today, clock_at):
    review.approve(
        secretary, submitted_application(agency, today, qualification_valid_to="2026-07-01")
    )
    clock_at(datetime(2026, 7, 2, 2, 0, tzinfo=UTC))
    renewal = renew(agency, date(2026, 7, 2))  # nothing changed: still the old certificate
    with pytest.raises(Conflict) as error:
        review.approve(secretary, renewal)
    assert "qualification.certificate" in error.value.fields


def test_complete_application_helper_is_not_submitted(db, agency, today):
    assert complete_application(agency, today).status == "draft"
    assert today + timedelta(days=0) == date(2026, 6, 15)
