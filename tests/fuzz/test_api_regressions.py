"""Concrete inputs the API fuzzer found (each was a 500 or a wrong document), kept as tests."""

from __future__ import annotations

import pytest

from portal.api.openapi import build_document
from portal.validators import text_problem


def error_of(response):
    body = response.get_json()
    assert set(body["error"]) == {"code", "message", "fields"}, body
    return body["error"]


def test_an_id_past_any_integer_column_is_a_404_not_an_overflow(client, bearer):
    # found: PATCH /api/v1/users/65549317702167281664 -> OverflowError in the SQLite driver
    response = client.patch(
        "/api/v1/users/65549317702167281664",
        json={"active": None, "email": None},
        headers=bearer("admin"),
    )
    assert response.status_code in (404, 405)  # no route takes such a number
    error_of(response)


def test_a_huge_integer_in_a_body_names_the_field(client, bearer):
    # found: POST /api/v1/me/committee-ties {"member_id": -1479...} -> OverflowError
    response = client.post(
        "/api/v1/me/committee-ties",
        json={"member_id": -14793875476336324356595515392, "nature": "consultancy"},
        headers=bearer("committee"),
    )
    assert response.status_code == 422
    assert "member_id" in error_of(response)["fields"]


@pytest.mark.parametrize(
    "value", ["a\x00b", "\x1b[31m", "\x7f\x08", "\ud800"], ids=["nul", "esc", "bs", "surrogate"]
)
def test_control_characters_in_json_are_refused_with_the_field(client, bearer, value):
    response = client.post(
        "/api/v1/motions",
        json={"title": value, "nested": [{"x": value}]},
        headers=bearer("staff"),
    )
    assert response.status_code == 422
    fields = error_of(response)["fields"]
    assert "title" in fields and "nested.0.x" in fields


def test_lone_surrogate_escape_in_raw_json_is_refused(client, bearer):
    response = client.post(
        "/api/v1/motions",
        data=b'{"title": "\\udc00"}',
        content_type="application/json",
        headers=bearer("staff"),
    )
    assert response.status_code == 422
    assert "title" in error_of(response)["fields"]


def test_tab_newlines_and_chinese_punctuation_are_still_text():
    assert text_problem("a\tb\r\nc（）“”‘’《》、。") is None
    assert text_problem("a\x00") and text_problem("\x1f") and text_problem("\udfff")


def test_nul_in_query_and_path_is_refused(client, bearer):
    response = client.get("/api/v1/staff/complaints?q=%00", headers=bearer("staff"))
    assert response.status_code == 422
    assert "q" in error_of(response)["fields"]
    response = client.get("/api/v1/staff/complaints/T%00X", headers=bearer("staff"))
    assert response.status_code == 422
    assert "tracking_number" in error_of(response)["fields"]


def test_invalid_utf8_body_is_a_json_error(client, bearer):
    response = client.post(
        "/api/v1/motions",
        data=b'{"title": "\xff\xfe"}',
        content_type="application/json",
        headers=bearer("staff"),
    )
    assert response.status_code in (400, 422)
    error_of(response)


def test_models_of_the_same_name_keep_their_own_schema():
    # found: /members/staff documented the complaints' StaffList (same class name): the
    # components were keyed by class name, so the last model overwrote the others.
    document = build_document()

    def schema_of(path: str) -> dict:
        ref = document["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
        name = ref["schema"]["$ref"].rsplit("/", 1)[1]
        return document["components"]["schemas"][name]

    members = schema_of("/api/v1/members/staff")
    complaints = schema_of("/api/v1/staff/complaints")
    assert members != complaints
    assert "by_queue" in complaints["properties"]
    assert "by_queue" not in members["properties"]


def test_path_integers_are_documented_with_their_bounds():
    document = build_document()
    (parameter,) = document["paths"]["/api/v1/users/{user_id}"]["get"]["parameters"]
    assert parameter["schema"] == {"type": "integer", "minimum": 0, "maximum": 2**31 - 1}
