"""Every mediation endpoint (pages and API) × every kind of user: a role the endpoint does
not admit gets 403; an admitted role with no part in the case gets 404 (no hint that it
exists); staff, the case's panel members and its parties get through."""

from __future__ import annotations

import pytest

from portal.security import PUBLIC
from tests.access import endpoints
from tests.mediation.factories import opened, with_session

# Who has a part in the case (the fixture's case): by people key.
ENTITLED = {"staff", "committee", "worker", "member"}
USERS = ["staff", "committee", "outsider", "worker", "worker2", "member", "member2", "admin"]
VALID_ACTION = {
    "mediation.staff_action": "judicial",
    "mediation.my_action": "document",
    "mediation.agency_action": "document",
    "mediation.panel_action": "document",
}


def mediation_rules(app):
    for rule, _url, method, access in endpoints(app):
        name = rule.endpoint
        if access == PUBLIC:
            continue
        if name.startswith("mediation.") or name.startswith("api.mediation_"):
            yield rule, method, access


def url_for_rule(app, rule, case, session) -> str:
    from flask import url_for

    values = {}
    for argument in rule.arguments:
        values[argument] = {
            "number": case.number,
            "tracking_number": case.complaint.tracking_number,
            "session_id": session.id,
            "key": "D1",
            "action": VALID_ACTION.get(rule.endpoint, "x"),
        }[argument]
    with app.test_request_context():
        return url_for(rule.endpoint, **values)


@pytest.fixture
def case(board, complaint, people):
    case = opened(people, complaint)
    # The legal expert (people["committee"]) is on the panel of this case.
    assert people["committee"].id in {s.user_id for s in case.panel}
    return case


@pytest.mark.parametrize("who", USERS)
def test_each_endpoint_for_each_user(app, client, login, api_token, people, outsider, case, who):
    user = outsider if who == "outsider" else people[who]
    session = with_session(people, case)
    login(user)
    headers = api_token(user)
    checked = 0
    for rule, method, access in mediation_rules(app):
        url = url_for_rule(app, rule, case, session)
        is_api = url.startswith("/api/")
        kwargs = {"headers": headers} if is_api else {}
        if is_api and method in ("POST", "PUT"):
            kwargs["json"] = {}
        response = client.open(url, method=method, **kwargs)
        code = response.status_code
        if user.role not in access:
            assert code == 403, (who, rule.endpoint, code)
        elif who not in ENTITLED and rule.endpoint not in (
            "mediation.staff_list",
            "mediation.my_list",
            "mediation.agency_list",
            "mediation.panel_list",
            "api.mediation_list",
        ):
            assert code == 404, (who, rule.endpoint, code)
        else:
            assert code not in (401, 403, 404), (who, rule.endpoint, code)
        checked += 1
    assert checked >= 30


def test_a_panel_member_lists_only_the_cases_on_their_panel(
    client, login, api_token, people, outsider, case
):
    login(outsider)
    listed = client.get("/api/v1/mediation", headers=api_token(outsider)).get_json()
    assert listed["items"] == []
    assert case.number not in client.get("/panel/mediation").get_data(as_text=True)
    client.post("/logout")
    login(people["committee"])
    listed = client.get("/api/v1/mediation", headers=api_token(people["committee"])).get_json()
    assert [item["number"] for item in listed["items"]] == [case.number]


def test_a_wrong_receipt_code_opens_nothing(client, case):
    response = client.post(
        "/api/v1/mediation/track",
        json={"tracking_number": case.complaint.tracking_number, "receipt_code": "AAAA-BBBB-CCCC"},
    )
    assert response.status_code == 404
