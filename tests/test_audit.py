"""The audit chain: it verifies when untouched, and names the first entry that was
changed, deleted or moved."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from portal import audit


@pytest.fixture
def chain(db):
    for number in range(1, 6):
        audit.record(
            "test.event",
            object_type="thing",
            object_id=number,
            actor="test",
            payload={"step": number},
        )
    db.session.flush()
    return db


def _verify_cli(app):
    return app.test_cli_runner().invoke(args=["audit", "verify"])


def test_an_untouched_chain_verifies(app, chain):
    result = audit.verify()
    assert result.ok and result.checked >= 5
    cli = _verify_cli(app)
    assert cli.exit_code == 0 and "OK" in cli.output


def test_entries_link_to_their_predecessor(chain):
    entries = chain.session.scalars(
        audit.select(audit.AuditEntry).order_by(audit.AuditEntry.seq)
    ).all()
    assert entries[0].prev_hash == audit.GENESIS
    for before, after in zip(entries, entries[1:], strict=False):
        assert after.prev_hash == before.hash and after.seq == before.seq + 1


def test_a_changed_row_is_named(app, chain):
    target = audit.head().seq - 2
    chain.session.execute(
        text("UPDATE audit_entries SET payload = :p WHERE seq = :s"),
        {"p": '{"step":99}', "s": target},
    )
    chain.session.expire_all()
    result = audit.verify()
    assert not result.ok and result.bad_seq == target and "hash" in result.reason
    cli = _verify_cli(app)
    assert cli.exit_code == 1 and f"entry {target}" in cli.output


def test_a_deleted_row_is_named(chain):
    target = audit.head().seq - 2
    chain.session.execute(text("DELETE FROM audit_entries WHERE seq = :s"), {"s": target})
    chain.session.expire_all()
    result = audit.verify()
    assert not result.ok and result.bad_seq == target and "missing" in result.reason


def test_reordered_rows_are_named(chain):
    last = audit.head().seq
    a, b = last - 3, last - 1
    chain.session.execute(text("UPDATE audit_entries SET seq = -1 WHERE seq = :a"), {"a": a})
    chain.session.execute(
        text("UPDATE audit_entries SET seq = :a WHERE seq = :b"), {"a": a, "b": b}
    )
    chain.session.execute(text("UPDATE audit_entries SET seq = :b WHERE seq = -1"), {"b": b})
    chain.session.expire_all()
    result = audit.verify()
    assert not result.ok and result.bad_seq == a


def test_a_rewritten_hash_does_not_hide_a_change(chain):
    """Recomputing the changed entry's own hash breaks the link of the next one."""
    target = audit.head().seq - 2
    entry = chain.session.get(audit.AuditEntry, target)
    entry.payload = '{"step":42}'
    entry.hash = audit.entry_hash(entry)
    chain.session.flush()
    result = audit.verify()
    assert not result.ok and result.bad_seq == target + 1


def test_payloads_refuse_personal_data(db):
    with pytest.raises(ValueError, match="personal data"):
        audit.record("test.event", object_type="x", object_id=1, payload={"id_number": "1"})
    with pytest.raises(ValueError, match="personal data"):
        audit.record("test.event", object_type="x", object_id=1, payload={"a": {"phone": "1"}})
