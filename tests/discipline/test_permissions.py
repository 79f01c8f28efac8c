"""Every discipline endpoint (pages and API) against every role, with real objects: the
role rules (403 for the wrong role, a sign-in for nobody) and the object rules (another
agency's decision or report answers 404, like a missing one)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal import clock
from portal.discipline.services import breaches
from portal.extensions import db
from tests.discipline.factories import decided_minor, make_agency, open_case
from tests.factories import make_user

ROLES = ["anonymous", "worker", "member", "other_member", "staff", "committee", "admin"]
STAFF, MEMBER = {"staff"}, {"member", "other_member"}


@pytest.fixture
def world(db, now, staff, agency, agency_user):
    other = make_user("member", username="perm-other")
    make_agency("别家机构", user=other)
    case = open_case(staff, agency)
    decision = decided_minor(staff, agency)
    report = breaches.report_breach(
        agency_user,
        discovered_at=clock.now() - timedelta(hours=5),
        description="数据库被未授权访问。",
    )
    db.session.commit()
    people = {
        "worker": make_user("worker", username="perm-worker"),
        "member": agency_user,
        "other_member": other,
        "staff": staff,
        "committee": make_user("committee", username="perm-committee"),
        "admin": make_user("admin", username="perm-admin"),
    }
    db.session.commit()
    return {"case": case.id, "decision": decision.id, "breach": report.id, "people": people}


def _endpoints(app, ids):
    """(url, method, allowed roles, roles that get 404 as not theirs) per discipline rule."""
    for rule in app.url_map.iter_rules():
        if not (
            rule.endpoint.startswith("discipline.")
            or "discipline" in rule.rule
            or "breach" in rule.rule
        ):
            continue
        if rule.endpoint in ("discipline.decision_letter", "discipline.decision_letter_pdf"):
            continue  # no letter for this decision: tested on its own
        values = {}
        for name in rule.arguments:
            values[name] = {
                "case_id": ids["case"],
                "decision_id": ids["decision"],
                "breach_id": ids["breach"],
                "action": "dismiss" if "cases" in rule.rule else "no-case",
            }[name]
        with app.test_request_context():
            from flask import url_for

            url = url_for(rule.endpoint, **values)
        method = "GET" if "GET" in rule.methods else "POST"
        roles = STAFF if ("/staff/" in url or "/api/v1/discipline" in url) else MEMBER
        not_theirs = (
            {"other_member"} if "decision" in rule.arguments or "/decisions/" in url else set()
        )
        yield url, method, roles, not_theirs


@pytest.mark.parametrize("role", ROLES)
def test_every_endpoint_for_every_role(app, client, login, api_token, world, role):
    person = world["people"].get(role)
    if person is not None:
        login(person)
    headers = api_token(person) if person is not None else {}
    checked = 0
    for url, method, roles, not_theirs in _endpoints(app, world):
        api = url.startswith("/api/")
        response = client.open(url, method=method, headers=headers if api else None)
        code = response.status_code
        if role == "anonymous":
            assert code == (401 if api else 302), (role, method, url, code)
        elif role not in roles:
            assert code == 403, (role, method, url, code)
        elif role in not_theirs:
            assert code == 404, (role, method, url, code)
        elif method == "GET":
            assert code == 200, (role, method, url, code)
        else:
            assert code not in (401, 403), (role, method, url, code)
        checked += 1
    assert checked >= 30


def test_the_letter_exists_only_for_a_recommendation_in_force(client, login, world):
    login(world["people"]["staff"])
    for suffix in ("letter", "letter.pdf"):
        url = f"/staff/discipline/decisions/{world['decision']}/{suffix}"
        assert client.get(url).status_code == 404


def test_evidence_files_are_for_the_secretariat_only(client, login, world, staff, upload_dir):
    from portal.discipline.models import DisciplineCase
    from portal.discipline.services import cases
    from portal.discipline.services.cases import Upload

    case = db.session.get(DisciplineCase, world["case"])
    item = cases.add_evidence(staff, case, "照片", [Upload(b"%PDF-1.4 x", "a.pdf")])
    db.session.commit()
    from portal.uploads import files_of

    uid = files_of("discipline_evidence", item.id)[0].uid
    login(world["people"]["member"])
    assert client.get(f"/files/{uid}").status_code == 404
    client.post("/logout")
    login(staff)
    assert client.get(f"/files/{uid}").status_code == 200
