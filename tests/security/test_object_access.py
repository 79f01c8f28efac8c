# ruff: noqa: F811  (fixture parameters named like the imported fixtures)
"""Object-level access over the whole url_map: every endpoint that names an object is asked,
by every role allowed to reach it, for that role's own object (it must be served) and for
another party's (403 or 404, and nothing of the other party's in the body).

An endpoint whose URL argument is not in ARG_KINDS or NOT_OBJECTS fails the suite: give it a
rule here (and, for a new kind of party object, build one per party in tests/security/world.py).
"""

from __future__ import annotations

import pytest

from portal.members.draft import STEP_KEYS
from portal.security import PUBLIC, Role
from tests.access import endpoints
from tests.complaints.conftest import (  # noqa: F401  (fixtures shared with complaints)
    _default_hash,
    english,
    member,
    now,
    other_member,
    people,
    seeded,
    upload_dir,
)
from tests.factories import DEFAULT_PASSWORD
from tests.security import world as world_module

# URL argument -> the kind of object it names.
ARG_KINDS = {
    # objects that belong to a party (worker, member agency, committee member)
    "tracking_number": "complaint",
    "number": "mediation",
    "application_id": "application",
    "staff_id": "agency_staff",
    "uid": "file",
    "decision_id": "decision",
    "entry_id": "publication_entry",
    "notification_id": "notification",
    "motion_id": "motion",
    # objects only the secretariat (staff, admin) handles
    "case_id": "secretariat",
    "breach_id": "secretariat",
    "figures_id": "secretariat",
    "dispute_id": "secretariat",
    "repair_id": "secretariat",
    "inspection_id": "secretariat",
    "inspector_id": "secretariat",
    "user_id": "secretariat",
    "committee_id": "secretariat",
    "seat_id": "secretariat",
    "tie_id": "secretariat",
    "phrase_id": "secretariat",
    "message_id": "secretariat",
    "session_id": "secretariat",
    "correction_id": "secretariat",
    # published objects, public by nature
    "member_no": "published",
    "decision_no": "published",
}
# URL arguments that choose a view of the object, not an object (a party's scope comes from
# the object argument beside them, or from the signed-in agency itself, e.g. figures/<year>).
NOT_OBJECTS = {"action", "step", "kind", "code", "day", "slot", "key", "year"}
# Values for those arguments that reach the real view (a sample "x" would only 404).
VIEW_VALUES = {"action": "document", "step": STEP_KEYS[0], "slot": "licence", "year": 2026}
SECRETARIAT = frozenset({Role.STAFF, Role.ADMIN})
PARTY_ROLES = (Role.WORKER, Role.MEMBER, Role.COMMITTEE)
ENDS_THE_SESSION = {"accounts.logout"}
# Refusals of another party's object. A change sent with an empty body is refused by its
# validation (400/422) before the object is loaded; it reaches nothing and shows nothing.
REFUSED_READ = {403, 404}
REFUSED_CHANGE = {400, 403, 404, 422}
# Secretariat reads that exist only in a later state than the world's (a letter to the
# regulator once a decision takes effect); the walk does not ask them.
LATER_STATE = {"discipline.decision_letter", "discipline.decision_letter_pdf"}
# Complaint case files are the complaint handlers' (staff), not the administrator's.
NOT_READ_BY = {Role.ADMIN: {"file"}}


def object_endpoints(app):
    """(rule, method, access, kind, object argument) for each endpoint naming an object."""
    for rule, _url, method, access in endpoints(app):
        if not rule.arguments:
            continue
        unknown = set(rule.arguments) - ARG_KINDS.keys() - NOT_OBJECTS
        assert not unknown, (
            f"{rule.endpoint} ({rule.rule}) takes {sorted(unknown)}: add a rule for it to "
            "ARG_KINDS or NOT_OBJECTS in tests/security/test_object_access.py"
        )
        named = [a for a in sorted(rule.arguments) if a in ARG_KINDS]
        if not named:
            continue
        named.sort(key=lambda a: ARG_KINDS[a] in ("secretariat", "published"))
        yield rule, method, access, ARG_KINDS[named[0]], named[0]


def test_every_object_argument_has_a_rule(app):
    assert len(list(object_endpoints(app))) > 100


def test_secretariat_objects_are_reached_by_the_secretariat_only(app):
    opened = [
        (rule.endpoint, sorted(access - SECRETARIAT))
        for rule, _m, access, kind, _a in object_endpoints(app)
        if kind == "secretariat" and access != PUBLIC and not access <= SECRETARIAT
    ]
    assert opened == [], (
        "these endpoints open a secretariat object to another role: give the object a party "
        "rule (ARG_KINDS) and a per-party object in tests/security/world.py"
    )


