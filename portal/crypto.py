"""Field encryption at rest: AES-256-GCM envelopes bound to their row, blind indexes, masking.

Keys come from the app config (see portal/config.py):

- ``DATA_KEYS``: ``{key_id: base64 of 32 bytes}``; ``DATA_KEY_ID`` names the one that
  encrypts. Every other key only decrypts, so a new key can be added and made current
  while old rows still open (then `reseal` moves them over).
- ``BLIND_INDEX_KEY``: base64 of 32 bytes, the HMAC key of the blind indexes. It cannot
  be rotated without recomputing every index column.

The key ring is built from the config on first use and cached in ``app.extensions``; it
is rebuilt when those config values change. A malformed key raises `KeyConfigError`
naming the key id.

Envelope (the bytes stored in an `EncryptedBlob` column)::

    version (1 byte, = 1) | key id length n (1 byte) | key id (n ASCII bytes)
    | nonce (12 random bytes) | AES-GCM ciphertext + 16-byte tag

The associated data given to AES-GCM is the envelope header (version, length, key id)
followed by the caller's `aad`, so neither the header nor the context can be swapped.
`open_` raises `DecryptionError` on any tampering, a wrong `aad`, an unknown key id or
a malformed envelope.

On models::

    class Complainant(EncryptedFieldsMixin, db.Model):
        __tablename__ = "complainants"
        id: Mapped[int] = mapped_column(primary_key=True)
        # uid: Mapped[str] comes from the mixin (uuid4 string set in __init__)
        name_enc: Mapped[bytes | None] = mapped_column(EncryptedBlob)
        id_number_enc: Mapped[bytes | None] = mapped_column(EncryptedBlob)
        id_number_bidx: Mapped[str | None] = mapped_column(String(64), index=True)

        name = encrypted("name_enc")
        id_number = encrypted("id_number_enc", blind_index="id_number_bidx",
                              normalize=normalize_resident_id)

    person = Complainant(name="张卫国", id_number="11010519491231002x")
    person.name                      # "张卫国" (decrypted on every read)
    select(Complainant).where(
        Complainant.id_number_bidx == blind_index(Complainant.id_number, "11010519491231002X"))

- Reading a field decrypts its column; setting it encrypts under the current key with
  ``aad = field_aad(table, column, uid)`` = ``b"<table>.<column>:<uid>"`` (database
  table and column names), so a ciphertext copied to another row or column does not open.
  Setting None stores None (and None in the blind index column).
- A field with ``blind_index=`` also stores ``blind_index(field, value)`` in that column:
  HMAC-SHA256(BLIND_INDEX_KEY, purpose, NUL, normalize(value)) as 64 hex characters. The
  purpose defaults to ``"<table>.<field>"`` (e.g. ``"complainants.id_number"``); pass
  ``purpose=`` to keep it stable if the field is renamed. ``normalize`` applies to the index
  only; the field stores the value as given, so normalize before storing if that matters.
  ``blind_index("complainants.id_number", value)`` takes the purpose as a string too,
  but then does not normalize: prefer passing the field.
- The row's ``uid`` must never change once fields are encrypted; the mixin refuses it.

Rotation: add the new key to DATA_KEYS and make it DATA_KEY_ID; rows then still open.
`needs_reseal(envelope)` tells whether an envelope uses another key; `reseal(envelope,
aad)` re-encrypts it under the current key; `reseal_row(obj)` does it for every encrypted
field of one model instance.

Masking for people who need not see a value in full: `mask`, `mask_name` (张**),
`mask_id_number` (1101**********1234), `mask_phone` (138****5678).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import uuid
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, overload

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import Flask, current_app
from sqlalchemy import LargeBinary, String
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import InvalidRequestError, NoInspectionAvailable
from sqlalchemy.orm import Mapped, mapped_column, validates
from sqlalchemy.types import TypeDecorator

VERSION = 1
NONCE_BYTES = 12
TAG_BYTES = 16
KEY_BYTES = 32
_EXTENSION = "portal.crypto"


class CryptoError(Exception):
    """Base of the errors of this module."""


class KeyConfigError(CryptoError, ValueError):
    """DATA_KEYS, DATA_KEY_ID or BLIND_INDEX_KEY is missing or malformed."""


class DecryptionError(CryptoError):
    """An envelope did not open: tampered, wrong associated data, unknown key or malformed.

    The message never holds plaintext or key material.
    """


# --- keys ---------------------------------------------------------------------------------


def _decode_key(encoded: Any, name: str) -> bytes:
    if isinstance(encoded, bytes):
        encoded = encoded.decode("ascii", "replace")
    if not isinstance(encoded, str) or not encoded.strip():
        raise KeyConfigError(f"{name} is empty: give the base64 of {KEY_BYTES} random bytes")
    try:
        raw = base64.b64decode(encoded.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise KeyConfigError(f"{name} is not valid base64") from None
    if len(raw) != KEY_BYTES:
        raise KeyConfigError(
            f"{name} decodes to {len(raw)} bytes; AES-256 needs exactly {KEY_BYTES}"
        )
    return raw


def _check_key_id(key_id: Any) -> None:
    if not isinstance(key_id, str) or not key_id:
        raise KeyConfigError(f"data key id {key_id!r} must be a non-empty string")
    if not key_id.isascii() or not key_id.isprintable() or len(key_id) > 255:
        raise KeyConfigError(
            f"data key id {key_id!r} must be at most 255 printable ASCII characters"
        )


def generate_key() -> str:
    """A new random key, base64-encoded, for DATA_KEYS or BLIND_INDEX_KEY."""
    return base64.b64encode(os.urandom(KEY_BYTES)).decode("ascii")


class KeyRing:
    """The data keys by id; `current_id` names the one that encrypts.

    Built from raw 32-byte keys; `KeyRing.from_config` decodes the app config.
    Its repr shows key ids only.
    """

    __slots__ = ("_aead", "current_id", "keys")

    def __init__(self, keys: Mapping[str, bytes], current_id: str):
        if not keys:
            raise KeyConfigError("DATA_KEYS is empty: at least one data key is needed")
        for key_id, key in keys.items():
            _check_key_id(key_id)
            if not isinstance(key, bytes) or len(key) != KEY_BYTES:
                size = len(key) if isinstance(key, bytes) else type(key).__name__
                raise KeyConfigError(
                    f"data key {key_id!r} is {size} bytes; AES-256 needs exactly {KEY_BYTES}"
                )
        if current_id not in keys:
            raise KeyConfigError(
                f"DATA_KEY_ID {current_id!r} is not among the data keys ({', '.join(keys)})"
            )
        self.keys: Mapping[str, bytes] = MappingProxyType(dict(keys))
        self.current_id = current_id
        self._aead = {key_id: AESGCM(key) for key_id, key in keys.items()}

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> KeyRing:
        """Decode DATA_KEYS ({id: base64}) and DATA_KEY_ID from a Flask config."""
        encoded = config.get("DATA_KEYS") or {}
        if not isinstance(encoded, Mapping):
            raise KeyConfigError("DATA_KEYS must map key ids to base64 keys")
        keys = {}
        for key_id, value in encoded.items():
            _check_key_id(key_id)
            keys[key_id] = _decode_key(value, f"data key {key_id!r}")
        return cls(keys, config.get("DATA_KEY_ID") or "")

    def __repr__(self) -> str:
        return f"KeyRing(key_ids={sorted(self.keys)!r}, current_id={self.current_id!r})"

    def seal(self, plaintext: str, aad: bytes) -> bytes:
        """Encrypt `plaintext` under the current key, bound to `aad`."""
        if not isinstance(plaintext, str):
            raise TypeError(f"seal() takes a str, not {type(plaintext).__name__}")
        header = _header(self.current_id)
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._aead[self.current_id].encrypt(
            nonce, plaintext.encode("utf-8"), header + bytes(aad)
        )
        return header + nonce + sealed

    def open_(self, envelope: bytes, aad: bytes) -> str:
        """Decrypt with the key the envelope names; DecryptionError if it does not open."""
        header, key_id, nonce, sealed = _parse(envelope)
        aead = self._aead.get(key_id)
        if aead is None:
            raise DecryptionError(f"the envelope names key {key_id!r}, which is not configured")
        try:
            plain = aead.decrypt(nonce, sealed, header + bytes(aad))
        except InvalidTag:
            raise DecryptionError(
                "the envelope does not open: it was altered, or belongs to another "
                f"row or column (key {key_id!r})"
            ) from None
        try:
            return plain.decode("utf-8")
        except UnicodeDecodeError:  # pragma: no cover - seal() only encrypts str
            raise DecryptionError("the decrypted value is not UTF-8 text") from None

    def needs_reseal(self, envelope: bytes) -> bool:
        """True if the envelope is under a key other than the current one."""
        return envelope_key_id(envelope) != self.current_id

    def reseal(self, envelope: bytes, aad: bytes) -> bytes:
        """Open with whichever key it names; seal again under the current key (new nonce)."""
        return self.seal(self.open_(envelope, aad), aad)


def _header(key_id: str) -> bytes:
    raw = key_id.encode("ascii")
    return bytes((VERSION, len(raw))) + raw


def _parse(envelope: bytes) -> tuple[bytes, str, bytes, bytes]:
    if not isinstance(envelope, bytes | bytearray | memoryview):
        raise DecryptionError(f"an envelope is bytes, not {type(envelope).__name__}")
    data = bytes(envelope)
    if len(data) < 2:
        raise DecryptionError("the envelope is truncated")
    if data[0] != VERSION:
        raise DecryptionError(f"unknown envelope version {data[0]}")
    id_len = data[1]
    end = 2 + id_len
    if id_len == 0 or len(data) < end + NONCE_BYTES + TAG_BYTES:
        raise DecryptionError("the envelope is truncated")
    try:
        key_id = data[2:end].decode("ascii")
    except UnicodeDecodeError:
        raise DecryptionError("the envelope's key id is not ASCII") from None
    return data[:end], key_id, data[end : end + NONCE_BYTES], data[end + NONCE_BYTES :]


def envelope_key_id(envelope: bytes) -> str:
    """The key id an envelope names (DecryptionError if it is malformed)."""
    return _parse(envelope)[1]


class _State:
    __slots__ = ("blind_key", "fingerprint", "ring")

    def __init__(self, fingerprint: tuple, ring: KeyRing, blind_key: bytes):
        self.fingerprint = fingerprint
        self.ring = ring
        self.blind_key = blind_key


def _state(app: Flask | None = None) -> _State:
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    config = app.config
    data_keys = config.get("DATA_KEYS") or {}
    fingerprint = (
        tuple(sorted(data_keys.items())) if isinstance(data_keys, Mapping) else data_keys,
        config.get("DATA_KEY_ID"),
        config.get("BLIND_INDEX_KEY"),
    )
    state = app.extensions.get(_EXTENSION)
    if state is None or state.fingerprint != fingerprint:
        state = _State(
            fingerprint,
            KeyRing.from_config(config),
            _decode_key(config.get("BLIND_INDEX_KEY"), "BLIND_INDEX_KEY"),
        )
        app.extensions[_EXTENSION] = state
    return state


def key_ring(app: Flask | None = None) -> KeyRing:
    """The app's key ring (current_app by default), built once and cached."""
    return _state(app).ring


