"""`flask crypto rotate` / `status`: every encrypted value moves to the new key, in batches,
resumably, while rows keep changing; blind indexes keep working."""

from __future__ import annotations

import base64
import json
import os

import pytest
from sqlalchemy import select

from portal import crypto, crypto_rotate
from portal.audit import AuditEntry
from portal.complaints.models import Complaint, ComplaintCorrection
from portal.extensions import db
from tests.complaints.conftest import T0, file

NEW_KEY = base64.b64encode(os.urandom(32)).decode()


class Crash(RuntimeError):
    pass


@pytest.fixture
def complaints(db, clock_at):
    clock_at(T0)
    made = [
        file(name=f"张卫国{i}", id_number="11010519491231002X" if i == 0 else None).complaint
        for i in range(5)
    ]
    correction = ComplaintCorrection(
        complaint_id=made[0].id, field="phone", proposed="13900000000", reason="换号了"
    )
    db.session.add(correction)
    db.session.commit()
    return made


@pytest.fixture
def old_key_id(app, monkeypatch):
    old_id = app.config["DATA_KEY_ID"]
    monkeypatch.setitem(app.config, "DATA_KEYS", {**app.config["DATA_KEYS"], "k-new": NEW_KEY})
    monkeypatch.setitem(app.config, "DATA_KEY_ID", "k-new")
    return old_id


def _all_values():
    """Every (table.column, key id, plaintext) through the models."""
    out = []
    db.session.expire_all()
    for spec in crypto_rotate.encrypted_tables():
        for obj in db.session.scalars(select(spec.model)):
            for name, field in crypto.encrypted_fields(spec.model).items():
                envelope = getattr(obj, field.column)
                if envelope is not None:
                    out.append(
                        (
                            f"{spec.name}.{name}",
                            crypto.envelope_key_id(envelope),
                            getattr(obj, name),
                        )
                    )
    return out


def test_discovers_the_encrypted_columns_from_the_models(app, db):
    found = {spec.name: spec.columns for spec in crypto_rotate.encrypted_tables()}
    assert found["complaints"] == (
        "email_enc",
        "health_enc",
        "id_number_enc",
        "name_enc",
        "phone_enc",
    )
    assert found["complaint_corrections"] == ("proposed_enc", "reason_enc")


def test_rotate_crash_resume_and_concurrent_update(app, complaints, old_key_id, monkeypatch):
    before = {(c, v) for c, _k, v in _all_values()}
    assert {k for _c, k, _v in _all_values()} == {old_key_id}

    calls = []

    def crash_after_first(spec, first_id, last_id):
        calls.append((spec.name, first_id, last_id))
        if len(calls) == 1:
            raise Crash("power cut")

    monkeypatch.setattr(crypto_rotate, "_batch_done", crash_after_first)
    with pytest.raises(Crash):
        crypto_rotate.rotate(batch_size=2)
    # the first batch (two complaint_corrections rows at most, or complaints) was committed
    status = crypto_rotate.status()
    assert sum(t["k-new"] for t in status.values()) > 0
    assert sum(t[old_key_id] for t in status.values()) > 0

    # A row changed by the portal between batches is written under the new key already.
    target = complaints[-1]
    target.phone = "13700000000"
    db.session.commit()
    assert crypto.envelope_key_id(target.phone_enc) == "k-new"

    def touch_between(spec, first_id, last_id):
        calls.append((spec.name, first_id, last_id))

    monkeypatch.setattr(crypto_rotate, "_batch_done", touch_between)
    report = crypto_rotate.rotate(batch_size=2)
    assert report.values > 0

    values = _all_values()
    assert {k for _c, k, _v in values} == {"k-new"}
    expected = {(c, v) for c, v in before if c != "complaints.phone"}
    assert expected <= {(c, v) for c, _k, v in values}
    db.session.expire_all()
    assert db.session.get(Complaint, target.id).phone == "13700000000"

    # A second run finds nothing to do and audits nothing.
    entries = db.session.scalar(select(db.func.count()).select_from(AuditEntry))
    assert crypto_rotate.rotate(batch_size=2).values == 0
    assert db.session.scalar(select(db.func.count()).select_from(AuditEntry)) == entries

    # The old key can now be retired: everything still opens.
    monkeypatch.setitem(app.config, "DATA_KEYS", {"k-new": NEW_KEY})
    assert len(_all_values()) == len(values)


def test_blind_index_lookups_still_work(app, complaints, old_key_id):
    crypto_rotate.rotate(batch_size=500)
    found = db.session.scalars(
        select(Complaint).where(
            Complaint.id_number_bidx
            == crypto.blind_index(Complaint.id_number, "11010519491231002x")
        )
    ).all()
    assert [c.id for c in found] == [complaints[0].id]
    assert found[0].id_number == "11010519491231002X"


def test_audit_entries_hold_references_only(app, complaints, old_key_id):
    crypto_rotate.rotate(batch_size=3)
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "crypto.rotated")
    ).all()
    assert entries
    for entry in entries:
        payload = json.loads(entry.payload)
        assert set(payload) == {"key_id", "first_id", "last_id", "rows", "values"}
        assert "张卫国" not in entry.payload and "1101" not in entry.payload
    assert sum(json.loads(e.payload)["values"] for e in entries) == len(_all_values())


def test_a_value_rewritten_during_the_batch_is_not_overwritten(
    app, complaints, old_key_id, monkeypatch
):
    """The conditional UPDATE: a stale envelope read before someone else's write loses."""
    spec = next(s for s in crypto_rotate.encrypted_tables() if s.name == "complaints")
    rows = next(crypto_rotate._batches(spec, 500))
    target = complaints[1]
    target.name = "李四"  # written by the portal after our read, under the new key
    db.session.commit()
    crypto_rotate._reseal_batch(spec, rows, crypto.key_ring())
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Complaint, target.id).name == "李四"


def test_cli_rotate_and_status(app, complaints, old_key_id):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["crypto", "status"])
    assert result.exit_code == 0, result.output
    assert f"complaints.name_enc: {old_key_id}: 5" in result.output
    assert "value(s) under other keys" in result.output
    help_text = runner.invoke(args=["crypto", "rotate", "--help"]).output
    assert "BLIND_INDEX_KEY" in help_text and "NOT rotated" in help_text
    result = runner.invoke(args=["crypto", "rotate", "--batch-size", "2"])
    assert result.exit_code == 0, result.output
    assert "re-encrypting under key 'k-new'" in result.output
    result = runner.invoke(args=["crypto", "status"])
    assert "complaints.name_enc: k-new: 5" in result.output
    assert "current key 'k-new'; 0 value(s) under other keys" in result.output


def test_every_envelope_column_in_the_schema_is_rotated(app, db):
    """A column of type EncryptedBlob that no `encrypted(...)` field names would be missed."""
    covered = {(s.name, c) for s in crypto_rotate.encrypted_tables() for c in s.columns}
    in_schema = {
        (table.name, column.name)
        for table in db.metadata.tables.values()
        for column in table.columns
        if isinstance(column.type, crypto.EncryptedBlob)
    }
    assert in_schema == covered
    assert ("user_totp", "secret_enc") in covered or "user_totp" not in db.metadata.tables
