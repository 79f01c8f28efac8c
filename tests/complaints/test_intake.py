"""Filing: online, anonymous or with an account, and by the secretariat; encryption at rest;
checks; one complaint per submission; not a member; the acknowledgment."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from portal import audit, crypto
from portal.complaints import receipts
from portal.complaints.models import Complaint
from portal.complaints.services import intake
from portal.complaints.services.intake import Submission, Upload
from portal.errors import Conflict, NotPermitted, ValidationFailed
from portal.extensions import db
from portal.mail import OutboxMessage
from portal.notifications import Notification
from portal.uploads import StoredFile
from tests.complaints.conftest import complaint_input, file
from tests.files.samples import HTML, PDF, PNG


def test_an_anonymous_complaint_gets_a_number_and_a_code(people, member, now):
    filed = file(None, member)
    complaint = filed.complaint
    assert receipts.TRACKING_RE.match(complaint.tracking_number)
    assert complaint.tracking_number == "TS-2026-000001"
    assert receipts.CODE_RE.match(receipts.normalize_code(filed.receipt_code))
    assert complaint.status == "received"
    assert complaint.channel == "online"
    assert complaint.user_id is None and complaint.is_anonymous
    assert complaint.agency_name == member.name
    assert receipts.verify_code(complaint.receipt_hash, filed.receipt_code)
    assert filed.receipt_code not in complaint.receipt_hash
    assert complaint.deadline("decision") is not None


def test_tracking_numbers_count_up_per_year(people, member, now):
    numbers = [file(None, member).complaint.tracking_number for _ in range(3)]
    assert numbers == ["TS-2026-000001", "TS-2026-000002", "TS-2026-000003"]


def test_a_worker_files_under_the_account_without_a_code(people, member, now):
    filed = file(people["worker"], member)
    assert filed.receipt_code is None
    assert filed.complaint.user_id == people["worker"].id
    assert filed.complaint.receipt_hash is None


def test_personal_data_is_encrypted_at_rest(people, member, now):
    complaint = file(None, member).complaint
    db.session.flush()
    row = db.session.execute(
        text(
            "SELECT name_enc, id_number_enc, phone_enc, email_enc, health_enc, id_number_bidx "
            "FROM complaints WHERE id = :id"
        ),
        {"id": complaint.id},
    ).one()
    for envelope in row[:5]:
        assert envelope is not None
        raw = bytes(envelope)
        for plain in ("张卫国", "11010519491231002X", "13812345678", "zhang@example.cn", "噪声"):
            assert plain.encode() not in raw
    assert complaint.name == "张卫国"
    assert complaint.id_number == "11010519491231002X"
    found = db.session.scalar(
        select(Complaint).where(
            Complaint.id_number_bidx
            == crypto.blind_index(Complaint.id_number, "11010519491231002x")
        )
    )
    assert found is complaint


def test_the_id_number_is_checked(people, member, now):
    with pytest.raises(ValidationFailed) as caught:
        file(None, member, id_number="110105194912310021")
    assert "id_number" in caught.value.fields


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"description": "too short"}, "description"),
        ({"subtype": "data_falsification"}, "subtype"),
        ({"category": "nonsense"}, "category"),
        ({"phone": "call me"}, "phone"),
        ({"email": "not-an-address"}, "email"),
    ],
)
def test_bad_input_names_the_field(people, member, now, changes, field):
    with pytest.raises(ValidationFailed) as caught:
        file(None, member, **changes)
    assert field in caught.value.fields
    assert db.session.scalar(select(Complaint.id)) is None


def test_an_agency_must_be_named(people, now):
    with pytest.raises(ValidationFailed) as caught:
        file(None, None, agency_name="  ")
    assert "agency_name" in caught.value.fields


def test_an_unknown_member_number_is_refused(people, now):
    with pytest.raises(ValidationFailed) as caught:
        file(None, None, member_no="OHA-1999-99999")
    assert "member_no" in caught.value.fields


def test_a_complaint_about_a_non_member_is_rejected_with_the_reason(people, now):
    filed = file(None, None, agency_name="某某未入会体检站")
    complaint = filed.complaint
    assert complaint.member_id is None
    assert complaint.agency_name == "某某未入会体检站"
    assert complaint.status == "rejected"
    assert complaint.rejection_code == "not_a_member"
    assert complaint.deadline("decision").met_at is not None
    actions = [e.action for e in db.session.scalars(select(audit.AuditEntry))]
    assert actions.index("complaint.filed") < actions.index("complaint.rejected")
    assert audit.verify().ok


def test_the_same_submission_files_one_complaint_and_shows_the_same_code(people, member, now):
    first = file(None, member, key="k" * 40)
    again = file(None, member, key="k" * 40)
    assert again.duplicate and not first.duplicate
    assert again.complaint.id == first.complaint.id
    assert again.receipt_code == first.receipt_code
    assert db.session.query(Complaint).count() == 1


def test_a_reused_api_key_with_another_body_is_refused(people, member, now):
    intake.file_complaint(
        None, complaint_input(member), submission=Submission("api", "K" * 20, "fingerprint-1")
    )
    with pytest.raises(Conflict) as caught:
        intake.file_complaint(
            None,
            complaint_input(member, description="另一件事" * 10),
            submission=Submission("api", "K" * 20, "fingerprint-2"),
        )
    assert "Idempotency-Key" in caught.value.fields


def test_only_staff_enter_hotline_and_walk_in_complaints(people, member, now):
    with pytest.raises(NotPermitted):
        file(people["worker"], member, channel="hotline")
    filed = file(people["staff"], member, channel="walk_in")
    assert filed.complaint.channel == "walk_in"
    assert filed.complaint.filed_by_id == people["staff"].id
    assert filed.complaint.user_id is None
    assert filed.receipt_code  # the complainant gets a code to follow it


def test_evidence_is_checked_by_content_and_kept(people, member, now, upload_dir):
    filed = file(None, member, files=[Upload(PDF, "报告.pdf"), Upload(PNG, "photo.png")])
    stored = db.session.scalars(
        select(StoredFile).where(
            StoredFile.owner_type == "complaint", StoredFile.owner_id == str(filed.complaint.id)
        )
    ).all()
    assert {f.media_type for f in stored} == {"application/pdf", "image/png"}
    with pytest.raises(ValidationFailed) as caught:
        file(None, member, files=[Upload(HTML, "evil.pdf")])
    assert "evidence" in caught.value.fields


def test_the_acknowledgment_goes_out_at_once(people, member, now):
    worker = people["worker"]
    complaint = file(worker, member, email="other@example.cn").complaint
    notes = db.session.scalars(select(Notification).where(Notification.user_id == worker.id))
    assert [n.kind for n in notes] == ["complaint.received"]
    mails = db.session.scalars(select(OutboxMessage)).all()
    assert {m.to_address for m in mails} == {"worker-a@example.cn", "other@example.cn"}
    assert all(complaint.tracking_number in m.subject for m in mails)


def test_an_anonymous_acknowledgment_never_carries_the_code(people, member, now):
    filed = file(None, member)
    mails = db.session.scalars(select(OutboxMessage)).all()
    assert [m.to_address for m in mails] == ["zhang@example.cn"]
    code = receipts.normalize_code(filed.receipt_code)
    assert all(code not in receipts.normalize_code(m.body_text) for m in mails)
    assert filed.receipt_code not in mails[0].body_text


def test_the_audit_log_holds_no_personal_data(people, member, now):
    file(None, member)
    payloads = " ".join(e.payload for e in db.session.scalars(select(audit.AuditEntry)))
    for personal in ("张卫国", "11010519491231002X", "13812345678", "zhang@example.cn"):
        assert personal not in payloads
    assert audit.verify().ok