def init_app(app: Flask) -> None:
    """Check the keys at start-up so a bad key fails at once, not at the first read."""
    _state(app)


# --- envelope functions on the current app's keys --------------------------------------


def seal(plaintext: str, aad: bytes) -> bytes:
    """Encrypt under the current app's current key, bound to `aad`."""
    return key_ring().seal(plaintext, aad)


def open_(envelope: bytes, aad: bytes) -> str:
    """Decrypt with any configured key; DecryptionError on tamper, wrong aad or unknown key."""
    return key_ring().open_(envelope, aad)


def needs_reseal(envelope: bytes) -> bool:
    """True if the envelope is under a key other than DATA_KEY_ID."""
    return key_ring().needs_reseal(envelope)


def reseal(envelope: bytes, aad: bytes) -> bytes:
    """Decrypt with any configured key and encrypt again under DATA_KEY_ID."""
    return key_ring().reseal(envelope, aad)


def field_aad(table: str, column: str, uid: str) -> bytes:
    """The associated data of one field of one row: b"<table>.<column>:<uid>"."""
    if not uid:
        raise ValueError(f"{table}.{column}: the row has no uid to bind its ciphertext to")
    return f"{table}.{column}:{uid}".encode()


# --- blind index --------------------------------------------------------------------------


def blind_index(purpose: str | EncryptedField, value: str | None) -> str | None:
    """HMAC-SHA256 (hex) of `value` for equality lookups; None for None.

    `purpose` is an encrypted field (``Model.field``: its purpose, and its normalize applied
    to `value`) or a purpose string such as "complainants.id_number" (value used as given).
    """
    if value is None:
        return None
    if isinstance(purpose, EncryptedField):
        value = purpose.normalize(value) if purpose.normalize else value
        purpose = purpose.purpose
    if not isinstance(value, str):
        raise TypeError(f"blind_index() takes a str value, not {type(value).__name__}")
    message = purpose.encode("utf-8") + b"\x00" + value.encode("utf-8")
    return hmac.new(_state().blind_key, message, hashlib.sha256).hexdigest()


