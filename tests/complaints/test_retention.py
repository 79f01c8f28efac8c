"""The retention sweep: personal data of files closed 5 years ago erased once, on the day,
the de-identified record kept and still counted."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from sqlalchemy import func, select

from portal import audit, clock, scheduler, uploads
from portal.complaints import retention
from portal.complaints.models import Complaint, ComplaintCorrection
from portal.complaints.services import access, stats, workflow
from portal.complaints.services.intake import Upload
from portal.extensions import db
from tests.complaints.conftest import file

PDF = b"%PDF-1.4\n% evidence of a hearing test\n%%EOF\n"
SH = clock.SHANGHAI


def at(y, m, d, h=10) -> datetime:
    return datetime(y, m, d, h, tzinfo=SH)


@pytest.fixture
def closed(people, member, clock_at, upload_dir):
    """A complaint filed in June 2021 with evidence and material, closed on 30 June 2021."""
    clock_at(at(2021, 6, 1))
    staff = people["staff"]
    complaint = file(people["worker"], member, files=[Upload(PDF, "张卫国-听力.pdf")]).complaint
    workflow.accept(staff, complaint, "simple")
    workflow.start_investigation(staff, complaint)
    workflow.respond(people["member"], complaint, "已联系张卫国本人，安排免费复查听力。")
    workflow.request_material(staff, complaint, "请张卫国补充复查报告。")
    workflow.add_material(
        people["worker"],
        complaint,
        "复查报告：左耳中度听力损失。",
        files=[Upload(PDF + b" ", "复查.pdf")],
    )
    workflow.resolve(staff, complaint, "substantiated", "经调查属实，机构已重新出具报告。")
    db.session.add(
        ComplaintCorrection(
            complaint_id=complaint.id, field="phone", proposed="13900000000", reason="换号"
        )
    )
    clock_at(at(2021, 6, 30, 16))
    workflow.close(staff, complaint)
    db.session.commit()
    return complaint


def audited(action: str) -> int:
    return db.session.scalar(
        select(func.count()).select_from(audit.AuditEntry).where(audit.AuditEntry.action == action)
    )


def test_the_sweep_is_registered():
    assert "complaints.retention_sweep" in scheduler.JOBS


def test_not_erased_the_day_before(closed, clock_at):
    clock_at(at(2026, 6, 29, 23))
    assert retention.sweep() == 0
    db.session.expire_all()
    assert closed.erased_at is None and closed.name == "张卫国"


def test_erased_on_the_day_once(app, closed, clock_at, upload_dir):
    files = uploads.files_of(access.EVIDENCE_FILES, closed.id) + uploads.files_of(
        access.MATERIAL_FILES, closed.materials[0].id
    )
    blobs = [upload_dir / f.storage_key for f in files]
    assert len(files) == 2 and all(b.is_file() for b in blobs)
    assert any("张卫国" in (e.note or "") for e in closed.events)
    before = stats.compute()

    clock_at(at(2026, 6, 30, 0).replace(minute=1))  # the first minute of the day
    assert retention.sweep() == 1
    assert retention.sweep() == 0  # idempotent
    db.session.expire_all()
    complaint = db.session.get(Complaint, closed.id)
    assert complaint.erased_at is not None
    assert (
        complaint.name,
        complaint.id_number,
        complaint.phone,
        complaint.email,
        complaint.health,
    ) == (None,) * 5
    assert complaint.id_number_bidx is None and complaint.name_enc is None
    assert complaint.user_id is None and complaint.receipt_hash is None
    assert complaint.description == "" and complaint.materials[0].text == ""
    assert [r.text for r in complaint.responses] == [""]
    assert complaint.events and all(e.note is None for e in complaint.events)
    correction = db.session.scalars(select(ComplaintCorrection)).one()
    assert correction.proposed is None and correction.reason is None
    # the de-identified record stays
    assert complaint.category == "service_quality" and complaint.finding == "substantiated"
    assert complaint.closed_at is not None and complaint.agency_name
    assert stats.compute() == before
    # the files are gone, rows and blobs
    assert uploads.files_of(access.EVIDENCE_FILES, closed.id) == []
    assert not any(b.exists() for b in blobs)
    assert audited("complaint.personal_data_erased") == 1
    entry = db.session.scalars(
        select(audit.AuditEntry).where(audit.AuditEntry.action == "complaint.personal_data_erased")
    ).one()
    payload = json.loads(entry.payload)
    assert payload["files_removed"] == 2 and payload["retention_years"] == 5
    assert payload["responses_cleared"] == 1 and payload["mediation_documents_cleared"] == 0
    assert "张卫国" not in entry.payload


def test_a_blob_shared_with_another_file_is_kept(app, closed, people, member, clock_at, upload_dir):
    other = file(None, member, files=[Upload(PDF, "other.pdf")]).complaint
    kept = uploads.files_of(access.EVIDENCE_FILES, other.id)[0]
    clock_at(at(2026, 7, 1))
    assert retention.sweep() == 1
    assert (upload_dir / kept.storage_key).is_file()
    assert uploads.open_stored(kept) == PDF


def test_the_period_comes_from_the_config(app, closed, clock_at, monkeypatch):
    monkeypatch.setitem(app.config, "COMPLAINT_RETENTION_YEARS", 3)
    clock_at(at(2024, 6, 29))
    assert retention.sweep() == 0
    clock_at(at(2024, 6, 30))
    assert retention.sweep() == 1


def test_open_complaints_are_never_erased(people, member, clock_at):
    clock_at(at(2019, 1, 7))
    complaint = file(None, member).complaint
    clock_at(at(2026, 6, 30))
    assert retention.sweep() == 0
    assert complaint.name == "张卫国"


def test_through_the_scheduler(closed, clock_at):
    clock_at(at(2026, 7, 1))
    assert scheduler.run_job("complaints.retention_sweep") == 1
    assert scheduler.run_job("complaints.retention_sweep") == 0
