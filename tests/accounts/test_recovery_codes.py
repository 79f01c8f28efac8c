"""A user renews their own recovery codes, proving with a current app code that they still
hold the phone; the old codes stop working at once. Pages and API."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal import audit
from portal.accounts import two_factor
from portal.errors import ValidationFailed
from tests.sign_in import fresh_code


def _codes(html: str) -> list[str]:
    return re.findall(r"<code class=\"fs-6\">([a-z0-9-]+)</code>", html)


def _issued(db) -> int:
    actions = db.session.scalars(select(audit.AuditEntry.action))
    return sum(1 for action in actions if action == "user.recovery_codes_issued")


def test_new_codes_replace_the_old_ones(db, users):
    staff = users["staff"]
    old = two_factor.issue_recovery_codes(staff)
    new = two_factor.regenerate_recovery_codes(staff, fresh_code(staff))
    assert len(new) == 10 and not set(new) & set(old)
    assert two_factor.verify_second_factor(staff, old[0]) is None
    assert two_factor.verify_second_factor(staff, new[0]) == "recovery_code"
    assert two_factor.remaining_recovery_codes(staff) == 9


@pytest.mark.parametrize("proof", ["000000", "", "recovery"])
def test_only_a_current_app_code_proves_it(db, users, proof):
    staff = users["staff"]
    old = two_factor.issue_recovery_codes(staff)
    code = old[1] if proof == "recovery" else proof  # a recovery code may be what was lost
    with pytest.raises(ValidationFailed) as refused:
        two_factor.regenerate_recovery_codes(staff, code)
    assert "code" in refused.value.fields


def test_the_page_shows_what_is_left_and_renews(client, login, db, users):
    committee = users["committee"]
    login(committee)
    page = client.get("/account/two-factor")
    assert page.status_code == 200 and "Recovery codes left" in page.text
    assert "no-store" in page.headers["Cache-Control"]
    before = _issued(db)
    wrong = client.post("/account/two-factor", data={"code": "000000"})
    assert wrong.status_code == 422 and "Enter the 6-digit code" in wrong.text
    assert _issued(db) == before
    done = client.post("/account/two-factor", data={"code": fresh_code(committee)})
    assert done.status_code == 200 and "no-store" in done.headers["Cache-Control"]
    assert "old recovery codes no longer work" in done.text
    codes = _codes(done.text)
    assert len(codes) == 10
    assert _issued(db) == before + 1
    assert two_factor.verify_second_factor(committee, codes[3]) == "recovery_code"


def test_the_api_renews_with_otp_and_names_the_field(client, api_token, db, users):
    admin = users["admin"]
    headers = api_token(admin)
    status = client.get("/api/v1/me/two-factor", headers=headers).get_json()
    assert status["enrolled_at"] is not None
    wrong = client.post(
        "/api/v1/me/two-factor/recovery-codes", json={"otp": "000000"}, headers=headers
    )
    assert wrong.status_code == 422 and "otp" in wrong.get_json()["error"]["fields"]
    done = client.post(
        "/api/v1/me/two-factor/recovery-codes", json={"otp": fresh_code(admin)}, headers=headers
    )
    assert done.status_code == 200 and done.headers["Cache-Control"] == "no-store"
    codes = done.get_json()["codes"]
    assert len(codes) == 10
    left = client.get("/api/v1/me/two-factor", headers=headers).get_json()
    assert left["recovery_codes_left"] == 10


@pytest.mark.parametrize("role", ["worker", "member"])
def test_roles_without_a_second_factor_have_no_such_page(client, login, users, role):
    login(users[role])
    assert client.get("/account/two-factor").status_code == 403
