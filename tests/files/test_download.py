"""Downloads: deny by default, the owning domain's predicate decides, safe response headers."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from portal import uploads
from tests.files.conftest import OWNER
from tests.files.samples import JPEG, PDF, PNG


@pytest.fixture
def evidence(db, upload_dir, users):
    """A PDF uploaded by the worker, attached to case 7."""
    stored = uploads.store_upload(
        PDF, original_name="体检报告 2026.pdf", actor=users["worker"], owner_type=OWNER, owner_id=7
    )
    db.session.commit()
    return stored


def only_worker(users):
    return lambda actor, owner_id: actor.id == users["worker"].id and owner_id == "7"


def test_without_a_predicate_nobody_gets_the_file_not_even_the_uploader(
    client, evidence, users, login, api_token
):
    login(users["worker"])
    assert client.get(f"/files/{evidence.uid}").status_code == 404
    headers = api_token(users["worker"])
    response = client.get(f"/api/v1/files/{evidence.uid}", headers=headers)
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"


def test_the_predicate_lets_in_whom_it_says(client, evidence, users, login, allow):
    allow(only_worker(users))
    login(users["worker"])
    response = client.get(f"/files/{evidence.uid}")
    assert response.status_code == 200 and response.data == PDF


@pytest.mark.parametrize("role", ["member", "staff", "admin"])
def test_another_user_gets_404_whatever_the_role(client, evidence, users, login, allow, role):
    allow(only_worker(users))
    login(users[role])
    assert client.get(f"/files/{evidence.uid}").status_code == 404


def test_the_predicate_receives_the_actor_and_the_stored_owner_id(
    client, evidence, users, login, allow
):
    calls = []
    allow(lambda actor, owner_id: calls.append((actor.username, owner_id)) or False)
    login(users["staff"])
    client.get(f"/files/{evidence.uid}")
    assert calls == [("staff1", "7")]


def test_download_headers_keep_the_file_from_running_in_the_portal(
    client, evidence, users, login, allow
):
    allow(only_worker(users))
    login(users["worker"])
    headers = client.get(f"/files/{evidence.uid}").headers
    assert headers["Content-Type"] == "application/pdf"
    utf8_name = quote("体检报告 2026.pdf", safe="")
    assert (
        headers["Content-Disposition"]
        == f"attachment; filename=\"2026.pdf\"; filename*=UTF-8''{utf8_name}"
    )
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Cache-Control"] == "no-store"
    directives = {d.strip() for d in headers["Content-Security-Policy"].split(";")}
    assert {"default-src 'none'", "sandbox", "frame-ancestors 'none'"} <= directives
    assert headers["Content-Length"] == str(len(PDF))


def test_the_api_download_follows_the_same_rule(client, evidence, users, api_token, allow):
    allow(only_worker(users))
    ok = client.get(f"/api/v1/files/{evidence.uid}", headers=api_token(users["worker"]))
    assert ok.status_code == 200 and ok.data == PDF
    assert ok.headers["Content-Disposition"].startswith("attachment;")
    other = client.get(f"/api/v1/files/{evidence.uid}", headers=api_token(users["member"]))
    assert other.status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, evidence):
    response = client.get(f"/files/{evidence.uid}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.get(f"/api/v1/files/{evidence.uid}").status_code == 401


def test_unknown_and_malformed_uids_answer_404(client, users, login, allow, upload_dir):
    allow(lambda actor, owner_id: True)
    login(users["admin"])
    assert client.get("/files/not-a-real-uid").status_code == 404
    assert client.get("/files/" + "x" * 200).status_code == 404


@pytest.mark.parametrize(
    ("data", "name", "fallback"),
    [
        (PNG, "scan.png", "scan.png"),
        (JPEG, "身份证.jpg", "file.jpg"),
        (PDF, 'a"b c.pdf', "a_b c.pdf"),
    ],
)
def test_the_download_name_has_a_safe_ascii_fallback(db, upload_dir, data, name, fallback):
    stored = uploads.store_upload(
        data, original_name=name, actor="test", owner_type=OWNER, owner_id=1
    )
    disposition = uploads.content_disposition(stored.original_name)
    assert disposition.startswith(f"attachment; filename=\"{fallback}\"; filename*=UTF-8''")
    assert disposition.endswith(quote(stored.original_name, safe=""))


def test_quotes_and_backslashes_never_reach_the_header_unquoted():
    disposition = uploads.content_disposition('a"b\\c;.pdf')
    assert disposition == "attachment; filename=\"a_b_c.pdf\"; filename*=UTF-8''a%22b%5Cc%3B.pdf"


def test_one_predicate_per_owner_type(upload_dir):
    def first(actor, owner_id):
        return True

    try:
        assert uploads.register_file_access("test_once", first) is first
        uploads.register_file_access("test_once", first)  # the same one again is harmless
        with pytest.raises(ValueError, match="already registered"):
            uploads.register_file_access("test_once", lambda actor, owner_id: True)
    finally:
        uploads.unregister_file_access("test_once")
