"""Envelopes: round trip, tampering, associated data, key ring checks and rotation."""

from __future__ import annotations

import base64
import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal import crypto
from portal.crypto import DecryptionError, KeyConfigError, KeyRing

KEY_A = os.urandom(32)
KEY_B = os.urandom(32)
AAD = b"complainants.name_enc:5f1c0a8e-0000-4000-8000-000000000001"


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield app


def test_round_trip():
    ring = KeyRing({"a": KEY_A}, "a")
    for text in ("张卫国", "", "11010519491231002X", "a" * 10_000, "emoji 👷 and\nnewlines"):
        assert ring.open_(ring.seal(text, AAD), AAD) == text


@given(st.text())
def test_round_trip_any_text(text):
    ring = KeyRing({"a": KEY_A}, "a")
    assert ring.open_(ring.seal(text, AAD), AAD) == text


def test_envelope_layout_and_fresh_nonce():
    ring = KeyRing({"key-2026": KEY_A}, "key-2026")
    first, second = ring.seal("张卫国", AAD), ring.seal("张卫国", AAD)
    assert first != second  # a random nonce each time
    assert first[0] == crypto.VERSION
    assert first[1] == len("key-2026") and first[2:10] == b"key-2026"
    assert len(first) == 2 + 8 + 12 + len("张卫国".encode()) + 16
    assert crypto.envelope_key_id(first) == "key-2026"


def test_every_byte_is_protected():
    ring = KeyRing({"a": KEY_A, "b": KEY_B}, "a")
    envelope = ring.seal("张卫国 11010519491231002X", AAD)
    for index in range(len(envelope)):
        for flip in (0x01, 0x80, 0xFF):
            tampered = bytearray(envelope)
            tampered[index] ^= flip
            with pytest.raises(DecryptionError):
                ring.open_(bytes(tampered), AAD)


@given(st.data())
def test_tampering_fails(data):
    ring = KeyRing({"a": KEY_A}, "a")
    envelope = bytearray(ring.seal(data.draw(st.text(max_size=40)), AAD))
    index = data.draw(st.integers(0, len(envelope) - 1))
    envelope[index] ^= data.draw(st.integers(1, 255))
    with pytest.raises(DecryptionError):
        ring.open_(bytes(envelope), AAD)


def test_truncated_extended_and_garbage_envelopes_fail():
    ring = KeyRing({"a": KEY_A}, "a")
    envelope = ring.seal("张卫国", AAD)
    for bad in (
        b"",
        b"\x01",
        envelope[:-1],
        envelope[:20],
        envelope + b"\x00",
        b"plain text",
        bytes([2]) + envelope[1:],
        bytes([1, 0]) + envelope[2:],
    ):
        with pytest.raises(DecryptionError):
            ring.open_(bad, AAD)
    with pytest.raises(DecryptionError):
        ring.open_("not bytes", AAD)  # type: ignore[arg-type]


def test_wrong_associated_data_fails():
    ring = KeyRing({"a": KEY_A}, "a")
    envelope = ring.seal("张卫国", AAD)
    for other in (b"", AAD + b"x", AAD.replace(b"name_enc", b"phone_enc"), AAD[:-1] + b"2"):
        with pytest.raises(DecryptionError, match="another row or column"):
            ring.open_(envelope, other)


def test_unknown_key_id_is_named():
    envelope = KeyRing({"old": KEY_A}, "old").seal("张卫国", AAD)
    with pytest.raises(DecryptionError, match="'old'.*not configured"):
        KeyRing({"new": KEY_B}, "new").open_(envelope, AAD)


def test_same_id_other_key_fails():
    envelope = KeyRing({"a": KEY_A}, "a").seal("张卫国", AAD)
    with pytest.raises(DecryptionError):
        KeyRing({"a": KEY_B}, "a").open_(envelope, AAD)


def test_rotation_on_a_key_ring():
    old = KeyRing({"a": KEY_A}, "a")
    envelope = old.seal("张卫国", AAD)
    rotated = KeyRing({"a": KEY_A, "b": KEY_B}, "b")
    assert rotated.open_(envelope, AAD) == "张卫国"
    assert rotated.needs_reseal(envelope)
    moved = rotated.reseal(envelope, AAD)
    assert crypto.envelope_key_id(moved) == "b"
    assert not rotated.needs_reseal(moved)
    assert KeyRing({"b": KEY_B}, "b").open_(moved, AAD) == "张卫国"
    with pytest.raises(DecryptionError):
        rotated.reseal(envelope, b"other aad")


