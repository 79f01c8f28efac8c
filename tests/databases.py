"""Fresh, empty databases of the suite's kind, for tests that need real commits."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from portal.config import TestingConfig

PG_URL = os.environ.get("PORTAL_TEST_DATABASE_URL")


def suite_config() -> dict:
    """The suite's settings (`TestingConfig`) as a dict, for an app a test builds itself."""
    return {k: getattr(TestingConfig, k) for k in dir(TestingConfig) if k.isupper()}


@contextmanager
def empty_database(tmp_path: Path, name: str = "fresh") -> Iterator[str]:
    """A URL to a new empty database: a SQLite file, or a PostgreSQL database dropped after."""
    if not PG_URL:
        yield f"sqlite:///{tmp_path}/{name}.sqlite3"
        return
    database = f"portal_{name}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{database}"'))
    try:
        yield make_url(PG_URL).set(database=database).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()
