"""Deny by default, proved over the whole url_map.

A new endpoint fails this suite unless it declares who may use it; one declared
public must be added to PUBLIC_BY_NAME on purpose.
"""

from __future__ import annotations

import pytest

from portal.security import PUBLIC, Role
from tests.access import allowed_roles, endpoints

# Every endpoint anyone may use without signing in. Adding one here is a decision.
PUBLIC_BY_NAME = {
    "public.home",
    "public.set_language",
    "public.healthz",
    "accounts.login",
    "accounts.login_verify",  # the second step: needs the pending state of a right password
    "accounts.login_enrol",  # likewise, for a user who has not set up TOTP yet
    "accounts.register",
    "api.issue_token_route",
    "api.register_account",
    "api.openapi_document",
    "api.health",
    "api.calendar_deadline",
    "complaints.new",
    "complaints.receipt",
    "complaints.track",
    "complaints.track_material",
    "complaints.statistics",
    "complaints.statistics_chart",
    "api.complaint_file",
    "api.complaint_track",
    "api.complaint_add_material",
    "api.complaint_stats",
    "complaints.track_data",
    "api.privacy_track_data",
    "api.privacy_track_correction",
    "mediation.track",
    "mediation.track_action",
    "api.mediation_track",
    "api.mediation_track_consent",
    "api.mediation_track_decline",
    "api.mediation_track_confirm",
    "api.mediation_track_file",
    "members.directory",
    "members.profile",
    "api.public_members",
    "api.public_member",
    "public_register.committees",
    "public_register.resolution",
    "api.public_committees",
    "api.public_resolutions",
    "api.public_resolution",
    "publication.blacklist",
    "publication.decisions",
    "publication.decision",
    "publication.open_data",
    "publication.blacklist_csv",
    "publication.decisions_csv",
    "publication.blacklist_feed",
    "publication.decisions_feed",
    "api.public_blacklist",
    "api.public_decisions",
    "api.public_decision",
    "ratings.index",
    "ratings.formula",
    "ratings.history_chart",
    "ratings.ratings_csv",
    "api.public_ratings",
    "api.public_rating_history",
    "inspections.index",
    "inspections.draw_page",
    "inspections.draw_json",
    "inspections.members_txt",
    "api.public_inspection_years",
    "api.public_inspection_draw",
}

# Walked last on their own (they would sign the walking client out).
ENDS_THE_SESSION = {"accounts.logout"}


def test_every_endpoint_declares_an_access_rule(app):
    undeclared = [rule.endpoint for rule, _u, _m, access in endpoints(app) if access is None]
    assert undeclared == []


def test_public_endpoints_are_exactly_the_named_ones(app):
    public = {rule.endpoint for rule, _u, _m, access in endpoints(app) if access == PUBLIC}
    assert public == PUBLIC_BY_NAME & public, f"public but not named: {public - PUBLIC_BY_NAME}"
    assert public - PUBLIC_BY_NAME == set()


def test_anonymous_visitors_are_refused_everywhere_else(app, client):
    checked = 0
    for rule, url, method, access in endpoints(app):
        if access == PUBLIC:
            continue
        response = client.open(url, method=method)
        if url.startswith("/api/"):
            assert response.status_code == 401, (rule.endpoint, response.status_code)
            assert response.get_json()["error"]["code"] == "unauthorized"
        else:
            assert response.status_code == 302, (rule.endpoint, response.status_code)
            assert "/login" in response.headers["Location"]
        checked += 1
    assert checked > 0


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_each_role_reaches_only_what_it_may(app, client, users, login, api_token, role):
    user = users[role]
    login(user)
    headers = api_token(user)
    for rule, url, method, access in endpoints(app):
        if rule.endpoint in ENDS_THE_SESSION:
            continue
        is_api = url.startswith("/api/")
        response = client.open(url, method=method, headers=headers if is_api else None)
        if role in allowed_roles(access):
            assert response.status_code not in (401, 403), (
                role,
                rule.endpoint,
                response.status_code,
            )
        else:
            assert response.status_code == 403, (role, rule.endpoint, response.status_code)
            if is_api:
                assert response.get_json()["error"]["code"] == "forbidden"
