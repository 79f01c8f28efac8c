"""The pages in a real browser: sign-in per role, language switch, forms, errors, axe-core.

Runs against the live server of tests/browser/conftest.py (SQLite, CSRF on, demo data).
"""

from __future__ import annotations

import re

import pytest
from flask_babel import gettext
from playwright.sync_api import expect

from portal.demo import DEMO_PASSWORD
from portal.http import ERROR_TITLES
from portal.navigation import WORKSPACE_HEADINGS
from tests.browser.conftest import (
    DEMO_ROLES,
    DESKTOP,
    MOBILE,
    assert_accessible,
    complete_second_step,
    in_locale,
    login,
    logout,
    screenshot,
)

pytestmark = pytest.mark.browser


def h1(tab):
    return tab.locator("main h1")


# --- signing in and out ------------------------------------------------------------------


@pytest.mark.parametrize("role", DEMO_ROLES)
def test_each_demo_role_signs_in_and_reaches_its_workspace(tab, live_app, role):
    login(tab, role)

    expect(tab).to_have_url(re.compile(r"/dashboard$"))
    expect(h1(tab)).to_have_text(in_locale(live_app, "zh_CN", WORKSPACE_HEADINGS[role]))
    expect(tab.locator(".flash-messages")).to_be_visible()
    # The header now offers the workspace and signing out, not signing in.
    header = tab.locator("header")
    sign_out = in_locale(live_app, "zh_CN", lambda: gettext("Sign out"))
    expect(header.get_by_role("button", name=re.compile(re.escape(sign_out)))).to_be_visible()
    expect(
        header.get_by_role(
            "link", name=in_locale(live_app, "zh_CN", lambda: gettext("Sign in")), exact=True
        )
    ).to_have_count(0)


def test_a_wrong_password_is_refused_with_a_message(tab, live_app):
    login(tab, "staff", password="not-the-password")

    expect(tab).to_have_url(re.compile(r"/login$"))
    expect(tab.locator(".alert-danger")).to_have_text(
        in_locale(live_app, "zh_CN", lambda: gettext("The username or password is wrong."))
    )


def test_signing_out_ends_the_session(tab, live_app):
    login(tab, "worker")
    expect(tab).to_have_url(re.compile(r"/dashboard$"))

    logout(tab)

    expect(tab).to_have_url(re.compile(r"/$"))
    expect(tab.locator(".flash-messages")).to_have_text(
        in_locale(live_app, "zh_CN", lambda: gettext("You have signed out."))
    )
    tab.goto("/dashboard")
    expect(tab).to_have_url(re.compile(r"/login\?next=(/|%2F)dashboard$"))


def test_signing_in_returns_to_the_page_asked_for(tab):
    tab.goto("/admin/users")
    expect(tab).to_have_url(re.compile(r"/login\?next="))
    tab.locator("#username").fill("admin")
    tab.locator("#password").fill(DEMO_PASSWORD)
    tab.locator("main form button[type=submit]").click()
    expect(tab).to_have_url(re.compile(r"/login/verify$"))
    complete_second_step(tab, "admin")

    expect(tab).to_have_url(re.compile(r"/admin/users$"))


# --- language ----------------------------------------------------------------------------


