"""Who reaches what: every role against the complaint pages and API, and the object-level
rules (only one's own complaint, only one's own agency, panel members only on their panel;
evidence never to the agency)."""

from __future__ import annotations

import pytest

from portal.complaints.services import workflow
from portal.complaints.services.intake import Upload
from portal.uploads import files_of
from tests.complaints.conftest import commit, file
from tests.files.samples import PDF

ROLES = ["anonymous", "worker", "member", "staff", "committee", "admin"]

PAGES = {
    "/complaints/new": {"*": 200},
    "/complaints/track": {"*": 200},
    "/complaints/statistics": {"*": 200},
    "/my/complaints": {"worker": 200},
    "/agency/complaints": {"member": 200},
    "/staff/complaints": {"staff": 200},
    "/staff/complaints/new": {"staff": 200},
    "/staff/complaints/{number}": {"staff": 200, "committee": 404},
    "/panel/complaints": {"committee": 200},
}
API = {
    "/api/v1/public/complaint-stats": {"*": 200},
    "/api/v1/me/complaints": {"worker": 200},
    "/api/v1/member/complaints": {"member": 200},
    "/api/v1/staff/complaints": {"staff": 200},
    "/api/v1/staff/complaints/{number}": {"staff": 200},
}


def expected(rules: dict, role: str, api: bool) -> int:
    if "*" in rules:
        return rules["*"]
    if role in rules:
        return rules[role]
    if role == "anonymous":
        return 401 if api else 302
    return 403


@pytest.fixture
def case(people, member, now, upload_dir):
    complaint = file(people["worker"], member, files=[Upload(PDF, "report.pdf")]).complaint
    return complaint


@pytest.mark.parametrize("role", ROLES)
def test_each_role_on_each_page(client, login, people, case, role, upload_dir):
    if role != "anonymous":
        login(people[role])
    for path, rules in PAGES.items():
        response = client.get(path.format(number=case.tracking_number))
        assert response.status_code == expected(rules, role, api=False), (role, path)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_on_each_api_route(client, api_token, people, case, role, upload_dir):
    headers = {} if role == "anonymous" else api_token(people[role])
    for path, rules in API.items():
        response = client.get(path.format(number=case.tracking_number), headers=headers)
        assert response.status_code == expected(rules, role, api=True), (role, path)


@pytest.mark.parametrize("role", ["worker", "member", "committee", "admin"])
def test_only_the_secretariat_acts(client, login, api_token, people, case, role):
    login(people[role])
    url = f"/staff/complaints/{case.tracking_number}/accept"
    assert client.post(url, data={"complexity": "simple"}).status_code == 403
    api = f"/api/v1/staff/complaints/{case.tracking_number}/accept"
    response = client.post(api, json={"complexity": "simple"}, headers=api_token(people[role]))
    assert response.status_code == 403
    assert case.status == "received"


def test_a_worker_never_reads_another_workers_complaint(client, login, api_token, people, case):
    login(people["worker2"])
    assert client.get(f"/my/complaints/{case.tracking_number}").status_code == 404
    headers = api_token(people["worker2"])
    assert (
        client.get(f"/api/v1/me/complaints/{case.tracking_number}", headers=headers).status_code
        == 404
    )


def test_a_member_never_reads_another_members_complaint(
    client, login, api_token, people, other_member, case
):
    workflow.accept(people["staff"], case, "simple")
    commit()
    for user, status in ((people["member"], 200), (people["member2"], 404)):
        assert (
            client.get(
                f"/api/v1/member/complaints/{case.tracking_number}", headers=api_token(user)
            ).status_code
            == status
        )


def test_evidence_downloads_staff_the_complainant_and_the_panel_never_the_agency(
    client, api_token, people, case, upload_dir
):
    workflow.accept(people["staff"], case, "complex")
    workflow.assign_panel(
        people["staff"],
        case,
        {
            "clinical": people["committee"].id,
            "legal": people["committee2"].id,
            "industry": people["staff2"].id,
        },
    )
    commit()
    (evidence,) = files_of("complaint", case.id)
    outcomes = {}
    for role in ("staff", "worker", "committee", "worker2", "member", "admin"):
        response = client.get(f"/api/v1/files/{evidence.uid}", headers=api_token(people[role]))
        outcomes[role] = response.status_code
    assert outcomes == {
        "staff": 200,
        "worker": 200,
        "committee": 200,
        "worker2": 404,
        "member": 404,
        "admin": 404,
    }
