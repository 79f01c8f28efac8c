"""Every public read page and every open-data answer can be cached: it carries an ETag and
`Cache-Control: public`, and a repeated conditional request gets 304 with no body. Pages that
take input (forms, tracking, sign-in) and signed-in answers are never cached."""

from __future__ import annotations

import pytest

from portal.members.models import Member
from tests.access import endpoints
from tests.test_access import PUBLIC_BY_NAME

# Public GET endpoints without path parameters that are NOT cacheable, on purpose.
NOT_CACHED = {
    "public.healthz",  # a health check must reach the app
    "api.health",
    "accounts.login",  # forms with a CSRF token
    "accounts.register",
    "accounts.login_verify",  # the second sign-in step: only with a pending sign-in
    "accounts.login_enrol",
    "complaints.new",
    "complaints.receipt",  # shows a secret once
    "complaints.track",
    "mediation.track",
    "complaints.track_data",  # a complainant's own data, behind the receipt code
    "public.home",  # greets the visitor; cheap
    "api.calendar_deadline",  # answers a question, not a published list
    "api.openapi_document",
}


def _cacheable_urls(app) -> list[str]:
    return sorted(
        rule.rule
        for rule, _url, method, _access in endpoints(app)
        if rule.endpoint in PUBLIC_BY_NAME
        and rule.endpoint not in NOT_CACHED
        and method == "GET"
        and not rule.arguments
    )


def test_the_list_covers_the_open_data(app):
    urls = _cacheable_urls(app)
    for expected in (
        "/blacklist",
        "/api/v1/public/blacklist",
        "/open-data/ratings.csv",
        "/feeds/decisions.atom",
        "/members",
        "/committees",
        "/ratings",
    ):
        assert expected in urls


def test_public_pages_answer_a_repeat_with_304(app, client, db):
    for url in _cacheable_urls(app):
        first = client.get(url)
        assert first.status_code == 200, url
        assert first.headers.get("ETag"), url
        assert first.headers["Cache-Control"].startswith("public"), url
        again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304, url
        assert again.get_data() == b"", url


@pytest.mark.parametrize("path", ["/members/{no}", "/api/v1/public/members/{no}"])
def test_a_member_profile_answers_a_repeat_with_304(client, db, path):
    member = Member(name="华康职业健康体检中心", member_no="OHA-2025-00991", province="11")
    db.session.add(member)
    db.session.commit()
    url = path.format(no=member.member_no)
    first = client.get(url)
    assert first.status_code == 200 and first.headers.get("ETag")
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_signed_in_visitors_are_never_cached(client, db, users, login):
    login(users["staff"])
    answer = client.get("/blacklist")
    assert answer.headers["Cache-Control"] == "no-store"
