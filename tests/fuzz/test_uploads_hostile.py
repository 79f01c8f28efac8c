"""Hostile uploads not covered by tests/files: scripts in SVG, polyglots, names that try to
leave the upload directory, bodies past MAX_CONTENT_LENGTH."""

from __future__ import annotations

import pytest

from portal import uploads
from portal.errors import ValidationFailed
from tests.files.samples import HTML, PDF, png

OWNER = "fuzz_case"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
)


@pytest.fixture
def upload_dir(app, tmp_path, monkeypatch):
    path = tmp_path / "uploads"
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(path))
    return path


def store(data, name):
    return uploads.store_upload(
        data, original_name=name, actor="test", owner_type=OWNER, owner_id=1
    )


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (SVG, "logo.svg"),
        (SVG, "logo.png"),
        (HTML + PDF, "report.pdf"),  # PDF appended to HTML: a browser would render the HTML
        (b"\x89PNG\r\n", "cut.png"),  # shorter than the signature
        (b"%PD", "cut.pdf"),
    ],
    ids=["svg", "svg-as-png", "html-then-pdf", "truncated-png-signature", "truncated-pdf"],
)
def test_scripts_and_unknown_content_are_refused_and_nothing_is_written(db, upload_dir, data, name):
    with pytest.raises(ValidationFailed) as caught:
        store(data, name)
    assert "file" in caught.value.fields
    assert not upload_dir.exists() or not any(p.is_file() for p in upload_dir.rglob("*"))


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd.pdf",
        "..\\..\\x.pdf",
        "/etc/cron.d/x.pdf",
        "C:\\Windows\\x.pdf",
        "x\x00.pdf",
        "\x00",
        "....//....//x.pdf",
    ],
)
def test_traversal_names_never_write_outside_the_upload_dir(db, upload_dir, tmp_path, name):
    stored = store(PDF, name)
    assert "/" not in stored.original_name and "\\" not in stored.original_name
    assert "\x00" not in stored.original_name and ".." not in stored.original_name
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert written == [upload_dir / stored.storage_key]


def test_a_pdf_html_polyglot_is_only_ever_served_as_a_pdf_attachment(
    client, db, upload_dir, users, login
):
    stored = store(PDF + HTML, "poly.pdf")  # starts as a PDF, carries HTML afterwards
    db.session.commit()
    uploads.register_file_access(OWNER, lambda actor, owner_id: True)
    try:
        login(users["worker"])
        response = client.get(f"/files/{stored.uid}")
    finally:
        uploads.unregister_file_access(OWNER)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]


def test_a_valid_png_still_passes(db, upload_dir):
    assert store(png(), "ok.png").media_type == "image/png"


def test_a_body_past_max_content_length_is_a_clear_413(app, client, db, monkeypatch, bearer):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024)
    big = {"title": "x" * 4096}
    response = client.post("/api/v1/motions", json=big, headers=bearer("staff"))
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "too_large"
    page = client.post("/complaints/new", data={"description": "x" * 4096})
    assert page.status_code == 413
    assert "<html" in page.get_data(as_text=True).lower()
