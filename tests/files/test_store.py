"""store_upload: type by content, size and emptiness limits, names, hashing, the layout on disk."""

from __future__ import annotations

import hashlib
import io
import json

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from portal import uploads
from portal.audit import AuditEntry
from portal.errors import ValidationFailed
from tests.files.conftest import OWNER
from tests.files.samples import HTML, JPEG, PDF, PNG


def store(data, name="scan.pdf", **kwargs):
    kwargs.setdefault("actor", "test")
    kwargs.setdefault("owner_type", OWNER)
    kwargs.setdefault("owner_id", 42)
    return uploads.store_upload(data, original_name=name, **kwargs)


def refused(data, name, **kwargs) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as caught:
        store(data, name, **kwargs)
    return caught.value


def blobs(root):
    return sorted(p for p in root.rglob("*") if p.is_file())


@pytest.mark.parametrize(
    ("data", "name", "media_type"),
    [
        (PDF, "营业执照.pdf", "application/pdf"),
        (PNG, "scan.PNG", "image/png"),
        (JPEG, "photo.jpg", "image/jpeg"),
        (JPEG, "photo.jpeg", "image/jpeg"),
    ],
)
def test_each_accepted_type_is_stored_by_its_hash(db, upload_dir, data, name, media_type):
    stored = store(data, name)
    digest = hashlib.sha256(data).hexdigest()
    assert (stored.media_type, stored.sha256, stored.size) == (media_type, digest, len(data))
    assert stored.storage_key == f"{digest[:2]}/{digest[2:4]}/{digest}"
    assert (upload_dir / stored.storage_key).read_bytes() == data
    assert stored.original_name == name
    assert (stored.owner_type, stored.owner_id) == (OWNER, "42")
    assert len(stored.uid) >= 32 and stored.id is not None
    assert uploads.open_stored(stored) == data


def test_html_named_pdf_is_refused(db, upload_dir):
    error = refused(HTML, "evidence.pdf", field="evidence")
    assert "evidence" in error.fields and "PDF, PNG, JPEG" in error.fields["evidence"]
    assert blobs(upload_dir) == []


def test_pdf_named_png_is_refused_with_a_clear_message(db, upload_dir):
    error = refused(PDF, "photo.png", field="id_scan")
    assert (
        error.message == "The file is a PDF but its name ends in .png. Rename it or choose "
        "the right file."
    )
    assert error.fields == {"id_scan": error.message}


@pytest.mark.parametrize("name", ["licence.html", "licence.exe", "licence.jpg", "licence.TXT"])
def test_a_known_extension_of_another_type_is_refused(db, upload_dir, name):
    assert "PDF" in refused(PDF, name).message


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("report 2024.03", "report 2024.03.pdf"),  # not an extension anyone knows: kept, .pdf added
        ("scan", "scan.pdf"),
        ("", "file.pdf"),
        (None, "file.pdf"),
    ],
)
def test_the_content_decides_and_the_right_extension_is_added(db, upload_dir, name, kept):
    assert store(PDF, name).original_name == kept


def test_a_type_outside_allowed_is_refused(db, upload_dir):
    error = refused(PNG, "scan.png", allowed=("pdf",))
    assert error.message == "The file is a PNG; only these file types are accepted here: PDF."


def test_an_unknown_allowed_kind_is_a_programming_error(db, upload_dir):
    with pytest.raises(ValueError):
        store(PDF, allowed=("pdf", "docx"))


def test_empty_files_are_refused(db, upload_dir):
    assert refused(b"", "scan.pdf").fields == {"file": "The file is empty."}


