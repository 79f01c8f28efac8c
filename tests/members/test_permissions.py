"""Object-level rules: an agency never sees another's application, scans or staff; the
secretariat sees submitted applications (not drafts) and never changes staff; each role's
reach over the members pages and API (the url_map walk covers the role-level rules)."""

from __future__ import annotations

import pytest

from portal.members.services import access, applications
from tests.factories import make_user
from tests.members.factories import add_person, complete_application, submitted_application


@pytest.fixture
def mine(db, agency, today):
    """The agency's application, complete, with its scans; not submitted."""
    return complete_application(agency, today)


def file_uids(application):
    return [doc.stored_file.uid for doc in application.documents]


def test_another_agency_sees_nothing_of_an_application(
    client, login, api_token, mine, rival, today
):
    applications.start(rival)
    login(rival)
    headers = api_token(rival)
    for uid in file_uids(mine):
        assert client.get(f"/files/{uid}").status_code == 404
        assert client.get(f"/api/v1/files/{uid}", headers=headers).status_code == 404
    assert client.get(f"/agency/applications/{mine.id}").status_code == 404
    assert client.get(f"/api/v1/members/applications/{mine.id}", headers=headers).status_code == 404
    assert (
        client.get(f"/api/v1/members/applications/{mine.id}/checklist", headers=headers).status_code
        == 404
    )
    assert (
        client.patch(
            f"/api/v1/members/applications/{mine.id}/draft", headers=headers, json={"name": "x"}
        ).status_code
        == 404
    )
    assert (
        client.post(f"/api/v1/members/applications/{mine.id}/submit", headers=headers).status_code
        == 404
    )
    listed = client.get("/api/v1/members/applications", headers=headers).get_json()["items"]
    assert mine.id not in [item["id"] for item in listed]
    assert mine.draft["name"] != "x"


def test_the_owner_downloads_its_own_scans(client, login, mine, agency):
    login(agency)
    for uid in file_uids(mine):
        response = client.get(f"/files/{uid}")
        assert response.status_code == 200
        assert response.headers["Content-Disposition"].startswith("attachment")


def test_a_colleague_of_the_same_agency_sees_it_too(client, login, db, mine, agency):
    from portal.members.models import MemberUser

    colleague = make_user("member", username="colleague")
    db.session.add(MemberUser(member_id=mine.member_id, user_id=colleague.id))
    db.session.commit()
    login(colleague)
    assert client.get(f"/files/{file_uids(mine)[0]}").status_code == 200
    assert client.get(f"/agency/applications/{mine.id}/steps/agency").status_code == 200


def test_the_secretariat_sees_scans_only_once_submitted(
    client, login, api_token, mine, agency, secretary
):
    login(secretary)
    uid = file_uids(mine)[0]
    assert client.get(f"/files/{uid}").status_code == 404
    assert (
        client.get(
            f"/api/v1/members/applications/{mine.id}", headers=api_token(secretary)
        ).status_code
        == 404
    )
    applications.submit(agency, mine)
    assert client.get(f"/files/{uid}").status_code == 200
    assert (
        client.get(
            f"/api/v1/members/applications/{mine.id}", headers=api_token(secretary)
        ).status_code
        == 200
    )


@pytest.mark.parametrize("role", ["worker", "committee", "admin"])
def test_other_roles_never_get_the_scans(client, login, users, agency, today, role):
    application = submitted_application(agency, today)
    login(users[role])
    for uid in file_uids(application):
        assert client.get(f"/files/{uid}").status_code == 404


def test_staff_records_belong_to_their_agency(
    client, login, api_token, agency, rival, today, secretary, db
):
    applications.start(agency)
    person = add_person(agency, access.member_of(agency), today)
    db.session.commit()
    applications.start(rival)
    login(rival)
    assert client.get(f"/agency/staff/{person.id}").status_code == 404
    assert client.get(f"/agency/staff/{person.id}/edit").status_code == 404
    assert (
        client.post(
            f"/agency/staff/{person.id}/exams", data={"taken_on": "2026-06-01", "result": "failed"}
        ).status_code
        == 404
    )
    assert "张建国" not in client.get("/agency/staff").get_data(as_text=True)
    headers = api_token(rival)
    assert client.get(f"/api/v1/members/staff/{person.id}", headers=headers).status_code == 404
    assert (
        client.post(
            f"/api/v1/members/staff/{person.id}/exams",
            headers=headers,
            json={"taken_on": "2026-06-01", "passed": False},
        ).status_code
        == 404
    )
    assert not person.practice_suspended
    client.post("/logout")
    login(secretary)
    assert client.get(f"/agency/staff/{person.id}").status_code == 200  # reads when reviewing
    assert (
        client.post(
            f"/agency/staff/{person.id}/exams", data={"taken_on": "2026-06-01", "result": "failed"}
        ).status_code
        == 403
    )


@pytest.mark.parametrize("role", ["worker", "staff", "committee", "admin"])
def test_only_member_users_reach_the_agency_pages(client, login, users, role):
    login(users[role])
    for path in ("/agency", "/agency/staff", "/agency/profile-text", "/agency/staff/new"):
        assert client.get(path).status_code == 403, path
    assert client.post("/agency/applications", data={"kind": "new"}).status_code == 403


@pytest.mark.parametrize("role", ["worker", "member", "staff", "committee"])
def test_only_administrators_keep_the_phrases(client, login, api_token, users, role):
    login(users[role])
    assert client.get("/admin/forbidden-phrases").status_code == 403
    assert client.post("/admin/forbidden-phrases", data={"phrase": "x"}).status_code == 403
    assert (
        client.post(
            "/api/v1/admin/forbidden-phrases", headers=api_token(users[role]), json={"phrase": "x"}
        ).status_code
        == 403
    )


def test_the_public_pages_need_no_account(client, agency, secretary, today, db):
    from portal.members.services import review

    review.approve(secretary, submitted_application(agency, today))
    db.session.commit()
    assert client.get("/members").status_code == 200
    assert client.get("/members/OHA-2026-00001").status_code == 200
    assert client.get("/api/v1/public/members").status_code == 200
    assert client.get("/api/v1/public/members/OHA-2026-00001").status_code == 200
    assert client.get("/agency").status_code == 302
