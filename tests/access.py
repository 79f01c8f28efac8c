"""Building a request for any endpoint in the url_map, for the access walk tests."""

from __future__ import annotations

from werkzeug.routing import Rule

from portal.security import ALL_ROLES, PUBLIC, access_rule

SAMPLE_VALUES = {
    "integer": 999_999,
    "float": 1.5,
    "path": "x/y",
    "string": "x",
    "default": "x",
    "uuid": "00000000-0000-0000-0000-000000000000",
}
SKIPPED_ENDPOINTS = {"static", "bootstrap.static"}  # files, public by name


def sample_url(app, rule: Rule) -> str:
    values = {}
    for name in rule.arguments:
        # The nearest Werkzeug converter class names the kind (the app's `int` is a subclass).
        converter = next(
            kind.__name__.lower().replace("converter", "")
            for kind in type(rule._converters[name]).__mro__
            if kind.__module__ == "werkzeug.routing.converters"
        )
        values[name] = SAMPLE_VALUES.get(converter, "x")
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values, _external=False)


def method_of(rule: Rule) -> str:
    methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
    return "GET" if "GET" in methods else methods[0]


def endpoints(app):
    """(rule, url, method, access) for every endpoint but the static files."""
    seen = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIPPED_ENDPOINTS:
            continue
        method = method_of(rule)
        key = (rule.rule, method)
        if key in seen:
            continue
        seen.add(key)
        yield rule, sample_url(app, rule), method, access_rule(app, rule.endpoint)


def allowed_roles(access) -> frozenset:
    return ALL_ROLES if access == PUBLIC else access