def test_key_ring_checks_its_keys():
    with pytest.raises(KeyConfigError, match="'short'.*16 bytes"):
        KeyRing({"short": os.urandom(16)}, "short")
    with pytest.raises(KeyConfigError, match="'missing' is not among"):
        KeyRing({"a": KEY_A}, "missing")
    with pytest.raises(KeyConfigError, match="empty"):
        KeyRing({}, "a")
    with pytest.raises(KeyConfigError, match="printable ASCII"):
        KeyRing({"clé": KEY_A}, "clé")


def test_from_config_names_the_bad_key():
    good = b64(KEY_A)
    assert KeyRing.from_config({"DATA_KEYS": {"a": good}, "DATA_KEY_ID": "a"}).current_id == "a"
    with pytest.raises(KeyConfigError, match="data key 'k2' decodes to 31 bytes"):
        KeyRing.from_config(
            {"DATA_KEYS": {"a": good, "k2": b64(os.urandom(31))}, "DATA_KEY_ID": "a"}
        )
    with pytest.raises(KeyConfigError, match="data key 'k3' is not valid base64"):
        KeyRing.from_config({"DATA_KEYS": {"k3": "not base64!"}, "DATA_KEY_ID": "k3"})
    with pytest.raises(KeyConfigError, match="data key 'k4' is empty"):
        KeyRing.from_config({"DATA_KEYS": {"k4": ""}, "DATA_KEY_ID": "k4"})


def test_repr_shows_no_key_material():
    ring = KeyRing({"a": KEY_A}, "a")
    assert repr(ring) == "KeyRing(key_ids=['a'], current_id='a')"
    assert b64(KEY_A) not in repr(ring) and str(KEY_A) not in repr(ring)


def test_generate_key_makes_a_usable_key():
    assert len(base64.b64decode(crypto.generate_key())) == 32
    assert crypto.generate_key() != crypto.generate_key()


# --- through the app config --------------------------------------------------------------


def test_app_functions_round_trip(ctx):
    envelope = crypto.seal("张卫国", AAD)
    assert crypto.envelope_key_id(envelope) == ctx.config["DATA_KEY_ID"]
    assert crypto.open_(envelope, AAD) == "张卫国"
    assert not crypto.needs_reseal(envelope)
    with pytest.raises(DecryptionError):
        crypto.open_(envelope, b"another row")


def test_key_ring_is_cached_per_app(ctx):
    assert crypto.key_ring() is crypto.key_ring()
    assert crypto.key_ring(ctx) is crypto.key_ring()


def test_rotation_through_the_config(ctx, monkeypatch):
    envelope = crypto.seal("11010519491231002X", AAD)
    old_id = ctx.config["DATA_KEY_ID"]
    monkeypatch.setitem(ctx.config, "DATA_KEYS", {**ctx.config["DATA_KEYS"], "k2": b64(KEY_B)})
    monkeypatch.setitem(ctx.config, "DATA_KEY_ID", "k2")
    assert crypto.key_ring().current_id == "k2"  # the cache follows the config
    assert crypto.open_(envelope, AAD) == "11010519491231002X"
    assert crypto.needs_reseal(envelope)
    moved = crypto.reseal(envelope, AAD)
    assert crypto.envelope_key_id(moved) == "k2"
    assert not crypto.needs_reseal(moved)
    assert crypto.envelope_key_id(crypto.seal("new", AAD)) == "k2"

    monkeypatch.setitem(ctx.config, "DATA_KEYS", {"k2": b64(KEY_B)})  # old key retired
    assert crypto.open_(moved, AAD) == "11010519491231002X"
    with pytest.raises(DecryptionError, match=repr(old_id)):
        crypto.open_(envelope, AAD)


def test_bad_app_keys_fail_clearly(ctx, monkeypatch):
    monkeypatch.setitem(ctx.config, "DATA_KEYS", {"prod1": b64(os.urandom(24))})
    monkeypatch.setitem(ctx.config, "DATA_KEY_ID", "prod1")
    with pytest.raises(KeyConfigError, match="'prod1' decodes to 24 bytes"):
        crypto.init_app(ctx)
    monkeypatch.setitem(ctx.config, "DATA_KEYS", {"prod1": b64(KEY_A)})
    monkeypatch.setitem(ctx.config, "BLIND_INDEX_KEY", b64(os.urandom(16)))
    with pytest.raises(KeyConfigError, match="BLIND_INDEX_KEY decodes to 16 bytes"):
        crypto.init_app(ctx)