# --- columns and model fields --------------------------------------------------------------


class EncryptedBlob(TypeDecorator):
    """A binary column holding an envelope; refuses anything that is not one.

    Use it through an `encrypted(...)` field, which supplies the row-bound aad.
    """

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> bytes | None:
        if value is None:
            return None
        if not isinstance(value, bytes | bytearray | memoryview):
            raise TypeError(
                f"an encrypted column takes an envelope (bytes), not {type(value).__name__}"
            )
        try:
            _parse(value)
        except DecryptionError as error:
            raise ValueError(f"not an encryption envelope: {error}") from None
        return bytes(value)

    def process_result_value(self, value: Any, dialect: Any) -> bytes | None:
        return None if value is None else bytes(value)


def _new_uid() -> str:
    return str(uuid.uuid4())


class EncryptedFieldsMixin:
    """Gives a model the `uid` its ciphertexts are bound to (uuid4, set in __init__)."""

    uid: Mapped[str] = mapped_column(String(36), unique=True, nullable=False, default=_new_uid)

    def __init__(self, **kwargs: Any) -> None:
        # uid first: the encrypted fields among kwargs need it as their aad.
        self.uid = kwargs.pop("uid", None) or _new_uid()
        super().__init__(**kwargs)

    @validates("uid")
    def _keep_uid(self, _key: str, value: str) -> str:
        current = self.__dict__.get("uid")
        if current is not None and value != current:
            raise ValueError("a row's uid cannot change: its encrypted fields are bound to it")
        return value


