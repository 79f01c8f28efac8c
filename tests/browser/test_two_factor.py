"""Two-factor sign-in as a new secretariat colleague meets it: enrolment with the QR code,
the recovery codes shown once, and a later sign-in with one of them."""

from __future__ import annotations

import re
from datetime import timedelta

import pyotp
import pytest
from playwright.sync_api import expect

from portal import clock
from portal.accounts import services
from portal.demo import DEMO_PASSWORD
from portal.extensions import db
from portal.security import Role
from tests.browser.conftest import assert_accessible, logout, screenshot

pytestmark = pytest.mark.browser
USERNAME = "new-colleague"


def _password_step(tab) -> None:
    tab.goto("/login")
    tab.locator("#username").fill(USERNAME)
    tab.locator("#password").fill(DEMO_PASSWORD)
    tab.locator("main form button[type=submit]").click()


def test_a_new_colleague_enrols_and_later_signs_in_with_a_recovery_code(tab, live_app):
    with live_app.app_context():
        services.create_user(
            username=USERNAME, password=DEMO_PASSWORD, display_name="赵新", role=Role.STAFF
        )
        db.session.commit()
    _password_step(tab)
    expect(tab).to_have_url(re.compile(r"/login/enrol$"))
    expect(tab.locator(".totp-qr svg")).to_be_visible()
    assert_accessible(tab)
    screenshot(tab, "two-factor-enrol")

    secret = tab.locator("dd code").first.inner_text().replace(" ", "")
    tab.locator("#code").fill(pyotp.TOTP(secret).at(clock.now()))
    tab.locator("main form button[type=submit]").click()
    codes = tab.locator(".recovery-codes code")
    expect(codes).to_have_count(10)
    assert_accessible(tab)
    screenshot(tab, "two-factor-recovery-codes")
    recovery = codes.first.inner_text()
    tab.locator("main a.btn-primary").click()
    expect(tab.locator("header form[action$='/logout']")).to_be_visible()
    logout(tab)

    _password_step(tab)
    expect(tab).to_have_url(re.compile(r"/login/verify$"))
    expect(tab.locator("#code")).to_have_attribute("autocomplete", "one-time-code")
    assert_accessible(tab)
    screenshot(tab, "two-factor-verify")
    tab.locator("#code").fill(recovery)
    tab.locator("main form button[type=submit]").click()
    expect(tab.locator("header form[action$='/logout']")).to_be_visible()

    tab.goto("/account/two-factor")  # nine codes left: make ten new ones
    expect(tab.locator("main dl")).to_contain_text("9")
    assert_accessible(tab)
    screenshot(tab, "two-factor-settings")
    next_step = clock.now() + timedelta(seconds=30)  # the enrolment's step is spent
    tab.locator("#code").fill(pyotp.TOTP(secret).at(next_step))
    tab.locator("main form button[type=submit]").click()
    expect(tab.locator(".recovery-codes code")).to_have_count(10)
    expect(tab.locator("main .alert")).to_contain_text("旧的恢复码已全部失效")
    logout(tab)

    _password_step(tab)  # the same recovery code a second time: refused
    tab.locator("#code").fill(recovery)
    tab.locator("main form button[type=submit]").click()
    expect(tab).to_have_url(re.compile(r"/login/verify$"))
    expect(tab.locator("#code")).to_have_attribute("aria-invalid", "true")
