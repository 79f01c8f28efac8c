"""Encrypted model fields: row binding, blind indexes, rotation, and nothing plain on disk.

The models here live on their own DeclarativeBase (own metadata), so they never enter the
app's schema or migrations; their tables go to a fresh SQLite file with a plain engine.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest
from sqlalchemy import String, create_engine, select
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from portal import crypto
from portal.crypto import (
    DecryptionError,
    EncryptedBlob,
    EncryptedFieldsMixin,
    blind_index,
    encrypted,
)
from portal.extensions import db as app_db
from portal.validators import normalize_resident_id

NAME = "张卫国"
ID_NUMBER = "11010519491231002X"


class Base(DeclarativeBase):
    pass


class Person(EncryptedFieldsMixin, Base):
    __tablename__ = "crypto_test_people"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_enc: Mapped[bytes | None] = mapped_column(EncryptedBlob)
    nickname_enc: Mapped[bytes | None] = mapped_column(EncryptedBlob)
    id_number_enc: Mapped[bytes | None] = mapped_column(EncryptedBlob)
    id_number_bidx: Mapped[str | None] = mapped_column(String(64), index=True)

    name = encrypted("name_enc")
    nickname = encrypted("nickname_enc")
    id_number = encrypted(
        "id_number_enc", blind_index="id_number_bidx", normalize=normalize_resident_id
    )


class Misdeclared(EncryptedFieldsMixin, Base):
    __tablename__ = "crypto_test_misdeclared"

    id: Mapped[int] = mapped_column(primary_key=True)
    secret_enc: Mapped[bytes | None] = mapped_column(EncryptedBlob)
    plain: Mapped[bytes | None] = mapped_column()
    secret = encrypted("secret_enc", blind_index="secret_bdix")  # typo: no such column
    other = encrypted("plain")  # not an EncryptedBlob column


def test_models_stay_out_of_the_app_schema():
    assert "crypto_test_people" not in app_db.metadata.tables
    assert Person.metadata is not app_db.metadata


@pytest.fixture
def engine(tmp_path: Path):
    engine = create_engine(f"sqlite:///{tmp_path / 'fields.sqlite3'}")
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session(app, engine):
    with app.app_context(), Session(engine, expire_on_commit=True) as session:
        yield session


def test_uid_is_assigned_at_construction():
    first, second = Person(), Person()
    assert len(first.uid) == 36 and first.uid != second.uid
    assert Person(uid="fixed-uid").uid == "fixed-uid"
    column = Person.__table__.c.uid
    assert column.unique and not column.nullable and column.type.length == 36


def test_uid_cannot_change_once_set():
    person = Person()
    person.uid = person.uid  # the same value is fine
    with pytest.raises(ValueError, match="uid cannot change"):
        person.uid = "another"


def test_round_trip_through_the_database(session):
    person = Person(name=NAME, id_number=ID_NUMBER)
    assert person.name == NAME and person.id_number == ID_NUMBER
    assert isinstance(person.name_enc, bytes) and NAME.encode() not in person.name_enc
    session.add(person)
    session.commit()
    session.expunge_all()
    loaded = session.scalars(select(Person)).one()
    assert loaded.name == NAME
    assert loaded.id_number == ID_NUMBER
    assert loaded.nickname is None and loaded.nickname_enc is None


def test_aad_is_table_column_and_uid(session):
    person = Person(uid="u-1", name=NAME)
    assert Person.name.aad(person) == b"crypto_test_people.name_enc:u-1"
    assert crypto.open_(person.name_enc, b"crypto_test_people.name_enc:u-1") == NAME


def test_setting_none_clears_value_and_index(session):
    person = Person(name=NAME, id_number=ID_NUMBER)
    person.name = None
    person.id_number = None
    assert person.name_enc is None and person.name is None
    assert person.id_number_enc is None and person.id_number_bidx is None


def test_only_text_is_accepted(session):
    with pytest.raises(TypeError):
        Person(name=12345)


def test_ciphertext_copied_to_another_row_fails(session):
    alice, bob = Person(name=NAME), Person(name="李小梅")
    session.add_all([alice, bob])
    session.commit()
    bob.name_enc = alice.name_enc
    with pytest.raises(DecryptionError):
        _ = bob.name
    session.commit()
    bob_id = bob.id
    session.expunge_all()
    bob = session.get(Person, bob_id)
    with pytest.raises(DecryptionError):
        _ = bob.name


def test_ciphertext_copied_to_another_column_fails(session):
    person = Person(name=NAME, id_number=ID_NUMBER)
    person.nickname_enc = person.name_enc
    with pytest.raises(DecryptionError):
        _ = person.nickname
    person.name_enc = person.id_number_enc
    with pytest.raises(DecryptionError):
        _ = person.name


def test_ciphertext_survives_only_with_its_uid(session):
    person = Person(name=NAME)
    twin = Person(uid=person.uid)  # same uid (never in practice: the column is unique)
    twin.name_enc = person.name_enc
    assert twin.name == NAME
    stranger = Person()
    stranger.name_enc = person.name_enc
    with pytest.raises(DecryptionError):
        _ = stranger.name


def test_encrypted_column_refuses_plain_bytes(session):
    person = Person()
    person.name_enc = "张卫国".encode()
    session.add(person)
    with pytest.raises(StatementError, match="not an encryption envelope"):
        session.flush()


def test_blind_index_lookup(session):
    session.add_all(
        [
            Person(name=NAME, id_number=ID_NUMBER),
            Person(name="李小梅", id_number="11010519800101123X"),
        ]
    )
    session.commit()
    found = session.scalars(
        select(Person).where(
            Person.id_number_bidx == blind_index(Person.id_number, " 11010519491231002x ")
        )
    ).one()
    assert found.name == NAME
    by_purpose = blind_index("crypto_test_people.id_number", ID_NUMBER)
    assert session.scalars(select(Person).where(Person.id_number_bidx == by_purpose)).one() is found
    assert Person.id_number.purpose == "crypto_test_people.id_number"


def test_blind_index_properties(session):
    stored = Person(id_number="11010519491231002x").id_number_bidx
    assert stored == blind_index(Person.id_number, ID_NUMBER)  # equal after normalizing
    assert len(stored) == 64 and int(stored, 16) >= 0
    assert blind_index("p", "abc") == blind_index("p", "abc")
    assert blind_index("p", "abc") != blind_index("p", "abd")
    assert blind_index("p", "abc") != blind_index("q", "abc")  # the purpose separates
    assert blind_index("p", "abc") != blind_index("pa", "bc")  # no ambiguous concatenation
    assert blind_index("p", "ABC") != blind_index("p", "abc")  # strings are not normalized
    assert blind_index("p", None) is None
    assert ID_NUMBER not in stored


def test_blind_index_depends_on_its_key(app, monkeypatch):
    with app.app_context():
        before = blind_index("p", ID_NUMBER)
        monkeypatch.setitem(
            app.config, "BLIND_INDEX_KEY", base64.b64encode(os.urandom(32)).decode()
        )
        assert blind_index("p", ID_NUMBER) != before


def test_misdeclared_fields_fail_loudly(session):
    with pytest.raises(AttributeError, match="secret_bdix is not a mapped column"):
        Misdeclared(secret="x")
    with pytest.raises(TypeError, match="must be an EncryptedBlob column"):
        Misdeclared(other="x")


def test_rotation_of_stored_rows(app, engine, monkeypatch):
    with app.app_context(), Session(engine) as session:
        person = Person(name=NAME, id_number=ID_NUMBER)
        session.add(person)
        session.commit()
        old_id = app.config["DATA_KEY_ID"]
        assert crypto.envelope_key_id(person.name_enc) == old_id

        new_key = base64.b64encode(os.urandom(32)).decode()
        monkeypatch.setitem(app.config, "DATA_KEYS", {**app.config["DATA_KEYS"], "k2": new_key})
        monkeypatch.setitem(app.config, "DATA_KEY_ID", "k2")
        session.expunge_all()
        person = session.scalars(select(Person)).one()
        assert person.name == NAME  # old rows still open
        assert crypto.needs_reseal(person.name_enc)
        assert crypto.reseal_row(person) == 2  # name and id_number; nickname is None
        assert crypto.reseal_row(person) == 0
        session.commit()

        monkeypatch.setitem(app.config, "DATA_KEYS", {"k2": new_key})  # the old key retired
        session.expunge_all()
        person = session.scalars(select(Person)).one()
        assert crypto.envelope_key_id(person.name_enc) == "k2"
        assert (person.name, person.id_number) == (NAME, ID_NUMBER)
        assert person.id_number_bidx == blind_index(Person.id_number, ID_NUMBER)


def test_encrypted_fields_lists_them():
    assert set(crypto.encrypted_fields(Person)) == {"name", "nickname", "id_number"}


def _raw_bytes(database: Path) -> bytes:
    files = [
        database,
        *(database.with_name(database.name + suffix) for suffix in ("-wal", "-journal")),
    ]
    return b"".join(path.read_bytes() for path in files if path.exists())


def _encodings(text: str) -> list[bytes]:
    return [text.encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be", "gb18030")]


def test_database_file_holds_no_plaintext(app, tmp_path):
    database = tmp_path / "at-rest.sqlite3"
    engine = create_engine(f"sqlite:///{database}")
    Base.metadata.create_all(engine)
    secrets = [NAME, ID_NUMBER, f"{NAME} {ID_NUMBER}"]
    with app.app_context(), Session(engine) as session:
        person = Person(name=NAME, id_number=ID_NUMBER, nickname=f"{NAME} {ID_NUMBER}")
        uid = person.uid
        session.add(person)
        session.commit()
    checks = {"while open (with the WAL)": _raw_bytes(database)}
    engine.dispose()
    checks["after closing"] = _raw_bytes(database)

    for moment, raw in checks.items():
        assert uid.encode() in raw, f"{moment}: the row is not in the bytes searched"
        for secret in secrets:
            for encoded in _encodings(secret):
                assert encoded not in raw, f"{moment}: plaintext {encoded!r} found on disk"

    reader = create_engine(f"sqlite:///{database}")
    try:
        with app.app_context(), Session(reader) as session:
            person = session.scalars(select(Person).where(Person.uid == uid)).one()
            assert (person.name, person.id_number, person.nickname) == (
                NAME,
                ID_NUMBER,
                f"{NAME} {ID_NUMBER}",
            )
    finally:
        reader.dispose()