def _mapped_column(cls: type, attr: str) -> Any:
    try:
        return sa_inspect(cls).get_property(attr).columns[0]
    except (NoInspectionAvailable, InvalidRequestError, AttributeError, IndexError):
        raise AttributeError(f"{cls.__name__}.{attr} is not a mapped column") from None


class EncryptedField:
    """The descriptor made by `encrypted()`; see the module docstring."""

    def __init__(
        self,
        column: str,
        *,
        blind_index: str | None = None,
        normalize: Callable[[str], str] | None = None,
        purpose: str | None = None,
    ):
        self.column = column
        self.blind_index_column = blind_index
        self.normalize = normalize
        self._purpose = purpose
        self.name = ""
        self.owner: type | None = None
        self._targets: dict[type, tuple[str, str]] = {}

    def __set_name__(self, owner: type, name: str) -> None:
        self.owner = owner
        self.name = name

    @property
    def purpose(self) -> str:
        """The blind index purpose: `purpose=` if given, else "<table>.<field>"."""
        if self._purpose:
            return self._purpose
        table = getattr(self.owner, "__tablename__", None)
        if not isinstance(table, str):
            raise TypeError(f"encrypted field {self.name!r} needs purpose= (no __tablename__)")
        return f"{table}.{self.name}"

    def _target(self, cls: type) -> tuple[str, str]:
        target = self._targets.get(cls)
        if target is None:
            column = _mapped_column(cls, self.column)
            if not isinstance(column.type, EncryptedBlob):
                raise TypeError(f"{cls.__name__}.{self.column} must be an EncryptedBlob column")
            if self.blind_index_column:
                _mapped_column(cls, self.blind_index_column)
            target = (column.table.name, column.name)
            self._targets[cls] = target
        return target

    def aad(self, obj: Any) -> bytes:
        """The associated data of this field on `obj`."""
        table, column = self._target(type(obj))
        return field_aad(table, column, getattr(obj, "uid", None))

    @overload
    def __get__(self, obj: None, owner: type) -> EncryptedField: ...

    @overload
    def __get__(self, obj: object, owner: type) -> str | None: ...

    def __get__(self, obj: object | None, owner: type) -> EncryptedField | str | None:
        if obj is None:
            return self
        envelope = getattr(obj, self.column)
        if envelope is None:
            return None
        return open_(envelope, self.aad(obj))

    def __set__(self, obj: object, value: str | None) -> None:
        if value is None:
            envelope = index = None
        elif isinstance(value, str):
            envelope = seal(value, self.aad(obj))
            index = blind_index(self, value) if self.blind_index_column else None
        else:
            raise TypeError(f"{self.name} takes a str or None, not {type(value).__name__}")
        if self.blind_index_column:
            self._target(type(obj))  # checks the index column is mapped
            setattr(obj, self.blind_index_column, index)
        setattr(obj, self.column, envelope)

    def __repr__(self) -> str:
        return f"encrypted({self.column!r}, blind_index={self.blind_index_column!r})"


