"""Complaints fixtures: English msgids, the statutory calendar, a member agency with its user,
one user per role, and a helper that files a complaint through the service."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest

from portal import calendar_edits
from portal.complaints.services import intake
from portal.complaints.services.intake import ComplaintInput, Submission
from portal.extensions import db as _db
from portal.members.models import Member, MemberUser
from tests.factories import DEFAULT_PASSWORD, make_user

T0 = datetime(2026, 6, 15, 2, 0, tzinfo=UTC)  # Monday 15 June 2026, 10:00 in Shanghai
_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def english(app, monkeypatch, request):
    """These tests read the English msgids (the default language is zh-CN); a test that
    asks for the `zh` fixture keeps Chinese."""
    if "zh" not in request.fixturenames:
        monkeypatch.setitem(app.config, "BABEL_DEFAULT_LOCALE", "en")


@pytest.fixture
def zh():
    """Ask for this to read the pages in Chinese (the portal's default)."""
    return "zh_CN"


@pytest.fixture
def upload_dir(app, tmp_path, monkeypatch):
    path = tmp_path / "uploads"
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(path))
    return path


@pytest.fixture
def seeded(db):
    """Every day chinesecalendar knows (2004-2026), official; rolled back after the test."""
    return calendar_edits.seed_from_chinesecalendar(actor="test")


@pytest.fixture
def now(clock_at):
    clock_at(T0)
    return T0


def make_member(name: str = "华康职业健康体检中心", city: str = "北京") -> Member:
    number = next(_numbers)
    member = Member(
        name=f"{name}{number}", city=city, member_no=f"OHA-2025-{number:05d}", approved_at=T0
    )
    _db.session.add(member)
    _db.session.flush()
    return member


@pytest.fixture
def member(db) -> Member:
    return make_member()


@pytest.fixture
def other_member(db) -> Member:
    return make_member("安康职业卫生技术服务有限公司", "上海")


def link_user(user, member: Member) -> None:
    _db.session.add(MemberUser(member_id=member.id, user_id=user.id))
    _db.session.flush()


@pytest.fixture(scope="session")
def _default_hash() -> str:
    from portal.accounts.passwords import hash_password

    return hash_password(DEFAULT_PASSWORD)


@pytest.fixture
def people(db, member, other_member, monkeypatch, _default_hash):
    """staff (two), committee members (two), two workers, a user of each member agency, an
    administrator; all with DEFAULT_PASSWORD (hashed once per run: argon2 is slow on purpose)."""
    from portal.accounts import services as account_services

    original = account_services.hash_password
    monkeypatch.setattr(
        account_services,
        "hash_password",
        lambda password: _default_hash if password == DEFAULT_PASSWORD else original(password),
    )
    made = {
        "staff": make_user("staff", "staff-a", display_name="王敏"),
        "staff2": make_user("staff", "staff-b", display_name="李娜"),
        "committee": make_user("committee", "committee-a", display_name="陈医生"),
        "committee2": make_user("committee", "committee-b", display_name="周律师"),
        "worker": make_user("worker", "worker-a", email="worker-a@example.cn"),
        "worker2": make_user("worker", "worker-b"),
        "member": make_user("member", "agency-a"),
        "member2": make_user("member", "agency-b"),
        "admin": make_user("admin", "admin-a"),
    }
    link_user(made["member"], member)
    link_user(made["member2"], other_member)
    return made


def complaint_input(member: Member | None = None, **changes) -> ComplaintInput:
    values = {
        "category": "service_quality",
        "subtype": "wrong_report",
        "description": "体检报告说我的听力正常，但复查发现中度听力损失。",
        "member_no": member.member_no if member else None,
        "agency_name": None if member else "某某未入会体检站",
        "name": "张卫国",
        "id_number": "11010519491231002X",
        "phone": "13812345678",
        "email": "zhang@example.cn",
        "health": "噪声作业十年，左耳听力下降。",
    }
    values.update(changes)
    return ComplaintInput(**values)


def commit() -> None:
    """Keep what a test set up when a request it makes later rolls back (a savepoint)."""
    _db.session.commit()


def file(
    actor=None, member: Member | None = None, *, channel="online", key=None, files=(), **changes
):
    """File a complaint through the service (one-time key unless given)."""
    submission = Submission("test", key or f"key-{next(_numbers):08d}-{'x' * 24}")
    filed = intake.file_complaint(
        actor,
        complaint_input(member, **changes),
        channel=channel,
        submission=submission,
        files=files,
    )
    _db.session.commit()  # (a savepoint) so that a request's rollback keeps it
    return filed
