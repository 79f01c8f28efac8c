"""The secretariat's queue and review pages, and who may open them."""

from __future__ import annotations

import pytest

from portal.members.services import access
from tests.members.factories import submitted_application


@pytest.fixture
def waiting(db, agency, today):
    return submitted_application(agency, today)


def test_the_queue_lists_submitted_applications_with_their_checklist(
    client, login, secretary, waiting, rival, today
):
    failing = submitted_application(rival, today, premises_m2="120")
    login(secretary)
    html = client.get("/secretariat/applications").get_data(as_text=True)
    assert f"/secretariat/applications/{waiting.id}" in html
    assert f"/secretariat/applications/{failing.id}" in html
    assert "<caption>" in html and 'scope="col"' in html
    assert (
        client.get("/secretariat/applications?status=approved")
        .get_data(as_text=True)
        .count("/secretariat/applications/")
        == 0
    )


def test_approve_from_the_review_page(client, login, secretary, waiting, agency, db):
    login(secretary)
    html = client.get(f"/secretariat/applications/{waiting.id}").get_data(as_text=True)
    assert 'id="checklist-title"' in html and "/files/" in html
    response = client.post(f"/secretariat/applications/{waiting.id}/approve")
    assert response.status_code == 303
    assert access.member_of(agency).member_no == "OHA-2026-00001"
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "OHA-2026-00001" in html


def test_the_page_refuses_an_approval_a_rule_blocks_and_says_why(
    client, login, secretary, rival, today
):
    failing = submitted_application(rival, today, premises_m2="120")
    login(secretary)
    html = client.get(f"/secretariat/applications/{failing.id}").get_data(as_text=True)
    assert 'disabled aria-describedby="approve-blocked"' in html
    response = client.post(f"/secretariat/applications/{failing.id}/approve", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "alert-danger" in html and "120" in html
    assert failing.status == "submitted"


def test_return_needs_a_reason_on_the_page(client, login, secretary, waiting):
    login(secretary)
    response = client.post(
        f"/secretariat/applications/{waiting.id}/return", data={"return-reason": ""}
    )
    assert response.status_code == 422
    assert 'id="return-reason-error"' in response.get_data(as_text=True)
    response = client.post(
        f"/secretariat/applications/{waiting.id}/return",
        data={"return-reason": "请补充作业指导书的完整版本。"},
    )
    assert response.status_code == 303 and waiting.status == "returned"


def test_reject_from_the_page(client, login, secretary, waiting):
    login(secretary)
    response = client.post(
        f"/secretariat/applications/{waiting.id}/reject",
        data={"reject-reason": "资质证书与营业执照名称不一致。"},
    )
    assert response.status_code == 303 and waiting.status == "rejected"


@pytest.mark.parametrize("role", ["member", "worker", "committee", "admin"])
def test_other_roles_may_not_review(client, login, users, waiting, role):
    login(users[role])
    assert client.get("/secretariat/applications").status_code == 403
    assert client.get(f"/secretariat/applications/{waiting.id}").status_code == 403
    assert client.post(f"/secretariat/applications/{waiting.id}/approve").status_code == 403
    assert waiting.status == "submitted"


def test_the_applicant_reads_the_decision(client, login, secretary, waiting, agency):
    login(secretary)
    client.post(
        f"/secretariat/applications/{waiting.id}/reject",
        data={"reject-reason": "资质证书与营业执照名称不一致。"},
    )
    client.post("/logout")
    login(agency)
    html = client.get(f"/agency/applications/{waiting.id}").get_data(as_text=True)
    assert "资质证书与营业执照名称不一致。" in html
    notes = client.get("/notifications").get_data(as_text=True)
    assert f"/agency/applications/{waiting.id}" in notes
