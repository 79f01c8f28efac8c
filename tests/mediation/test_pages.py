"""The mediation pages: proposing from the complaint page, the parties agreeing, the staff's
steps, an anonymous complainant with the receipt code (never in a URL)."""

from __future__ import annotations

from datetime import timedelta

from portal import clock
from tests.mediation.factories import AGREEMENT, accepted_complaint, opened, proposed


def test_staff_propose_from_the_complaint_page(client, login, board, complaint, people):
    login(people["staff"])
    page = client.get(f"/staff/complaints/{complaint.tracking_number}").get_data(as_text=True)
    assert "Propose mediation" in page
    response = client.post(f"/staff/complaints/{complaint.tracking_number}/mediation")
    assert response.status_code == 303
    assert "/staff/mediation/TJ-" in response.headers["Location"]
    case_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Waiting for both parties to agree" in case_page
    assert client.get("/staff/mediation").status_code == 200
    assert client.get("/staff/mediation/roster").status_code == 200


def test_the_complaint_page_offers_no_resolution_beside_the_mediation(
    client, login, board, complaint, people
):
    from portal.complaints.services import workflow
    from portal.extensions import db

    workflow.start_investigation(people["staff"], complaint)
    db.session.commit()
    login(people["staff"])
    url = f"/staff/complaints/{complaint.tracking_number}"
    assert "Resolve and tell the complainant" in client.get(url).get_data(as_text=True)
    proposed(people, complaint)
    page = client.get(url).get_data(as_text=True)
    assert "Resolve and tell the complainant" not in page
    assert "It is resolved by the mediation's outcome" in page
    refused = client.post(
        f"{url}/resolve",
        data={
            "resolve-finding": "substantiated",
            "resolve-outcome": "结论：报告有误，已责令更正。",
        },
    )
    assert refused.status_code == 422 and complaint.status == "investigating"


def test_the_parties_agree_in_the_portal(client, login, board, complaint, people):
    case = proposed(people, complaint)
    login(people["member"])
    assert case.number in client.get("/agency/mediation").get_data(as_text=True)
    assert "I agree to mediation" in client.get(f"/agency/mediation/{case.number}").get_data(
        as_text=True
    )
    assert client.post(f"/agency/mediation/{case.number}/consent").status_code == 303
    client.post("/logout")
    login(people["worker"])
    page = client.get(f"/my/complaints/{complaint.tracking_number}").get_data(as_text=True)
    assert f"/my/mediation/{case.number}" in page
    assert client.post(f"/my/mediation/{case.number}/consent").status_code == 303
    assert case.status == "open"


def test_staff_steps_and_the_agreement_through_pages(client, login, board, complaint, people):
    case = opened(people, complaint)
    login(people["staff"])
    base = f"/staff/mediation/{case.number}"
    when = (clock.shanghai(clock.now()) + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    assert (
        client.post(f"{base}/session", data={"starts_at": when, "place": "协会"}).status_code == 303
    )
    bad = client.post(f"{base}/panel", data={"panel": [str(people["committee"].id)]})
    assert bad.status_code == 422
    assert "breaks the rules" in bad.get_data(as_text=True)
    assert client.post(f"{base}/agreement", data={"text": AGREEMENT}).status_code == 303
    client.post("/logout")
    login(people["worker"])
    page = client.get(f"/my/mediation/{case.number}").get_data(as_text=True)
    assert AGREEMENT in page and "I confirm this agreement" in page
    assert (
        client.post(f"/my/mediation/{case.number}/confirm", data={"version": "1"}).status_code
        == 303
    )
    assert case.complainant_confirmed_at is not None


def test_an_anonymous_complainant_with_the_receipt_code(client, board, seeded, now, people, member):
    complaint = accepted_complaint(people, member, anonymous=True)
    case = proposed(people, complaint)
    proof = {
        "tracking_number": complaint.tracking_number,
        "receipt_code": complaint.receipt_code_for_tests,
    }
    assert client.get("/mediation/track").status_code == 200
    shown = client.post("/mediation/track", data=proof)
    assert shown.status_code == 200
    assert case.number in shown.get_data(as_text=True)
    assert shown.headers["Cache-Control"] == "no-store"
    agreed = client.post("/mediation/track/consent", data=proof)
    assert agreed.status_code == 200
    assert case.complainant_consent_at is not None
    wrong = client.post("/mediation/track", data={**proof, "receipt_code": "AAAA-BBBB-CCCC"})
    assert wrong.status_code == 404
