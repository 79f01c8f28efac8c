# ruff: noqa: F811  (fixture parameters named like the imported fixtures)
"""Mediation fixtures: the complaints fixtures (English msgids, calendar, people, agencies),
a mediation committee in office, and helpers that take a case through its steps."""

from __future__ import annotations

import pytest

from portal.extensions import db as _db
from tests.committees.factories import committee_user, make_committee, seat
from tests.complaints.conftest import (  # noqa: F401  (fixtures shared with complaints)
    _default_hash,
    english,
    member,
    now,
    other_member,
    people,
    seeded,
    upload_dir,
    zh,
)
from tests.mediation.factories import accepted_complaint


@pytest.fixture
def board(people):
    """The mediation committee: two medical experts, a legal expert, a worker and an
    industry representative in office; `people["committee"]` is the legal expert and
    `people["committee2"]` the worker representative."""
    admin = people["admin"]
    made = make_committee(admin, "mediation", medical=2, industry=1)
    seat(admin, made.committee, people["committee"], "legal")
    seat(admin, made.committee, people["committee2"], "worker")
    _db.session.commit()
    return made


@pytest.fixture
def complaint(seeded, now, people, member):
    return accepted_complaint(people, member)


@pytest.fixture
def outsider(people):
    """A committee member who sits on no panel."""
    return committee_user("outsider")
