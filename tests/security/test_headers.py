"""Every answer, whatever its status and whoever asks, carries the security headers; signed-in
answers and answers holding personal data are never stored by a cache (ASVS L2, V14.4 / V8.2)."""

from __future__ import annotations

import re

import pytest

from portal import create_app
from portal.crypto import generate_key
from portal.extensions import db as _db
from portal.http import HSTS
from portal.security import PUBLIC, Role
from tests.access import endpoints
from tests.factories import DEFAULT_PASSWORD, make_user

STRICT_REFERRERS = {
    "no-referrer",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
}
ENDS_THE_SESSION = {"accounts.logout"}


def csp_directives(policy: str) -> dict[str, list[str]]:
    directives = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives.setdefault(words[0].lower(), words[1:])
    return directives


def header_problems(response, *, production: bool = False) -> list[str]:
    """What is wrong with the security headers of one answer (empty when nothing)."""
    headers, problems = response.headers, []
    policy = headers.get("Content-Security-Policy")
    if not policy:
        return ["no Content-Security-Policy"]
    csp = csp_directives(policy)
    scripts = csp.get("script-src", csp.get("default-src"))
    if scripts is None or not set(scripts) <= {"'self'", "'none'"}:
        problems.append(f"script sources {scripts}")
    expected = {
        "frame-ancestors": {"'none'"},
        "object-src": {"'none'"},
        "base-uri": {"'none'", "'self'"},
        "form-action": {"'self'", "'none'"},
    }
    for name, allowed in expected.items():
        if csp.get(name) is None or len(csp[name]) != 1 or csp[name][0] not in allowed:
            problems.append(f"{name} {csp.get(name)}")
    if headers.get("X-Content-Type-Options") != "nosniff":
        problems.append("no nosniff")
    if headers.get("Referrer-Policy") not in STRICT_REFERRERS:
        problems.append(f"Referrer-Policy {headers.get('Referrer-Policy')}")
    hsts = headers.get("Strict-Transport-Security")
    if production and hsts != HSTS:
        problems.append(f"HSTS {hsts}")
    if not production and hsts is not None:
        problems.append("HSTS outside production")
    return problems


def _walk(client, *, headers=None, skip=frozenset()):
    app = client.application
    for rule, url, method, access in endpoints(app):
        if rule.endpoint in skip:
            continue
        is_api = url.startswith("/api/")
        yield rule, access, client.open(url, method=method, headers=headers if is_api else None)


def test_hsts_is_a_year_with_subdomains():
    assert HSTS == "max-age=31536000; includeSubDomains"


def test_anonymous_answers_everywhere_carry_the_headers(client):
    walked = 0
    for rule, access, response in _walk(client):
        problems = header_problems(response)
        assert problems == [], (rule.endpoint, response.status_code, problems)
        cache = response.headers.get("Cache-Control", "")
        if cache != "no-store":
            # Only a public page that chose caching (@cacheable) may be stored.
            assert access == PUBLIC and cache.startswith("public"), (rule.endpoint, cache)
            assert response.status_code in (200, 304), (rule.endpoint, response.status_code)
        walked += 1
    assert walked > 200


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_signed_in_answers_carry_the_headers_and_are_never_stored(
    client, users, login, api_token, role
):
    user = users[role]
    login(user)
    token = api_token(user)
    walked = 0
    for rule, _access, response in _walk(client, headers=token, skip=ENDS_THE_SESSION):
        problems = header_problems(response)
        assert problems == [], (role, rule.endpoint, response.status_code, problems)
        assert response.headers.get("Cache-Control") == "no-store", (
            role,
            rule.endpoint,
            response.status_code,
            response.headers.get("Cache-Control"),
        )
        walked += 1
    assert walked > 200
    response = client.post("/logout")
    assert header_problems(response) == [] and response.headers["Cache-Control"] == "no-store"


def test_answers_that_may_be_cached_are_stored_for_anonymous_visitors_only(client, users, login):
    anonymous = client.get("/blacklist")
    assert anonymous.status_code == 200
    assert anonymous.headers["Cache-Control"].startswith("public")
    assert "Cookie" in anonymous.headers.get("Vary", "")
    login(users["member"])
    signed_in = client.get("/blacklist")
    assert signed_in.status_code == 200 and signed_in.headers["Cache-Control"] == "no-store"