def test_files_over_the_limit_are_refused(app, db, upload_dir, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", len(PDF))
    assert store(PDF).size == len(PDF)  # exactly the limit is fine
    error = refused(PDF + b" ", "scan.pdf", field="licence")
    assert error.fields == {"licence": f"The file is larger than {len(PDF)} B."}


def test_at_most_the_limit_plus_one_byte_is_read(app, db, upload_dir, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", 1024)
    stream = io.BytesIO(PDF + b"x" * 10_000_000)
    with pytest.raises(ValidationFailed, match="larger than 1 KB"):
        store(FileStorage(stream, filename="big.pdf"))
    assert stream.tell() == 1025


def test_the_default_limit_is_ten_megabytes(app):
    assert app.config["UPLOAD_MAX_BYTES"] == 10 * 1024 * 1024


@pytest.mark.parametrize(
    ("name", "clean"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\system32\\evil.pdf", "evil.pdf"),
        ("/var/www/static/x.pdf", "x.pdf"),
        ("..", "file.pdf"),
        ("a\x00b\x1b[31mc\u202egnp.pdf", "ab[31mcgnp.pdf"),
        ('re<po>rt:"1"?.pdf', "re_po_rt__1__.pdf"),
        ("  .hidden  .pdf ", "hidden .pdf"),
        ("年度报告\n(终稿).pdf", "年度报告 (终稿).pdf"),
    ],
)
def test_names_are_reduced_to_a_harmless_base_name(db, upload_dir, name, clean):
    stored = store(PDF, name)
    assert stored.original_name == clean
    assert [p.relative_to(upload_dir).as_posix() for p in blobs(upload_dir)] == [stored.storage_key]


def test_long_names_are_cut_to_200_characters_keeping_the_extension(db, upload_dir):
    stored = store(PDF, "报" * 300 + ".pdf")
    assert len(stored.original_name) == 200 and stored.original_name.endswith("报.pdf")


def test_the_same_content_is_stored_once(db, upload_dir):
    first = store(PDF, "a.pdf", owner_id=1)
    second = store(PDF, "b.pdf", owner_id=2)
    assert first.id != second.id and first.uid != second.uid
    assert first.storage_key == second.storage_key
    assert blobs(upload_dir) == [upload_dir / first.storage_key]  # and no temporary file left
    assert [f.original_name for f in uploads.files_of(OWNER, 1)] == ["a.pdf"]


def test_a_damaged_blob_is_rewritten_by_the_next_upload(db, upload_dir):
    first = store(PNG, "a.png")
    (upload_dir / first.storage_key).write_bytes(b"\x89PNG truncated")
    with pytest.raises(uploads.StoredFileCorrupt):
        uploads.open_stored(first)
    store(PNG, "b.png")
    assert uploads.open_stored(first) == PNG


def test_a_missing_blob_or_a_bad_key_is_reported(db, upload_dir):
    stored = store(JPEG, "p.jpg")
    (upload_dir / stored.storage_key).unlink()
    with pytest.raises(uploads.StoredFileCorrupt, match="missing"):
        uploads.open_stored(stored)
    stored.storage_key = "../../../etc/passwd"
    with pytest.raises(uploads.StoredFileCorrupt, match="malformed"):
        uploads.open_stored(stored)


def test_a_file_storage_gives_its_name_and_the_uploader_is_kept(db, upload_dir, users):
    stored = uploads.store_upload(
        FileStorage(io.BytesIO(JPEG), filename="IMG_0001.JPG"),
        actor=users["member"],
        owner_type=OWNER,
        owner_id="7",
    )
    assert (stored.original_name, stored.uploaded_by_id) == ("IMG_0001.JPG", users["member"].id)


def test_the_upload_is_audited_with_references_only(db, upload_dir, users):
    stored = store(PDF, "张三身份证.pdf", actor=users["staff"])
    entry = db.session.scalar(
        select(AuditEntry)
        .where(AuditEntry.action == "file.uploaded")
        .order_by(AuditEntry.seq.desc())
    )
    assert (entry.object_type, entry.object_id) == ("stored_files", str(stored.id))
    assert json.loads(entry.payload) == {
        "sha256": stored.sha256,
        "size": len(PDF),
        "media_type": "application/pdf",
        "owner_type": OWNER,
        "owner_id": "42",
    }
    assert entry.actor == "staff:staff1" and "张三" not in entry.payload


@pytest.mark.parametrize("owner_type", ["", "Application", "a b", "x" * 41])
def test_owner_types_are_short_lowercase_names(db, upload_dir, owner_type):
    with pytest.raises(ValueError):
        store(PDF, owner_type=owner_type)
