"""Signed checkpoints: a whole rewritten chain verifies on its own, but not against the
checkpoint signed before the rewrite; a forged or foreign checkpoint is refused too."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import delete, select

from portal import audit


@pytest.fixture
def signed(app, db, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "AUDIT_SIGNING_KEY_FILE", str(tmp_path / "signing.key"))
    monkeypatch.setitem(app.config, "AUDIT_CHECKPOINT_DIR", str(tmp_path / "checkpoints"))
    for number in range(1, 6):
        audit.record("test.event", object_type="thing", object_id=number, actor="test")
    db.session.flush()
    return tmp_path


def _cli(app, *args):
    return app.test_cli_runner().invoke(args=["audit", *args])


def _sign(app):
    assert _cli(app, "keygen").exit_code == 0
    result = _cli(app, "checkpoint")
    assert result.exit_code == 0, result.output
    return result


def _rewrite_whole_chain(db, from_seq: int) -> None:
    """What an intruder with write access would do: change an entry, recompute every hash."""
    entries = db.session.scalars(
        select(audit.AuditEntry).where(audit.AuditEntry.seq >= from_seq).order_by("seq")
    ).all()
    previous = db.session.get(audit.AuditEntry, from_seq - 1)
    prev_hash = previous.hash if previous else audit.GENESIS
    for entry in entries:
        if entry.seq == from_seq:
            entry.payload = '{"rewritten":true}'
        entry.prev_hash = prev_hash
        entry.hash = audit.entry_hash(entry)
        prev_hash = entry.hash
        db.session.flush()


def test_the_key_file_is_private_and_not_replaced(app, signed):
    assert _cli(app, "keygen").exit_code == 0
    assert (signed / "signing.key").stat().st_mode & 0o077 == 0
    again = _cli(app, "keygen")
    assert again.exit_code != 0 and "exists already" in again.output


def test_a_checkpoint_signs_the_head_and_verify_matches_it(app, signed):
    result = _sign(app)
    head = audit.head()
    written = json.loads(result.output.strip().splitlines()[-1])
    assert (written["seq"], written["hash"]) == (head.seq, head.hash)
    verified = _cli(app, "verify")
    assert verified.exit_code == 0
    assert f"matches the checkpoint at entry {head.seq}" in verified.output


def test_entries_after_the_checkpoint_still_verify(app, signed, db):
    _sign(app)
    audit.record("test.later", object_type="thing", object_id=9, actor="test")
    db.session.flush()
    assert _cli(app, "verify").exit_code == 0


def test_a_rewritten_chain_is_caught_by_the_checkpoint(app, signed, db):
    _sign(app)
    _rewrite_whole_chain(db, audit.head().seq - 3)
    assert audit.verify().ok  # the chain alone cannot tell
    result = _cli(app, "verify")
    assert result.exit_code == 1
    assert "no longer has the hash signed in the checkpoint" in result.output


def test_a_truncated_chain_is_caught(app, signed, db):
    _sign(app)
    head = audit.head().seq
    db.session.execute(delete(audit.AuditEntry).where(audit.AuditEntry.seq == head))
    result = _cli(app, "verify")
    assert (
        result.exit_code == 1
        and f"entry {head}, signed in the checkpoint, is missing" in result.output
    )


def test_a_forged_checkpoint_is_refused(app, signed, db):
    _sign(app)
    _rewrite_whole_chain(db, audit.head().seq - 2)
    (path,) = (signed / "checkpoints").glob("checkpoint-*.json")
    forged = json.loads(path.read_text())
    forged["hash"] = audit.head().hash  # matches the rewrite, but the signature does not
    path.write_text(json.dumps(forged))
    result = _cli(app, "verify")
    assert result.exit_code == 1 and "signature does not verify" in result.output


def test_a_checkpoint_signed_by_another_key_is_refused(app, signed, db, tmp_path_factory):
    _sign(app)
    (path,) = (signed / "checkpoints").glob("checkpoint-*.json")
    other = tmp_path_factory.mktemp("other")
    app.config["AUDIT_SIGNING_KEY_FILE"] = str(other / "signing.key")
    assert _cli(app, "keygen").exit_code == 0
    result = _cli(app, "verify")
    assert result.exit_code == 1 and "key other than the portal's" in result.output
    assert path.exists()


def test_checkpoint_without_a_key_says_what_to_do(app, signed):
    result = _cli(app, "checkpoint")
    assert result.exit_code != 0 and "flask audit keygen" in result.output
