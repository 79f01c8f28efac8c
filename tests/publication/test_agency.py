"""What an agency does about an entry about itself, by page: a statement (escaped, at most
500 characters), a dispute (answered by the secretariat, the agency notified), credit repair
(after the minimum term, with proof and a signed commitment; granted repair is published)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from portal import audit, clock
from portal.extensions import db
from portal.notifications import Notification
from portal.publication.models import CreditRepair, FactDispute
from tests.files.samples import HTML, PDF
from tests.publication.conftest import commit
from tests.publication.factories import make_entry

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def entry(member, now):
    made = make_entry(member, level="general", took_effect_on=date(2026, 2, 1), months=12)
    commit()
    return made


def notes(user) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)))


def test_the_agency_lists_and_opens_its_own_entries_only(client, sign_in, people, entry):
    sign_in(people["member"])
    assert entry.decision_no in client.get("/agency/publication").get_data(as_text=True)
    assert client.get(f"/agency/publication/{entry.id}").status_code == 200
    sign_in(people["member2"])
    assert entry.decision_no not in client.get("/agency/publication").get_data(as_text=True)
    assert client.get(f"/agency/publication/{entry.id}").status_code == 404
    response = client.post(f"/agency/publication/{entry.id}/statement", data={"statement": "x"})
    assert response.status_code == 404


def test_a_statement_is_shown_escaped_beside_the_entry(client, sign_in, people, entry):
    sign_in(people["member"])
    response = client.post(f"/agency/publication/{entry.id}/statement", data={"statement": HOSTILE})
    assert response.status_code == 303
    public = client.get(f"/decisions/{entry.decision_no}").get_data(as_text=True)
    assert HOSTILE not in public
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in public
    assert "Statement of the agency" in public
    assert client.get("/api/v1/public/decisions").get_json()["items"][0]["statement"] == HOSTILE
    assert audit.verify().ok


def test_a_long_statement_is_refused_and_empty_removes_it(client, sign_in, people, entry):
    sign_in(people["member"])
    long = client.post(f"/agency/publication/{entry.id}/statement", data={"statement": "字" * 501})
    assert long.status_code == 422 and entry.statement is None
    client.post(f"/agency/publication/{entry.id}/statement", data={"statement": "字" * 500})
    db.session.refresh(entry)
    assert entry.statement == "字" * 500
    client.post(f"/agency/publication/{entry.id}/statement", data={"statement": ""})
    db.session.refresh(entry)
    assert entry.statement is None


def test_a_dispute_goes_to_the_staff_queue_and_the_answer_to_the_agency(
    client, sign_in, people, entry
):
    sign_in(people["member"])
    sent = client.post(f"/agency/publication/{entry.id}/dispute", data={"text": "日期有误。"})
    assert sent.status_code == 303
    again = client.post(f"/agency/publication/{entry.id}/dispute", data={"text": "再次"})
    assert again.status_code == 422  # one open dispute at a time
    dispute = db.session.scalar(select(FactDispute))
    assert [n.kind for n in notes(people["staff"])] == ["publication.dispute_filed"]

    sign_in(people["staff"])
    queue = client.get("/staff/publication/disputes").get_data(as_text=True)
    assert entry.decision_no in queue
    assert client.get(f"/staff/publication/disputes/{dispute.id}").status_code == 200
    answered = client.post(
        f"/staff/publication/disputes/{dispute.id}/answer",
        data={"answer": "已核实并更正。", "corrected": "y", "corrected_summary": "更正后的摘要。"},
    )
    assert answered.status_code == 303
    db.session.refresh(entry)
    assert entry.summary == "更正后的摘要。" and dispute.status == "answered"
    assert [n.kind for n in notes(people["member"])] == ["publication.dispute_answered"]
    public = client.get(f"/decisions/{entry.decision_no}").get_data(as_text=True)
    assert "更正后的摘要。" in public and "已核实并更正。" in public
    twice = client.post(
        f"/staff/publication/disputes/{dispute.id}/answer", data={"answer": "again"}
    )
    assert twice.status_code == 422  # already answered: the page says so
    assert audit.verify().ok


def repair_data(**changes) -> dict:
    data = {
        "rectification": "已更换检测负责人并重新培训全部人员。",
        "commitment_accepted": "y",
        "commitment_name": "张建国",
        "files": [(io.BytesIO(PDF), "整改报告.pdf")],
    }
    data.update(changes)
    return data


def test_credit_repair_waits_for_the_minimum_term(client, sign_in, people, member, now):
    young = make_entry(member, level="general", took_effect_on=date(2026, 4, 1), months=12)
    serious = make_entry(member, took_effect_on=date(2025, 9, 1), months=24)
    commit()
    sign_in(people["member"])
    page = client.get(f"/agency/publication/{young.id}").get_data(as_text=True)
    assert "Credit repair may be applied for from 2026-07-01" in page
    refused = client.post(
        f"/agency/publication/{young.id}/repair",
        data=repair_data(),
        content_type="multipart/form-data",
    )
    assert refused.status_code == 422
    assert (
        client.get(f"/agency/publication/{serious.id}")
        .get_data(as_text=True)
        .count("from 2026-09-01")
    )
    assert db.session.scalar(select(CreditRepair)) is None


def test_credit_repair_needs_proof_and_the_signed_commitment(
    client, sign_in, people, entry, upload_dir
):
    sign_in(people["member"])
    url = f"/agency/publication/{entry.id}/repair"
    for changes, field in (
        ({"files": []}, "files"),
        ({"commitment_accepted": ""}, "commitment_accepted"),
        ({"commitment_name": " "}, "commitment_name"),
        ({"files": [(io.BytesIO(HTML), "proof.pdf")]}, "files"),
    ):
        data = repair_data(**changes)
        if not data["commitment_accepted"]:
            del data["commitment_accepted"]
        answer = client.post(url, data=data, content_type="multipart/form-data")
        assert answer.status_code == 422, field
        assert 'aria-invalid="true"' in answer.get_data(as_text=True)
    assert db.session.scalar(select(CreditRepair)) is None


def test_granted_credit_repair_ends_the_publication_and_is_published(
    client, sign_in, people, entry, upload_dir
):
    sign_in(people["member"])
    applied = client.post(
        f"/agency/publication/{entry.id}/repair",
        data=repair_data(),
        content_type="multipart/form-data",
    )
    assert applied.status_code == 303
    repair = db.session.scalar(select(CreditRepair))
    assert repair.due_date == date(2026, 6, 30)  # 10 working days (19 June is a holiday)
    assert repair.applied_at < repair.warn_at < repair.due_at
    proof = client.get(f"/agency/publication/{entry.id}").get_data(as_text=True)
    assert "整改报告.pdf" in proof

    sign_in(people["staff"])
    assert entry.decision_no in client.get("/staff/publication/repairs").get_data(as_text=True)
    page = client.get(f"/staff/publication/repairs/{repair.id}").get_data(as_text=True)
    assert "张建国" in page and "整改报告.pdf" in page
    no_reason = client.post(
        f"/staff/publication/repairs/{repair.id}/decision", data={"decision": "refuse"}
    )
    assert no_reason.status_code == 422
    granted = client.post(
        f"/staff/publication/repairs/{repair.id}/decision",
        data={"decision": "grant", "reason": "整改到位。"},
    )
    assert granted.status_code == 303
    db.session.refresh(entry)
    assert entry.ended_on == clock.today() and entry.end_reason == "credit_repair"
    assert "publication.repair_decided" in [n.kind for n in notes(people["member"])]
    public = client.get(f"/decisions/{entry.decision_no}").get_data(as_text=True)
    assert "Credit repair granted" in public and "整改到位。" in public
    assert "Credit repair granted" in client.get("/decisions").get_data(as_text=True)
    feed = client.get("/feeds/decisions.atom").get_data(as_text=True)
    assert f"Credit repair granted: {entry.decision_no}" in feed
    assert audit.verify().ok


def test_a_refused_repair_keeps_the_entry_and_allows_a_new_application(
    client, sign_in, people, entry, upload_dir, clock_at
):
    sign_in(people["member"])
    client.post(
        f"/agency/publication/{entry.id}/repair",
        data=repair_data(),
        content_type="multipart/form-data",
    )
    repair = db.session.scalar(select(CreditRepair))
    sign_in(people["staff"])
    client.post(
        f"/staff/publication/repairs/{repair.id}/decision",
        data={"decision": "refuse", "reason": "证据不足。"},
    )
    db.session.refresh(entry)
    assert repair.status == "refused" and entry.ended_on is None
    clock_at(datetime(2026, 6, 20, 2, tzinfo=UTC))
    sign_in(people["member"])
    again = client.post(
        f"/agency/publication/{entry.id}/repair",
        data=repair_data(files=[(io.BytesIO(PDF), "补充.pdf")]),
        content_type="multipart/form-data",
    )
    assert again.status_code == 303


def test_proof_files_are_readable_by_staff_and_the_agency_only(
    client, sign_in, people, entry, upload_dir
):
    sign_in(people["member"])
    client.post(
        f"/agency/publication/{entry.id}/repair",
        data=repair_data(),
        content_type="multipart/form-data",
    )
    from portal import uploads

    repair = db.session.scalar(select(CreditRepair))
    [stored] = uploads.files_of("credit_repair", repair.id)
    assert client.get(f"/files/{stored.uid}").status_code == 200
    for other in ("staff", "member2", "worker", "committee"):
        sign_in(people[other])
        expected = 200 if other == "staff" else 404
        assert client.get(f"/files/{stored.uid}").status_code == expected, other