def encrypted(
    column: str,
    *,
    blind_index: str | None = None,
    normalize: Callable[[str], str] | None = None,
    purpose: str | None = None,
) -> EncryptedField:
    """A model attribute stored encrypted in `column` (an EncryptedBlob column).

    `blind_index`: the String(64) column that receives the blind index of the value.
    `normalize`: applied to the value before indexing (e.g. str.upper).
    `purpose`: the blind index purpose, by default "<table>.<attribute name>".
    """
    return EncryptedField(column, blind_index=blind_index, normalize=normalize, purpose=purpose)


def encrypted_fields(cls: type) -> dict[str, EncryptedField]:
    """The encrypted fields of a model class, by attribute name."""
    fields: dict[str, EncryptedField] = {}
    for klass in reversed(cls.__mro__):
        for name, value in vars(klass).items():
            if isinstance(value, EncryptedField):
                fields[name] = value
    return fields


def reseal_row(obj: Any) -> int:
    """Re-encrypt under the current key every field of `obj` that uses another key.

    Returns how many columns changed (the caller commits).
    """
    changed = 0
    for field in encrypted_fields(type(obj)).values():
        envelope = getattr(obj, field.column)
        if envelope is not None and needs_reseal(envelope):
            setattr(obj, field.column, reseal(envelope, field.aad(obj)))
            changed += 1
    return changed


# --- masking ------------------------------------------------------------------------------


def mask(value: str | None, keep_start: int = 1, keep_end: int = 1, fill: str = "*") -> str:
    """Hide the middle of `value`, one `fill` per hidden character; "" for None.

    If keeping `keep_start` + `keep_end` characters would show everything, only the first
    character is kept (nothing of a single character).
    """
    if not value:
        return ""
    n = len(value)
    if keep_start < 0 or keep_end < 0:
        raise ValueError("keep_start and keep_end cannot be negative")
    if keep_start + keep_end >= n:
        keep_start, keep_end = min(1, n - 1), 0
    return value[:keep_start] + fill * (n - keep_start - keep_end) + value[n - keep_end :]


def mask_name(value: str | None) -> str:
    """张卫国 -> 张**; Zhang Wei -> Z********."""
    return mask(value.strip() if value else value, 1, 0)


def mask_id_number(value: str | None) -> str:
    """110105194912310021 -> 1101**********0021 (the birth date hidden)."""
    return mask(value.strip() if value else value, 4, 4)


def mask_phone(value: str | None) -> str:
    """13812345678 -> 138****5678."""
    return mask(value.strip() if value else value, 3, 4)
