"""The pages: the secretariat opens a case, proposes, decides; the agency reads and appeals
its decision and reports a breach; the letter to the regulator prints."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from portal import clock
from portal.discipline.models import BreachReport, Decision, DisciplineCase
from portal.extensions import db
from tests.discipline.factories import SERIOUS, decided_minor, let_window_pass, voted


def test_the_secretariat_runs_a_minor_case_on_the_pages(client, login, now, staff, agency):
    login(staff)
    assert client.get("/staff/discipline").status_code == 200
    form = client.get("/staff/discipline/cases/new")
    assert agency.name in form.get_data(as_text=True)
    response = client.post(
        "/staff/discipline/cases/new",
        data={
            "member_id": agency.id,
            "source": "direct",
            "summary": "服务记录不完整",
            "findings": "档案缺少问诊记录。",
        },
    )
    assert response.status_code == 303
    case = db.session.scalar(select(DisciplineCase))
    page = client.get(f"/staff/discipline/cases/{case.id}").get_data(as_text=True)
    assert "Propose a sanction" in page and "Public criticism" in page
    refused = client.post(
        f"/staff/discipline/cases/{case.id}/propose",
        data={"level": "minor", "measures": ["expulsion"], "reasons": "违反公约。"},
    )
    assert refused.status_code == 422
    assert "is not a sanction of the Minor level" in refused.get_data(as_text=True)
    client.post(
        f"/staff/discipline/cases/{case.id}/propose",
        data={
            "level": "minor",
            "measures": ["verbal_warning", "order_to_rectify"],
            "rectify_due_on": "2026-07-31",
            "reasons": "违反公约第三章。",
        },
    )
    decided = client.post(f"/staff/discipline/cases/{case.id}/decide")
    assert decided.status_code == 303
    decision = db.session.scalar(select(Decision))
    assert decision.number in client.get(decided.headers["Location"]).get_data(as_text=True)
    assert client.get("/staff/discipline/decisions").status_code == 200


def test_the_agency_reads_and_appeals_on_the_pages(client, login, now, staff, agency, agency_user):
    decision = decided_minor(staff, agency)
    db.session.commit()
    login(agency_user)
    listing = client.get("/agency/discipline").get_data(as_text=True)
    assert decision.number in listing
    page = client.get(f"/agency/discipline/decisions/{decision.id}").get_data(as_text=True)
    assert "File the appeal" in page
    short = client.post(
        f"/agency/discipline/decisions/{decision.id}/appeal", data={"grounds": "短"}
    )
    assert short.status_code == 422
    done = client.post(
        f"/agency/discipline/decisions/{decision.id}/appeal",
        data={"grounds": "问诊记录在纸质档案中，已扫描提交。"},
    )
    assert done.status_code == 303
    db.session.refresh(decision)
    assert decision.status == "appealed"
    page = client.get(f"/agency/discipline/decisions/{decision.id}").get_data(as_text=True)
    assert "File the appeal" not in page and "Waiting for the appeal committee" in page


def test_a_late_breach_report_is_flagged_on_the_pages(
    client, login, now, staff, agency, agency_user
):
    login(agency_user)
    assert client.get("/agency/breaches/new").status_code == 200
    discovered = clock.shanghai(clock.now() - timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M")
    sent = client.post(
        "/agency/breaches/new",
        data={
            "discovered_at": discovered,
            "description": "体检报告邮件误发给其他企业。",
            "affected_count": "35",
        },
    )
    assert sent.status_code == 303
    report = db.session.scalar(select(BreachReport))
    assert report.late and report.delay_minutes == 240
    client.post("/logout")
    login(staff)
    listing = client.get("/staff/discipline/breaches?show=late").get_data(as_text=True)
    assert "Late: 240 minutes after discovery" in listing
    opened = client.post(f"/staff/discipline/breaches/{report.id}/open-case")
    assert opened.status_code == 303 and "/staff/discipline/cases/" in opened.headers["Location"]


def test_the_letter_to_the_regulator(client, login, now, staff, agency, committees, published):
    board, _appeal = committees
    decision = voted(staff, agency, board, SERIOUS)
    let_window_pass(decision)
    db.session.commit()
    login(staff)
    page = client.get(f"/staff/discipline/decisions/{decision.id}").get_data(as_text=True)
    assert "Letter to the regulator" in page
    letter = client.get(f"/staff/discipline/decisions/{decision.id}/letter")
    assert letter.status_code == 200
    text = letter.get_data(as_text=True)
    assert decision.number in text and agency.member_no in text
    assert decision.took_effect_on == date(2026, 7, 4)
    assert f"/staff/discipline/decisions/{decision.id}/letter.pdf" in text


def test_the_letter_as_a_pdf_in_chinese(
    app, client, login, now, staff, agency, committees, published, monkeypatch
):
    """The reader's language is English here; the letter to a Chinese authority is not."""
    from tests.mediation.test_pdf import cjk_font_embedded

    board, _appeal = committees
    decision = voted(staff, agency, board, SERIOUS)
    let_window_pass(decision)
    db.session.commit()
    login(staff)
    url = f"/staff/discipline/decisions/{decision.id}/letter.pdf"
    answer = client.get(url)
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    assert answer.headers["Cache-Control"] == "no-store"
    assert f"{decision.number}.pdf" in answer.headers["Content-Disposition"]
    assert answer.data.startswith(b"%PDF-")
    assert cjk_font_embedded(answer.data, "关于撤销资质的建议函")
    monkeypatch.setitem(app.config, "PDF_CJK_FONT", "/nonexistent/font.otf")
    fallback = client.get(url)
    assert fallback.status_code == 303 and fallback.headers["Location"].endswith("/letter")


def test_the_appeal_outcome_form(client, login, now, staff, agency, agency_user, committees):
    from tests.discipline.factories import GENERAL, appeal

    board, _appeal = committees
    decision = voted(staff, agency, board, GENERAL)
    appeal(agency_user, decision)
    db.session.commit()
    login(staff)
    page = client.get(f"/staff/discipline/decisions/{decision.id}").get_data(as_text=True)
    assert "Put an outcome to the appeal committee" in page
    bad = client.post(
        f"/staff/discipline/decisions/{decision.id}/outcome",
        data={
            "outcome": "changed",
            "level": "general",
            "measures": ["blacklist"],
            "publication_months": "6",
            "reasons": "部分成立",
            "voting_days": "3",
        },
    )
    assert bad.status_code == 422
    good = client.post(
        f"/staff/discipline/decisions/{decision.id}/outcome",
        data={"outcome": "upheld", "reasons": "申诉理由不成立", "voting_days": "3"},
    )
    assert good.status_code == 303
    db.session.refresh(decision)
    assert decision.appeal.status == "voting"
