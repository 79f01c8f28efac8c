"""Every publication endpoint × every role (pages and API): public ones open to all, the
agency's steps to member users only (and only on their own agency's entries), the queues to
the secretariat only. tests/test_access.py walks the same rules over the whole url_map."""

from __future__ import annotations

from datetime import date

import pytest

from tests.publication.conftest import commit
from tests.publication.factories import make_entry

ROLES = ("worker", "member", "staff", "committee", "admin")


@pytest.fixture
def entry(member, now):
    made = make_entry(member, level="general", took_effect_on=date(2026, 2, 1), months=12)
    commit()
    return made


def pages(entry) -> dict[str, set[str]]:
    """GET path -> the roles that may open it (None: everybody, signed in or not)."""
    return {
        "/blacklist": set(ROLES),
        "/decisions": set(ROLES),
        f"/decisions/{entry.decision_no}": set(ROLES),
        "/open-data": set(ROLES),
        "/open-data/blacklist.csv": set(ROLES),
        "/open-data/decisions.csv": set(ROLES),
        "/feeds/blacklist.atom": set(ROLES),
        "/feeds/decisions.atom": set(ROLES),
        "/agency/publication": {"member"},
        f"/agency/publication/{entry.id}": {"member"},
        "/staff/publication/disputes": {"staff"},
        "/staff/publication/repairs": {"staff"},
    }


def api(entry) -> dict[str, set[str]]:
    return {
        "/api/v1/public/blacklist": set(ROLES),
        "/api/v1/public/decisions": set(ROLES),
        f"/api/v1/public/decisions/{entry.decision_no}": set(ROLES),
        "/api/v1/agency/publication": {"member"},
        f"/api/v1/agency/publication/{entry.id}": {"member"},
        "/api/v1/staff/publication/disputes": {"staff"},
        "/api/v1/staff/publication/repairs": {"staff"},
    }


def test_anonymous_visitors_reach_the_public_register_only(client, people, entry):
    for path, allowed in {**pages(entry), **api(entry)}.items():
        status = client.get(path).status_code
        if allowed == set(ROLES):
            assert status == 200, path
        elif path.startswith("/api/"):
            assert status == 401, path
        else:
            assert status == 302, path


@pytest.mark.parametrize("role", ROLES)
def test_each_role_on_each_endpoint(client, sign_in, api_token, people, entry, role):
    user = people[role]
    sign_in(user)
    for path, allowed in pages(entry).items():
        assert client.get(path).status_code == (200 if role in allowed else 403), (role, path)
    headers = api_token(user)
    for path, allowed in api(entry).items():
        status = client.get(path, headers=headers).status_code
        assert status == (200 if role in allowed else 403), (role, path)
    posts = {
        f"/agency/publication/{entry.id}/statement": "member",
        f"/agency/publication/{entry.id}/dispute": "member",
        f"/agency/publication/{entry.id}/repair": "member",
        "/staff/publication/disputes/1/answer": "staff",
        "/staff/publication/repairs/1/decision": "staff",
    }
    for path, only in posts.items():
        status = client.post(path, data={}).status_code
        assert (status != 403) == (role == only), (role, path, status)


def test_another_agency_gets_404_on_an_entry_not_its_own(client, sign_in, api_token, people, entry):
    sign_in(people["member2"])
    assert client.get(f"/agency/publication/{entry.id}").status_code == 404
    for step in ("statement", "dispute", "repair"):
        assert client.post(f"/agency/publication/{entry.id}/{step}", data={}).status_code == 404
    headers = api_token(people["member2"])
    assert client.get(f"/api/v1/agency/publication/{entry.id}", headers=headers).status_code == 404
    put = client.put(
        f"/api/v1/agency/publication/{entry.id}/statement", json={"statement": "x"}, headers=headers
    )
    assert put.status_code == 404


def test_the_pages_render_in_chinese(client, app, monkeypatch, people, entry):
    monkeypatch.setitem(app.config, "BABEL_DEFAULT_LOCALE", "zh_CN")
    for path in ("/blacklist", "/decisions", f"/decisions/{entry.decision_no}", "/open-data"):
        assert client.get(path).status_code == 200, path