def test_a_public_api_answer_asked_with_a_bearer_token_is_not_stored(client, users, api_token):
    anonymous = client.get("/api/v1/public/blacklist")
    assert anonymous.headers["Cache-Control"].startswith("public")
    with_token = client.get("/api/v1/public/blacklist", headers=api_token(users["worker"]))
    assert with_token.status_code == 200 and with_token.headers["Cache-Control"] == "no-store"


def test_anonymous_complaint_receipt_and_tracking_are_not_stored(client, db):
    from tests.complaints.conftest import file

    filed = file(None, None)
    number = filed.complaint.tracking_number
    answers = [
        client.get("/complaints/receipt"),
        client.get("/complaints/track"),
        client.post(
            "/complaints/track",
            data={"tracking_number": number, "receipt_code": filed.receipt_code},
        ),
        client.post(
            "/api/v1/complaints/track",
            json={"tracking_number": number, "receipt_code": filed.receipt_code},
        ),
        client.get("/mediation/track"),
    ]
    assert answers[2].status_code == 200 and number in answers[2].get_data(as_text=True)
    for answer in answers:
        assert answer.headers["Cache-Control"] == "no-store", answer.request.path
        assert header_problems(answer) == []


def test_a_view_that_sets_its_own_policy_still_gets_the_required_directives(client):
    chart = client.get("/complaints/statistics/category.svg")
    assert chart.status_code == 200 and chart.headers["Cache-Control"].startswith("public")
    assert header_problems(chart) == [], chart.headers.get("Content-Security-Policy")


def test_pages_hold_no_inline_scripts_or_handlers(client, users, login):
    login(users["member"])
    for url in ("/", "/dashboard", "/login", "/complaints/new"):
        html = client.get(url).get_data(as_text=True)
        for tag in re.findall(r"<script[^>]*>", html):
            assert "src=" in tag, (url, tag)
        assert not re.search(r"\son[a-z]+\s*=", html), url


# -- production -----------------------------------------------------------------------------


@pytest.fixture
def production_app(tmp_path):
    app = create_app(
        {
            "ENV_NAME": "production",
            "SECRET_KEY": "prod-secret-for-tests",
            "DATA_KEYS": {"k1": generate_key()},
            "DATA_KEY_ID": "k1",
            "BLIND_INDEX_KEY": generate_key(),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/prod.sqlite3",
            "UPLOAD_DIR": str(tmp_path / "uploads"),
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        _db.create_all()
        make_user("worker", username="prod-worker")
        _db.session.commit()
    yield app
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


def _csrf_token(html: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    assert found, "no CSRF token on the sign-in form"
    return found.group(1)


def test_production_session_cookie_and_hsts(production_app):
    client = production_app.test_client()
    base = "https://localhost"
    form = client.get("/login", base_url=base)
    assert header_problems(form, production=True) == []
    response = client.post(
        "/login",
        base_url=base,
        data={
            "username": "prod-worker",
            "password": DEFAULT_PASSWORD,
            "csrf_token": _csrf_token(form.get_data(as_text=True)),
        },
        headers={"Referer": f"{base}/login"},
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    assert header_problems(response, production=True) == []
    cookies = [value for name, value in response.headers.items() if name == "Set-Cookie"]
    session_cookies = [c for c in cookies if c.startswith("__Host-session=")]
    assert len(session_cookies) == 1, cookies
    attributes = {
        part.strip().split("=")[0].lower(): part for part in session_cookies[0].split(";")
    }
    assert {"secure", "httponly"} <= attributes.keys()
    assert attributes["samesite"].strip() == "SameSite=Lax"
    assert attributes["path"].strip() == "Path=/"
    assert "domain" not in attributes
    for cookie in cookies:  # whatever else is set (remember-me, language) is Secure too
        assert "Secure" in cookie, cookie
    signed_in = client.get("/dashboard", base_url=base)
    assert signed_in.status_code == 200
    assert signed_in.headers["Cache-Control"] == "no-store"
    assert header_problems(signed_in, production=True) == []
    assert header_problems(client.get("/no-such-page", base_url=base), production=True) == []


def test_development_sends_no_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/").headers
