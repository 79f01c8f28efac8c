"""Browser tests: the system Chromium driven by Playwright against a live server.

The live server runs a separate app on SQLite with CSRF on, loaded with the demo data
(portal.demo). Every page opened through the `tab` and `new_page` fixtures is watched for
Content-Security-Policy violations; `assert_accessible(page)` runs axe-core.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from portal import clock, create_app
from portal.demo import DEMO_PASSWORD, DEMO_USERS
from portal.extensions import db
from tests.databases import suite_config

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HERE = Path(__file__).resolve().parent
ARTIFACTS = HERE.parent.parent / "test-artifacts"
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 390, "height": 844}

# Demo usernames by role (the role value is the username in portal.demo).
DEMO_ROLES = [username for username, _role, _name in DEMO_USERS]

# Every page gets this: CSP violations reach the console with a recognisable prefix.
_CSP_LISTENER = """
document.addEventListener('securitypolicyviolation', (e) => {
  console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline')
                + ' at ' + (e.sourceFile || document.location.href) + ':' + e.lineNumber);
});
"""
_CSP_MESSAGE = re.compile(r"CSP violation|Content Security Policy", re.IGNORECASE)

SERIOUS = {"serious", "critical"}

_live: dict = {}  # the live app, for helpers that read its database


def pytest_collection_modifyitems(config, items):
    """Mark every test in this folder `browser`; skip them all when Chromium is absent."""
    skip = pytest.mark.skip(reason=f"browser tests need Chromium at {CHROMIUM}, which is absent")
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists():
                item.add_marker(skip)


# --- the live server ---------------------------------------------------------------------


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browser")
    app = create_app(
        {
            **suite_config(),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/browser.sqlite3",
            "UPLOAD_DIR": str(tmp / "uploads"),
            "WTF_CSRF_ENABLED": True,
            "SERVER_NAME": None,
        }
    )
    with app.app_context():
        from portal.demo import seed_demo

        db.create_all()
        seed_demo()
        db.session.commit()
    _live["app"] = app
    yield app
    _live.pop("app", None)
    clock.reset()  # a sign-in may have moved it (see fresh_demo_code)
    with app.app_context():
        db.engine.dispose()


def _files_read_at_once(app):
    """Serve static files from memory.

    Werkzeug's development server can skip closing a response's file when the browser
    drops the connection mid-transfer (it navigates on before an image finishes); the
    leaked handle then surfaces as a ResourceWarning in an unrelated test.
    """

    def read_whole_file(file, _buffer_size=8192):
        with file:
            return [file.read()]

    def wsgi(environ, start_response):
        environ["wsgi.file_wrapper"] = read_whole_file
        return app(environ, start_response)

    return wsgi


@pytest.fixture(scope="session")
def live_server(live_app) -> Iterator[str]:
    """The base URL of the portal served on 127.0.0.1 at a free port."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, _files_read_at_once(live_app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


# --- Chromium ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Chromium at {CHROMIUM}, which is absent")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


class CspWatch:
    """The CSP violations and console errors logged by one browser context."""

    def __init__(self):
        self.violations: list[str] = []
        self.errors: list[str] = []

    def on_console(self, message) -> None:
        if message.type != "error":
            return
        self.errors.append(message.text)
        if _CSP_MESSAGE.search(message.text):
            self.violations.append(message.text)


@pytest.fixture
def csp_watch() -> CspWatch:
    return CspWatch()


@pytest.fixture
def new_page(chromium, live_server, csp_watch):
    """new_page(viewport=..., locale=...) -> a page in a fresh context (fresh cookies)."""
    contexts = []

    def make(viewport: dict | None = None, **options):
        context = chromium.new_context(
            base_url=live_server,
            viewport=viewport or DESKTOP,
            locale=options.pop("locale", "zh-CN"),
            **options,
        )
        context.set_default_timeout(10_000)
        context.add_init_script(_CSP_LISTENER)
        contexts.append(context)
        page = context.new_page()
        page.on("console", csp_watch.on_console)
        return page

    yield make
    for context in contexts:
        context.close()
    assert not csp_watch.violations, "CSP violations:\n" + "\n".join(csp_watch.violations)


