"""Migrations: `upgrade head` from empty gives exactly the models' schema, and every
revision goes down and up again. Runs on a fresh database of the suite's kind."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from portal import create_app
from portal.extensions import db
from portal.ratings.services import compute
from tests.databases import empty_database
from tests.ratings.factories import file_figures, make_member


@pytest.fixture
def migration_app(tmp_path):
    with empty_database(tmp_path, "migrations") as url:
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            yield app
            db.session.remove()
            db.engine.dispose()


def _schema_differences():
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_upgrade_head_gives_exactly_the_models_schema(migration_app):
    upgrade()
    assert _schema_differences() == []


def test_every_revision_goes_down_and_up(migration_app):
    script = ScriptDirectory.from_config(migration_app.extensions["migrate"].migrate.get_config())
    revisions = list(script.walk_revisions("base", "heads"))
    assert revisions, "no migrations found"
    upgrade()
    for _ in revisions:
        downgrade(revision="-1")
    with db.engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() is None
    for _ in revisions:
        upgrade(revision="+1")
    assert _schema_differences() == []


def test_there_is_a_single_head(migration_app):
    script = ScriptDirectory.from_config(migration_app.extensions["migrate"].migrate.get_config())
    assert len(script.get_heads()) == 1


def test_the_register_gets_each_agencys_name_when_the_column_arrives(migration_app):
    """7b2e4c1d9a05 fills `public_entries.member_name` from the members already published."""
    upgrade(revision="3f6d2a9c8b17")
    with db.engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO members (id, name, qualification_lapsed, suspended, profile_text,"
                " created_at) VALUES (1, '华康职业健康体检中心', false, false, '',"
                " '2026-01-01 00:00:00')"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO public_entries (member_id, decision_no, source_ref, level, measures,"
                " title, summary, took_effect_on, published_until, blacklist, published_at)"
                " VALUES (1, 'OHA-D-2026-001', 'discipline_decision:1', 'serious', '[]', '决定',"
                " '', '2026-01-10', '2028-01-09', true, '2026-01-10 00:00:00')"
            )
        )
    upgrade()
    with db.engine.connect() as conn:
        names = conn.execute(sa.text("SELECT member_name FROM public_entries")).scalars().all()
    assert names == ["华康职业健康体检中心"]


def test_stored_rating_fingerprints_are_recomputed_so_the_next_run_rewrites_nothing(
    migration_app, clock_at
):
    """fc8bacbde021 gives each stored result the fingerprint the current code computes; a
    row left with an older fingerprint would count as changed and be written again."""
    upgrade()
    clock_at(datetime(2026, 1, 20, 2, 0, tzinfo=UTC))
    member = make_member()
    file_figures(member)
    compute.compute_year("command", 2025)
    db.session.commit()
    with db.engine.begin() as conn:
        conn.execute(sa.text("UPDATE rating_results SET fingerprint = 'before the upgrade'"))
    downgrade(revision="7b2e4c1d9a05")
    upgrade()
    run = compute.compute_year("command", 2025)
    db.session.commit()
    assert (run.members, run.created, run.changed) == (1, 0, 0)