def test_the_header_switches_to_english_and_back(tab, live_app):
    tab.goto("/login")
    expect(tab.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(h1(tab)).to_have_text(in_locale(live_app, "zh_CN", lambda: gettext("Sign in")))

    tab.locator("header").get_by_role("link", name="English").click()

    expect(tab).to_have_url(re.compile(r"/login$"))  # the same tab, now in English
    expect(tab.locator("html")).to_have_attribute("lang", "en")
    expect(h1(tab)).to_have_text("Sign in")
    tab.goto("/")
    expect(h1(tab)).to_have_text("Trustworthy occupational health services for every worker")

    tab.locator("header").get_by_role("link", name="中文").click()

    expect(tab.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(tab.locator("header").get_by_role("link", name="English")).to_be_visible()
    expect(h1(tab)).to_have_text(
        in_locale(
            live_app,
            "zh_CN",
            lambda: gettext("Trustworthy occupational health services for every worker"),
        )
    )


def test_the_chinese_pages_are_translated(tab, live_app):
    """The catalogue is compiled and used: the home page speaks Chinese by default."""
    tab.goto("/")
    heading = h1(tab).inner_text()
    assert re.search(r"[\u4e00-\u9fff]", heading), (
        f"the home page heading is not Chinese: {heading!r}; are the catalogues compiled "
        "(`make setup`)?"
    )
    assert "职业健康" in tab.locator("header .site-name").inner_text()


# --- forms -------------------------------------------------------------------------------


def test_the_register_form_shows_errors_and_keeps_what_was_typed(tab, live_app):
    tab.goto("/register")
    tab.get_by_label(
        in_locale(live_app, "zh_CN", lambda: gettext("Staff of an occupational health agency"))
    ).check()
    tab.locator("#username").fill("ab")  # too short
    tab.locator("#display_name").fill("测试 劳动者")
    tab.locator("#email").fill("tester@example.cn")
    tab.locator("#password").fill("short")
    tab.locator("#confirm").fill("different")
    tab.locator("main form button[type=submit]").click()

    expect(tab).to_have_url(re.compile(r"/register$"))
    summary = tab.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()  # autofocus: the summary is read out first
    # Each field in error says so, next to the field and to assistive technology.
    for field in ("username", "confirm"):
        box = tab.locator(f"#{field}")
        expect(box).to_have_attribute("aria-invalid", "true")
        expect(box).to_have_attribute("aria-describedby", re.compile(rf"\b{field}-error\b"))
        expect(tab.locator(f"#{field}-error")).to_be_visible()
    expect(summary.get_by_role("link")).to_have_count(2)
    # What was typed is kept, except the passwords.
    expect(tab.locator("#username")).to_have_value("ab")
    expect(tab.locator("#display_name")).to_have_value("测试 劳动者")
    expect(tab.locator("#email")).to_have_value("tester@example.cn")
    expect(tab.locator("#role-1")).to_be_checked()
    expect(tab.locator("#password")).to_have_value("")
    # The summary's links lead to the fields.
    summary.get_by_role("link").first.click()
    expect(tab.locator("#username")).to_be_focused()


def test_the_register_form_creates_an_account(tab, live_app):
    tab.goto("/register")
    tab.locator("#username").fill("new-worker")
    tab.locator("#display_name").fill("新劳动者")
    tab.locator("#password").fill("a-long-enough-password")
    tab.locator("#confirm").fill("a-long-enough-password")
    tab.locator("main form button[type=submit]").click()

    expect(tab).to_have_url(re.compile(r"/dashboard$"))
    expect(h1(tab)).to_have_text(in_locale(live_app, "zh_CN", WORKSPACE_HEADINGS["worker"]))


# --- refusals and errors -----------------------------------------------------------------


def test_a_role_without_access_is_refused(tab, live_app):
    login(tab, "worker")

    response = tab.goto("/admin/users")

    assert response.status == 403
    expect(h1(tab)).to_have_text(in_locale(live_app, "zh_CN", ERROR_TITLES[403]))
    expect(tab.locator("main").get_by_role("link").first).to_be_visible()


def test_an_unknown_page_shows_the_404_page(tab, live_app):
    response = tab.goto("/no-such-tab")

    assert response.status == 404
    expect(h1(tab)).to_have_text(in_locale(live_app, "zh_CN", ERROR_TITLES[404]))
    expect(tab).to_have_title(re.compile(r"^404 · "))


# --- without JavaScript, on a phone ------------------------------------------------------


def test_the_portal_works_without_javascript_on_a_phone(new_page, live_app):
    tab = new_page(viewport=MOBILE, java_script_enabled=False)
    tab.goto("/")
    nav = tab.get_by_role(
        "navigation", name=in_locale(live_app, "zh_CN", lambda: gettext("Main navigation"))
    )
    expect(nav.get_by_role("link").first).to_be_visible()
    # Nothing is wider than the screen.
    assert tab.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"]

    login(tab, "admin")

    expect(tab).to_have_url(re.compile(r"/dashboard$"))


# --- accessibility (axe-core) ------------------------------------------------------------


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
@pytest.mark.parametrize("path", ["/", "/login", "/register", "/no-such-page"])
def test_public_pages_are_accessible(new_page, live_server, path, locale):
    tab = new_page()
    tab.context.add_cookies([{"name": "lang", "value": locale, "url": live_server}])
    tab.goto(path)
    assert_accessible(tab)


def test_the_register_form_in_error_is_accessible(tab):
    tab.goto("/register")
    tab.locator("main form button[type=submit]").click()
    expect(tab.locator("#error-summary")).to_be_visible()
    assert_accessible(tab)


@pytest.mark.parametrize("role", DEMO_ROLES)
def test_each_workspace_is_accessible(tab, role):
    login(tab, role)
    expect(tab).to_have_url(re.compile(r"/dashboard$"))
    assert_accessible(tab)


def test_the_admin_pages_are_accessible(tab):
    login(tab, "admin")
    for path in ("/admin/users", "/admin/users/new", "/admin/users?q=nobody-matches"):
        tab.goto(path)
        assert_accessible(tab)
    tab.goto("/admin/users")
    tab.locator("main table a").first.click()
    expect(tab).to_have_url(re.compile(r"/admin/users/\d+$"))
    assert_accessible(tab)


def test_the_403_page_is_accessible(tab):
    login(tab, "member")
    assert tab.goto("/admin/users").status == 403
    assert_accessible(tab)


def test_the_phone_layout_is_accessible_and_fits_the_screen(new_page):
    tab = new_page(viewport=MOBILE)
    for path in ("/", "/login", "/register"):
        tab.goto(path)
        assert tab.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"], path
        assert_accessible(tab)
    login(tab, "admin")
    for path in ("/dashboard", "/admin/users", "/admin/users/new"):
        tab.goto(path)
        assert tab.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"], path
        assert_accessible(tab)


# --- the watcher itself ------------------------------------------------------------------


def test_a_csp_violation_would_be_caught(tab, csp_watch):
    tab.goto("/")
    tab.evaluate("""() => {
        const style = document.createElement('style');
        style.textContent = 'body { color: red; }';
        document.head.appendChild(style);
    }""")
    tab.wait_for_timeout(200)
    assert csp_watch.violations, "an inline <style> should have been reported"
    csp_watch.violations.clear()  # expected here; the fixture fails on any other


def test_axe_would_catch_a_serious_problem(tab):
    tab.goto("/")
    tab.evaluate("""() => {
        const img = document.createElement('img');
        img.src = '/static/img/logo.svg';  // no alt text: a critical problem
        document.querySelector('main').appendChild(img);
    }""")
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(tab)


# --- screenshots (test-artifacts/, to look at) -------------------------------------------


def test_screenshots(new_page, live_server):
    """Pictures to look at (test-artifacts/): zh-CN and en, desktop and phone widths."""
    for width_name, viewport in (("desktop", DESKTOP), ("mobile", MOBILE)):
        tab = new_page(viewport=viewport)
        tab.goto("/")
        screenshot(tab, f"home-zh-{width_name}")
        tab.goto("/login")
        screenshot(tab, f"login-zh-{width_name}")
        tab.goto("/register")
        tab.locator("main form button[type=submit]").click()
        screenshot(tab, f"register-errors-zh-{width_name}")
        login(tab, "admin")
        tab.goto("/admin/users")
        screenshot(tab, f"admin-users-zh-{width_name}")
        tab.goto("/dashboard")
        screenshot(tab, f"dashboard-admin-zh-{width_name}")
        logout(tab)
        login(tab, "worker")
        screenshot(tab, f"dashboard-worker-zh-{width_name}")
        logout(tab)
        tab.context.add_cookies([{"name": "lang", "value": "en", "url": live_server}])
        tab.goto("/")
        screenshot(tab, f"home-en-{width_name}")
        login(tab, "admin")
        tab.goto("/admin/users")
        screenshot(tab, f"admin-users-en-{width_name}")