def test_published_objects_are_on_public_pages_or_secretariat_ones(app):
    for rule, _m, access, kind, _a in object_endpoints(app):
        if kind == "published":
            assert access == PUBLIC or access <= SECRETARIAT, rule.endpoint


def _url(app, rule, arg: str, ref: str) -> str:
    from flask import url_for

    values = {}
    for name in rule.arguments:
        if name == arg:
            values[name] = ref
        elif name in VIEW_VALUES:
            values[name] = VIEW_VALUES[name]
        else:
            values[name] = "x"
    with app.test_request_context():
        return url_for(rule.endpoint, **values)


@pytest.fixture
def world(db, seeded, now, people, member, other_member, upload_dir):
    return world_module.build(people, member, other_member)


def _ask(client, url: str, method: str, token):
    if url.startswith("/api/"):
        body = {"json": {}} if method != "GET" else {}
        return client.open(url, method=method, headers=token, **body)
    return client.open(url, method=method, data={} if method != "GET" else None)


def _sign_in_as(client, login, api_token, user, current):
    if current.get("user") is not user:
        if current.get("user") is not None:
            client.post("/logout")
        login(user)
        current.update(user=user, token=api_token(user))
    return current["token"]


def test_each_party_reaches_its_own_objects_and_never_another_partys(
    app, client, login, api_token, world
):
    problems, checked, current = [], 0, {}
    plan = sorted(
        object_endpoints(app), key=lambda item: (item[0].endpoint in ENDS_THE_SESSION, item[3])
    )
    for role in Role:
        for rule, method, access, kind, arg in plan:
            if access == PUBLIC or role not in access or kind in ("secretariat", "published"):
                continue
            if rule.endpoint in ENDS_THE_SESSION:
                continue
            if role in SECRETARIAT:
                if (
                    method != "GET"
                    or kind not in world.staff_sees
                    or rule.endpoint in LATER_STATE
                    or kind in NOT_READ_BY.get(role, ())
                ):
                    continue
                token = _sign_in_as(client, login, api_token, world.people[role.value], current)
                url = _url(app, rule, arg, world.staff_sees[kind])
                status = _ask(client, url, method, token).status_code
                if status in (401, 403, 404):
                    problems.append(f"{role} refused its object: {method} {url} -> {status}")
                checked += 1
                continue
            party = world.parties.get((kind, role.value))
            if party is None:
                problems.append(
                    f"{rule.endpoint} lets {role} reach a {kind} but the world has no {role} "
                    f"party for it: add one in tests/security/world.py"
                )
                continue
            token = _sign_in_as(client, login, api_token, party.user, current)
            other_url = _url(app, rule, arg, party.other)
            answer = _ask(client, other_url, method, token)
            refused = REFUSED_READ if method == "GET" else REFUSED_CHANGE
            if answer.status_code not in refused:
                problems.append(
                    f"{role} reached another party's {kind}: {method} {other_url} -> "
                    f"{answer.status_code}"
                )
            body = answer.get_data(as_text=True)
            if party.other_marker and party.other_marker in body:
                problems.append(f"{role} saw another party's data at {method} {other_url}")
            if method == "GET":  # own objects are read, never changed, by the walk
                own_url = _url(app, rule, arg, party.own)
                status = _ask(client, own_url, method, token).status_code
                if status in (401, 403, 404):
                    problems.append(f"{role} refused its own {kind}: GET {own_url} -> {status}")
            checked += 1
    assert problems == [], "\n".join(problems)
    assert checked > 50


def test_a_recused_committee_member_cannot_vote_by_page_or_api(client, login, api_token, world):
    voter, motion_id = world.refs["recused_motion"]
    login(voter)
    page = client.post(
        f"/committee/motions/{motion_id}/vote",
        data={"choice": "yes", "password": DEFAULT_PASSWORD},
    )
    assert page.status_code in (303, 403), page.status_code
    if page.status_code == 303:  # refused with a message on the motion's page
        shown = client.get(page.headers["Location"]).get_data(as_text=True)
        assert "recused" in shown, shown[:2000]
    api = client.post(
        f"/api/v1/motions/{motion_id}/votes",
        json={"choice": "yes", "password": DEFAULT_PASSWORD},
        headers=api_token(voter),
    )
    assert api.status_code == 403, api.get_json()
    assert "recused" in api.get_json()["error"]["message"]
    from portal.committees.models import Vote
    from portal.extensions import db

    assert db.session.query(Vote).filter_by(motion_id=motion_id).count() == 0
