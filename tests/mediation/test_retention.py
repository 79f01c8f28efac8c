"""A mediation's case file is erased with its complaint's personal data at the end of the
retention period; what proves the outcome (number, dates, the agreement's hash) stays."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from portal import clock, uploads
from portal.complaints import retention
from portal.extensions import db
from portal.mediation.models import MediationCase
from portal.mediation.services import documents
from portal.mediation.services.access import DOCUMENT_FILES
from tests.mediation.factories import agreed, opened, with_session

PDF = b"%PDF-1.4\n% hearing test of the complainant\n%%EOF\n"


def test_the_case_file_goes_with_the_complaints_personal_data(
    app, client, login, board, complaint, people, upload_dir, clock_at
):
    case = opened(people, complaint)
    with_session(people, case)
    documents.add(
        people["staff"],
        case,
        title="复查报告",
        upload=documents.FileUpload(PDF, "张卫国-复查.pdf"),
    )
    documents.add(people["staff"], case, title="情况说明", text="张卫国左耳听力下降。")
    db.session.commit()
    agreed(people, case)
    stored = [f for d in case.documents for f in uploads.files_of(DOCUMENT_FILES, d.id)]
    blob = upload_dir / stored[0].storage_key
    sha256, number = case.agreement_sha256, case.number
    assert complaint.status == "closed" and blob.is_file()

    clock_at(datetime(2031, 6, 16, 2, 0, tzinfo=clock.UTC))
    assert retention.sweep() == 1
    db.session.expire_all()
    case = db.session.scalars(select(MediationCase)).one()
    assert (case.note, case.agreement_text, case.failure_reason, case.notice_text) == (
        "",
        None,
        None,
        None,
    )
    assert all(s.place == "" and s.attendance is None for s in case.sessions)
    assert all(d.text is None and d.file_id is None for d in case.documents)
    assert all(e.note is None for e in case.events)
    assert uploads.files_of(DOCUMENT_FILES, case.documents[0].id) == []
    assert not blob.exists()
    # what proves the outcome stays
    assert (case.number, case.agreement_sha256) == (number, sha256)
    assert [d.title for d in case.documents][:2] == ["复查报告", "情况说明"]

    login(people["staff"])
    page = client.get(f"/staff/mediation/{number}")
    assert page.status_code == 200
    assert "张卫国" not in page.get_data(as_text=True)
