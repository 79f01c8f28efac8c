"""Pages and answers every request shares: errors, headers, CSRF, language."""

from portal import create_app
from portal.http import CSP
from portal.security import public


def test_error_pages_are_real_pages(client):
    response = client.get("/no-such-page")
    html = response.get_data(as_text=True)
    assert response.status_code == 404 and "<main" in html and "404" in html


def test_api_errors_are_json(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_a_refused_page_says_so(client, users, login):
    login(users["worker"])
    response = client.get("/admin/users")
    assert response.status_code == 403 and "403" in response.get_data(as_text=True)


def test_an_unexpected_error_gives_a_500_page_without_details(tmp_path):
    app = create_app({"TESTING": False, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/e.db"})

    @app.route("/_boom")
    @public
    def _boom():
        raise RuntimeError("secret internals")

    @app.route("/api/v1/_boom")
    @public
    def _api_boom():
        raise RuntimeError("secret internals")

    client = app.test_client()
    page = client.get("/_boom")
    assert page.status_code == 500 and "secret internals" not in page.get_data(as_text=True)
    api = client.get("/api/v1/_boom")
    assert api.status_code == 500 and api.get_json()["error"]["code"] == "server_error"
    assert "secret internals" not in api.get_data(as_text=True)


def test_security_headers_on_pages_and_api(client):
    for url in ("/", "/login", "/api/v1/openapi.json", "/no-such-page"):
        headers = client.get(url).headers
        assert headers["Content-Security-Policy"] == CSP
        assert "frame-ancestors 'none'" in CSP and "script-src 'self'" in CSP
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"


def test_signed_in_pages_are_not_cached(client, users, login):
    login(users["staff"])
    assert client.get("/dashboard").headers["Cache-Control"] == "no-store"


def test_pages_have_no_inline_scripts(client):
    html = client.get("/").get_data(as_text=True)
    import re

    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag


def test_forms_refuse_a_post_without_the_csrf_token(app, client, users):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post("/login", data={"username": "worker1", "password": "x" * 12})
        assert response.status_code == 400
        assert client.get("/dashboard").status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_language_switch_sets_a_cookie_and_returns_to_the_page(client):
    response = client.get("/lang/en?next=/login")
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in html
    client.get("/lang/zh_CN")
    assert '<html lang="zh-CN">' in client.get("/login").get_data(as_text=True)


def test_language_switch_ignores_unknown_languages_and_foreign_next(client):
    response = client.get("/lang/xx?next=//evil.example")
    assert response.headers["Location"] == "/"
    assert "lang=" not in response.headers.get("Set-Cookie", "")


def test_api_language_follows_accept_language(client):
    zh = client.get("/api/v1/nothing", headers={"Accept-Language": "zh-CN"}).get_json()
    en = client.get("/api/v1/nothing", headers={"Accept-Language": "en"}).get_json()
    assert zh["error"]["code"] == en["error"]["code"] == "not_found"
