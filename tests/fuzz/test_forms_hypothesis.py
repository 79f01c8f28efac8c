"""Every page form that accepts POST, sent hostile values (hypothesis), signed in as a role
that may use it.

For each example: never a 5xx; NUL (and other control characters) refused with a 422 naming
the field; a refusal stores nothing (row counts of every table unchanged); a script never
comes back unescaped, neither on the answer nor on the page a success redirects to.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from portal.extensions import db as _db
from portal.security import PUBLIC
from tests.factories import make_user

SCRIPT = "<script>alert(1)</script>"
HOSTILE: list[str | bytes] = [
    SCRIPT,
    "\"'><img src=x onerror=alert(1)>",
    "（）“”‘’《》、。",
    "a\x00b",
    "\x1b[2J",
    "\ud800".encode("utf-8", "surrogatepass"),  # a lone surrogate as bytes: invalid UTF-8
    b"\xff\xfe\xc3",  # invalid UTF-8
    "abc",  # text in a number or date field
    "2024-13-45",
    "-1",
    "99999999999999999999999",
    "",
    " ",
    "A" * 1_000_000,
]
SKIPPED = {"accounts.logout"}  # would end the signed-in session the test relies on
ROLE_PREFERENCE = ("staff", "admin", "committee", "member", "worker")
FALLBACK_FIELDS = ("title", "text", "reason", "comment", "note", "name")
# Tables a refused sign-in may write to (attempt counters, security log).
MAY_CHANGE_ON_REFUSAL = {"login_attempts", "security_events", "account_throttles"}


def post_rules(app: Flask):
    rules = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if (
            "POST" in rule.methods
            and not rule.rule.startswith("/api")
            and rule.endpoint not in SKIPPED
        ):
            rules.append(rule)
    return rules


def _build_url(rule) -> str:
    url = rule.rule
    for converter, name in re.findall(r"<(?:(\w+):)?(\w+)>", rule.rule):
        value = "1" if converter == "int" else "x"
        url = re.sub(rf"<(?:\w+:)?{name}>", value, url)
    return url


def role_for(app: Flask, rule) -> str | None:
    access = getattr(app.view_functions[rule.endpoint], "_access", None)
    if access == PUBLIC or access is None:
        return None
    roles = {str(role) for role in access}
    return next(role for role in ROLE_PREFERENCE if role in roles)


def field_names(html: str) -> list[str]:
    names = re.findall(r'<(?:input|textarea|select)\b[^>]*\bname="([^"]+)"', html)
    return [n for n in dict.fromkeys(names) if n != "csrf_token"] or list(FALLBACK_FIELDS)


def row_counts() -> dict[str, int]:
    return {
        table.name: _db.session.execute(select(func.count()).select_from(table)).scalar_one()
        for table in _db.metadata.sorted_tables
    }


def has_control(value: str | bytes) -> bool:
    return isinstance(value, str) and any(ord(c) < 0x20 and c not in "\t\r\n" for c in value)


def _rules_for_collection():
    from portal import create_app
    from tests.databases import suite_config

    config = suite_config()
    app = create_app({**config, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return [rule.endpoint + " " + rule.rule for rule in post_rules(app)]


@pytest.mark.parametrize("target", _rules_for_collection())
def test_form_survives_hostile_input(app, client, db, login, example_rollback, target):
    endpoint, rule_text = target.split(" ", 1)
    rule = next(
        r for r in app.url_map.iter_rules() if r.endpoint == endpoint and r.rule == rule_text
    )
    role = role_for(app, rule)
    if role is not None:
        login(make_user(role=role))
    url = _build_url(rule)
    page = client.get(url) if "GET" in rule.methods else None
    names = (
        field_names(page.get_data(as_text=True))
        if page is not None and page.status_code == 200
        else list(FALLBACK_FIELDS)
    )

    @settings(
        max_examples=5,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.fixed_dictionaries({}, optional={name: st.sampled_from(HOSTILE) for name in names}))
    def send(form):
        with example_rollback():
            before = row_counts()
            response = client.post(
                url,
                data=urlencode(form),
                content_type="application/x-www-form-urlencoded",
            )
            body = response.get_data(as_text=True)
            assert response.status_code < 500, (url, form.keys(), body[:300])
            assert SCRIPT not in body, (url, "script reflected")
            bad = sorted(name for name, value in form.items() if has_control(value))
            if bad and response.status_code not in (302, 303, 401, 403):
                assert response.status_code == 422, (url, bad, response.status_code)
                # the guard's message names the fields (a re-rendered form has them anyway)
                assert "NUL" in body, (url, bad)
                assert all(name in body for name in bad), (url, bad)
            if response.status_code in (302, 303):
                follow = client.get(response.headers["Location"])
                assert follow.status_code < 500
                assert SCRIPT not in follow.get_data(as_text=True), (url, "script stored")
            else:
                after = row_counts()
                changed = {t for t in after if after[t] != before[t]} - MAY_CHANGE_ON_REFUSAL
                assert not changed, (url, response.status_code, changed)

    send()
