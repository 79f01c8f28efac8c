"""The complaint pages: filing, the receipt, tracking (rate-limited), the worker's and the
agency's pages, the secretariat's dashboard and case page, the statistics."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from portal import audit
from portal.complaints.models import Complaint
from portal.complaints.services import workflow
from portal.extensions import db
from tests.complaints.conftest import file
from tests.complaints.pages import form_data, receipt_of, token_of
from tests.files.samples import PDF


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(Complaint))


# --- filing and the receipt -------------------------------------------------------------------


def test_the_form_lists_approved_members_and_carries_a_token(client, people, member, now):
    html = client.get("/complaints/new").get_data(as_text=True)
    assert member.name in html and member.member_no in html
    assert "Not a member / not listed" in html
    assert token_of(html)
    assert 'enctype="multipart/form-data"' in html
    assert "<script" not in html.split("</footer>")[0].split("<main")[1]


def test_the_agency_search_narrows_the_list(client, people, member, other_member, now):
    html = client.get("/complaints/new?agency_q=安康").get_data(as_text=True)
    assert other_member.name in html and member.name not in html


def test_an_anonymous_complaint_is_filed_and_its_receipt_shown_once(
    client, people, member, now, upload_dir
):
    token = token_of(client.get("/complaints/new").get_data(as_text=True))
    data = form_data(member.member_no, token)
    data["evidence"] = [(io.BytesIO(PDF), "报告.pdf")]
    response = client.post("/complaints/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/complaints/receipt")
    page = client.get("/complaints/receipt")
    assert page.headers["Cache-Control"] == "no-store"
    number, code = receipt_of(page.get_data(as_text=True))
    assert code is not None
    complaint = db.session.scalar(select(Complaint))
    assert complaint.tracking_number == number
    assert complaint.channel == "online" and complaint.user_id is None
    again = client.get("/complaints/receipt").get_data(as_text=True)
    assert code not in again


def test_a_double_submit_files_one_complaint_and_keeps_the_code(client, people, member, now):
    token = token_of(client.get("/complaints/new").get_data(as_text=True))
    data = form_data(member.member_no, token)
    client.post("/complaints/new", data=data)
    first = receipt_of(client.get("/complaints/receipt").get_data(as_text=True))
    client.post("/complaints/new", data=data)  # the second click; its answer is what shows
    second = receipt_of(client.get("/complaints/receipt").get_data(as_text=True))
    assert count() == 1
    assert first == second and first[1] is not None


def test_bad_input_is_shown_on_the_form_and_nothing_is_lost(client, people, member, now):
    token = token_of(client.get("/complaints/new").get_data(as_text=True))
    data = form_data(member.member_no, token, id_number="110105194912310021", description="短")
    response = client.post("/complaints/new", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="error-summary"' in html
    assert 'aria-invalid="true"' in html
    assert "The check character should be X." in html
    assert "李四" in html and "13900001111" in html  # what was typed is kept
    assert count() == 0


def test_a_non_member_complaint_is_told_why_at_once(client, people, now):
    token = token_of(client.get("/complaints/new").get_data(as_text=True))
    client.post("/complaints/new", data=form_data(None, token))
    html = client.get("/complaints/receipt").get_data(as_text=True)
    assert "is not a member of the association" in html
    assert db.session.scalar(select(Complaint)).status == "rejected"


def test_a_signed_in_worker_files_under_the_account(client, login, people, member, now):
    login(people["worker"])
    token = token_of(client.get("/complaints/new").get_data(as_text=True))
    client.post("/complaints/new", data=form_data(member.member_no, token))
    number, code = receipt_of(client.get("/complaints/receipt").get_data(as_text=True))
    assert code is None
    listing = client.get("/my/complaints").get_data(as_text=True)
    assert number in listing
    detail = client.get(f"/my/complaints/{number}")
    assert detail.status_code == 200
    assert "Add material" in detail.get_data(as_text=True)


# --- tracking --------------------------------------------------------------------------------


def _filed(member):
    filed = file(None, member)
    return filed.complaint.tracking_number, filed.receipt_code


def test_tracking_shows_status_deadlines_and_feedback(client, people, member, now):
    number, code = _filed(member)
    complaint = db.session.scalar(select(Complaint))
    workflow.accept(people["staff"], complaint, "simple")
    response = client.post(
        "/complaints/track", data={"tracking_number": number, "receipt_code": code}
    )
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    assert "Accepted" in html and "Deadlines" in html and "<progress" in html
    assert code not in response.request.url and number not in response.request.url


def test_a_failed_attempt_answers_the_same_for_any_number(client, people, member, now):
    number, code = _filed(member)
    wrong_code = client.post(
        "/complaints/track", data={"tracking_number": number, "receipt_code": "AAAA-BBBB-CCCC"}
    )
    unknown = client.post(
        "/complaints/track", data={"tracking_number": "TS-2026-999999", "receipt_code": code}
    )
    assert wrong_code.status_code == unknown.status_code == 404

    def message(response):
        html = response.get_data(as_text=True)
        return html[html.index('class="flash-messages"') : html.index("</form>")]

    assert message(wrong_code).replace(number, "N") == message(unknown).replace(
        "TS-2026-999999", "N"
    )


def test_material_is_added_with_the_receipt_code(client, people, member, now):
    number, code = _filed(member)
    page = client.post(
        "/complaints/track", data={"tracking_number": number, "receipt_code": code}
    ).get_data(as_text=True)
    data = {
        "tracking_number": number,
        "receipt_code": code,
        "submission_token": token_of(page),
        "text": "补充：体检当天的收费票据。",
    }
    response = client.post("/complaints/track/material", data=data)
    assert response.status_code == 200
    assert "Your material has been added" in response.get_data(as_text=True)
    client.post("/complaints/track/material", data=data)  # sent twice: kept once
    complaint = db.session.scalar(select(Complaint))
    assert [m.text for m in complaint.materials] == ["补充：体检当天的收费票据。"]
    refused = client.post(
        "/complaints/track/material",
        data={**data, "receipt_code": "AAAA-BBBB-CCCC", "submission_token": "x"},
    )
    assert refused.status_code == 404


# --- the worker's and the agency's pages --------------------------------------------------


def test_a_worker_sees_only_their_own_complaints(client, login, people, member, now):
    mine = file(people["worker"], member).complaint
    theirs = file(people["worker2"], member).complaint
    login(people["worker"])
    listing = client.get("/my/complaints").get_data(as_text=True)
    assert mine.tracking_number in listing and theirs.tracking_number not in listing
    assert client.get(f"/my/complaints/{theirs.tracking_number}").status_code == 404
    assert (
        client.post(
            f"/my/complaints/{theirs.tracking_number}/material", data={"text": "x"}
        ).status_code
        == 404
    )


def test_a_worker_adds_material_to_their_complaint(client, login, people, member, now):
    complaint = file(people["worker"], member).complaint
    login(people["worker"])
    html = client.get(f"/my/complaints/{complaint.tracking_number}").get_data(as_text=True)
    response = client.post(
        f"/my/complaints/{complaint.tracking_number}/material",
        data={"submission_token": token_of(html), "text": "复查报告附上。"},
    )
    assert response.status_code == 303
    assert [m.text for m in complaint.materials] == ["复查报告附上。"]


def test_the_agency_sees_accepted_complaints_about_itself_only(
    client, login, people, member, other_member, now
):
    received = file(None, member).complaint
    accepted = file(None, member, share_identity_with_agency=True).complaint
    elsewhere = file(None, other_member).complaint
    for complaint in (accepted, elsewhere):
        workflow.accept(people["staff"], complaint, "simple")
    login(people["member"])
    listing = client.get("/agency/complaints").get_data(as_text=True)
    assert accepted.tracking_number in listing
    assert received.tracking_number not in listing and elsewhere.tracking_number not in listing
    assert client.get(f"/agency/complaints/{elsewhere.tracking_number}").status_code == 404
    assert client.get(f"/agency/complaints/{received.tracking_number}").status_code == 404
    page = client.get(f"/agency/complaints/{accepted.tracking_number}").get_data(as_text=True)
    assert "张卫国" in page  # shared with consent
    assert "13812345678" not in page and "噪声作业" not in page  # never phone or health
    response = client.post(
        f"/agency/complaints/{accepted.tracking_number}/response",
        data={"text": "已核实，将重新出具报告。"},
    )
    assert response.status_code == 303
    assert len(accepted.responses) == 1


def test_without_consent_the_agency_does_not_see_who_complained(client, login, people, member, now):
    complaint = file(None, member).complaint
    workflow.accept(people["staff"], complaint, "simple")
    login(people["member"])
    page = client.get(f"/agency/complaints/{complaint.tracking_number}").get_data(as_text=True)
    assert "张卫国" not in page and "11010519491231002X" not in page
    assert "did not agree to share" in page


# --- the secretariat ----------------------------------------------------------------------------


def test_the_dashboard_filters_and_searches(client, login, people, member, other_member, now):
    first = file(None, member).complaint
    second = file(None, other_member, subtype="false_advertising", category="violation").complaint
    workflow.accept(people["staff"], second, "simple")
    login(people["staff"])
    html = client.get("/staff/complaints").get_data(as_text=True)
    assert first.tracking_number in html and second.tracking_number in html
    html = client.get("/staff/complaints?status=accepted").get_data(as_text=True)
    assert second.tracking_number in html and first.tracking_number not in html
    html = client.get("/staff/complaints?category=violation").get_data(as_text=True)
    assert second.tracking_number in html and first.tracking_number not in html
    html = client.get(f"/staff/complaints?member_id={member.id}").get_data(as_text=True)
    assert first.tracking_number in html and second.tracking_number not in html
    html = client.get(f"/staff/complaints?q={first.tracking_number[-6:]}").get_data(as_text=True)
    assert first.tracking_number in html and second.tracking_number not in html
    html = client.get("/staff/complaints?status=bogus&queue=bogus&page=7").get_data(as_text=True)
    assert "No complaint matches." in html


def test_the_dashboard_queues_by_deadline(client, login, people, member, clock_at, now):
    complaint = file(None, member).complaint
    clock_at(complaint.deadline("decision").due_at.replace(microsecond=0))
    login(people["staff"])  # after the jump of days: a staff session idle that long ends
    html = client.get("/staff/complaints?queue=at_risk").get_data(as_text=True)
    assert complaint.tracking_number in html
    clock_at(complaint.deadline("decision").due_at.replace(microsecond=0).replace(second=59))
    from datetime import timedelta

    clock_at(complaint.deadline("decision").due_at + timedelta(minutes=1))
    html = client.get("/staff/complaints?queue=overdue").get_data(as_text=True)
    assert complaint.tracking_number in html


def test_the_case_page_offers_only_the_actions_of_its_state(client, login, people, member, now):
    complaint = file(None, member).complaint
    login(people["staff"])
    url = f"/staff/complaints/{complaint.tracking_number}"
    html = client.get(url).get_data(as_text=True)
    for name in ("accept", "reject", "handler", "material"):
        assert f"{url}/{name}" in html
    for name in ("resolve", "close", "start", "request-material", "panel"):
        assert f'{url}/{name}"' not in html
    assert "1101**********002X" in html and "11010519491231002X" not in html
    assert "<progress" in html


def test_staff_accept_investigate_resolve_and_close_through_the_pages(
    client, login, people, member, now
):
    complaint = file(None, member).complaint
    login(people["staff"])
    url = f"/staff/complaints/{complaint.tracking_number}"
    assert client.post(f"{url}/reject", data={"reason": "no"}).status_code == 422
    assert client.post(f"{url}/accept", data={"complexity": "complex"}).status_code == 303
    assert client.post(f"{url}/start").status_code == 303
    refused = client.post(
        f"{url}/resolve", data={"finding": "substantiated", "outcome": "经查属实，已责令整改。"}
    )
    assert refused.status_code == 409
    assert "Assign the expert panel first" in client.get(url).get_data(as_text=True)
    seats = {
        "clinical": people["committee"].id,
        "legal": people["committee2"].id,
        "industry": people["staff2"].id,
    }
    assert client.post(f"{url}/panel", data=seats).status_code == 303
    assert (
        client.post(
            f"{url}/resolve", data={"finding": "substantiated", "outcome": "经查属实，已责令整改。"}
        ).status_code
        == 303
    )
    assert client.post(f"{url}/close").status_code == 303
    assert complaint.status == "closed"
    assert client.post(f"{url}/accept", data={"complexity": "simple"}).status_code == 409
    assert client.post(f"{url}/nonsense").status_code == 404


def test_bulk_assignment_without_javascript(client, login, people, member, now):
    complaints = [file(None, member).complaint for _ in range(3)]
    login(people["staff"])
    response = client.post(
        "/staff/complaints/assign",
        data={
            "complaint": [c.tracking_number for c in complaints[:2]],
            "handler_id": people["staff2"].id,
            "status": "received",
        },
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/staff/complaints?status=received")
    assert [c.handler_id for c in complaints] == [people["staff2"].id] * 2 + [None]


def test_revealing_the_identity_is_explicit_and_audited(client, login, people, member, now):
    complaint = file(None, member).complaint
    login(people["staff"])
    url = f"/staff/complaints/{complaint.tracking_number}/reveal"
    response = client.post(url)
    html = response.get_data(as_text=True)
    assert "11010519491231002X" in html and "张卫国" in html
    assert response.headers["Cache-Control"] == "no-store"
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(audit.AuditEntry)
            .where(audit.AuditEntry.action == "complaint.identity_revealed")
        )
        == 1
    )


def test_staff_enter_a_hotline_complaint_and_read_out_the_code(client, login, people, member, now):
    login(people["staff"])
    token = token_of(client.get("/staff/complaints/new").get_data(as_text=True))
    response = client.post(
        "/staff/complaints/new", data={**form_data(member.member_no, token), "channel": "hotline"}
    )
    assert response.status_code == 303
    number, code = receipt_of(client.get("/staff/complaints/receipt").get_data(as_text=True))
    assert code is not None
    complaint = db.session.scalar(select(Complaint))
    assert complaint.channel == "hotline" and complaint.filed_by_id == people["staff"].id


def test_a_panel_member_reads_the_case_but_cannot_act(client, login, people, member, now):
    complaint = file(None, member).complaint
    workflow.accept(people["staff"], complaint, "complex")
    other = file(None, member).complaint
    workflow.assign_panel(
        people["staff"],
        complaint,
        {
            "clinical": people["committee"].id,
            "legal": people["committee2"].id,
            "industry": people["staff2"].id,
        },
    )
    login(people["committee"])
    assert complaint.tracking_number in client.get("/panel/complaints").get_data(as_text=True)
    page = client.get(f"/staff/complaints/{complaint.tracking_number}")
    assert page.status_code == 200
    assert "/reveal" not in page.get_data(as_text=True)
    assert client.get(f"/staff/complaints/{other.tracking_number}").status_code == 404


# --- statistics ------------------------------------------------------------------------------


def _closed(people, member, finding="substantiated"):
    complaint = file(None, member).complaint
    staff = people["staff"]
    workflow.accept(staff, complaint, "simple")
    workflow.start_investigation(staff, complaint)
    workflow.resolve(staff, complaint, finding, "调查结论：如上所述。")
    workflow.close(staff, complaint)
    return complaint


def test_the_statistics_page_counts_closed_complaints_without_personal_data(
    client, people, member, other_member, now
):
    _closed(people, member)
    _closed(people, member, "not_substantiated")
    file(None, other_member)  # open: not counted, and its agency not named
    html = client.get("/complaints/statistics").get_data(as_text=True)
    assert member.name in html and other_member.name not in html
    assert "100%" in html
    for personal in ("张卫国", "11010519491231002X", "13812345678"):
        assert personal not in html
    assert 'src="/complaints/statistics/category.svg"' in html
    assert 'alt="Bar chart of closed complaints by category' in html


@pytest.mark.parametrize("kind", ["category", "finding", "member"])
def test_the_chart_is_an_svg_of_its_own(client, people, member, now, kind):
    _closed(people, member)
    response = client.get(f"/complaints/statistics/{kind}.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert "script-src" not in response.headers["Content-Security-Policy"]
    body = response.get_data(as_text=True)
    assert body.startswith("<?xml") and "<svg" in body and "<script" not in body
    assert "http://" not in body.replace("http://www.w3.org", "").replace(
        "http://github.com/Kozea/pygal", ""
    ).replace("http://pygal.org", "")
    assert client.get("/complaints/statistics/other.svg").status_code == 404


# --- in Chinese, the portal's first language -------------------------------------------------


def test_the_pages_speak_chinese_by_default(client, login, people, member, now, zh):
    html = client.get("/complaints/new").get_data(as_text=True)
    assert 'lang="zh-CN"' in html
    for words in ("提交投诉", "被投诉的机构", "非会员／未列出", "体检报告错误", "服务质量"):
        assert words in html, words
    filed = file(None, member)
    page = client.post(
        "/complaints/track",
        data={
            "tracking_number": filed.complaint.tracking_number,
            "receipt_code": filed.receipt_code,
        },
    )
    text = page.get_data(as_text=True)
    assert "已收到" in text and "办理期限" in text and "决定是否受理" in text
    login(people["staff"])
    dashboard = client.get("/staff/complaints").get_data(as_text=True)
    assert "今日到期" in dashboard and "临近期限（已过70%）" in dashboard