@pytest.fixture
def tab(new_page):
    """A desktop-sized page in Chinese (the default language). Not named `page`, so that
    pytest-playwright's own fixtures and browser parametrization stay out of the way."""
    return new_page()


# --- helpers -----------------------------------------------------------------------------


def login(page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the login form, as a person would (with the code from the demo
    authenticator for staff, committee members and administrators)."""
    # Before the password: finding a fresh code may move the portal's clock, which would
    # otherwise age the five-minute pending sign-in past its end.
    code = fresh_demo_code(username)
    page.goto("/login")
    page.locator("#username").fill(username)
    page.locator("#password").fill(password)
    # Wait for the answer to the POST itself: a loaded state alone may still be the form's
    # page on a busy machine, and the second step would then be skipped.
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    complete_second_step(page, username, code)


def complete_second_step(page, username: str, code: str | None = None) -> None:
    """On the second step of the sign-in, type the demo account's current TOTP code."""
    if not re.search(r"/login/verify$", page.url):
        return
    page.locator("#code").fill(code or fresh_demo_code(username))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def fresh_demo_code(username: str) -> str:
    """A code the live portal has not accepted yet for this demo account. A step is
    accepted once; when this one (and the next, within the drift allowed) is spent, the
    portal's clock moves on to a later step, as if the person waited."""
    import pyotp
    from sqlalchemy import select

    from portal.accounts.models import User, UserTotp
    from portal.accounts.two_factor import STEP_SECONDS, current_step
    from portal.demo import demo_totp_secret

    with _live["app"].app_context():
        last_step = db.session.scalar(
            select(UserTotp.last_step)
            .join(User, User.id == UserTotp.user_id)
            .where(User.username == username)
        )
        db.session.remove()
    step = current_step()
    if last_step is not None and last_step >= step:
        if last_step > step:
            clock.set_now(clock.now() + timedelta(seconds=(last_step - step) * STEP_SECONDS))
        step = last_step + 1
    return pyotp.TOTP(demo_totp_secret(username), interval=STEP_SECONDS).at(step * STEP_SECONDS)


def logout(page) -> None:
    page.locator("header form[action$='/logout'] button[type=submit]").click()
    page.wait_for_load_state()


def _describe(violation: dict) -> str:
    nodes = "\n".join(
        f"      {' '.join(map(str, node.get('target', [])))}: "
        f"{(node.get('failureSummary') or '').replace(chr(10), ' | ')}"
        for node in violation.get("nodes", [])
    )
    return (
        f"  [{violation.get('impact')}] {violation['id']}: {violation.get('help')}"
        f" ({violation.get('helpUrl')})\n{nodes}"
    )


def assert_no_csp_violations(watch: CspWatch) -> None:
    assert not watch.violations, "CSP violations:\n" + "\n".join(watch.violations)


def assert_accessible(page, *, allow: tuple[str, ...] = ()) -> None:
    """axe-core finds no serious or critical violation on the page (rule ids in `allow`
    are ignored). Every violation found is printed, whatever its impact."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    violations = results.response.get("violations", [])
    if violations:
        print(f"\naxe on {page.url}:\n" + "\n".join(_describe(v) for v in violations))
    blocking = [v for v in violations if v.get("impact") in SERIOUS and v["id"] not in allow]
    assert not blocking, f"axe found serious problems on {page.url}:\n" + "\n".join(
        _describe(v) for v in blocking
    )


def in_locale(app, locale: str, message) -> str:
    """A message (lazy string or callable) as the portal shows it in `locale` (zh_CN or en)."""
    with app.test_request_context("/", headers={"Cookie": f"lang={locale}"}):
        return str(message() if callable(message) else message)


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
