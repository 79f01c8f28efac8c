"""`flask seed-demo`: demo accounts (one per role) and, as domains arrive, demo data.

Idempotent: running it again adds nothing that is already there.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable

import click
from flask import Flask
from sqlalchemy import delete, select

from portal import clock
from portal.accounts import services
from portal.accounts.models import User, UserTotp
from portal.accounts.two_factor import TWO_FACTOR_ROLES
from portal.extensions import db
from portal.security import Role

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 (documented demo accounts only)

DEMO_USERS = [
    ("admin", Role.ADMIN, "系统管理员 Admin"),
    ("staff", Role.STAFF, "秘书处 王敏"),
    ("committee", Role.COMMITTEE, "委员 李强"),
    ("member", Role.MEMBER, "华康职业健康体检中心"),
    ("worker", Role.WORKER, "劳动者 张伟"),
]

# Later domains append their own seeders here: each gets the demo users by username.
SEEDERS: list[Callable[[dict[str, User]], None]] = []


def seed_demo() -> dict[str, User]:
    users: dict[str, User] = {}
    for username, role, name in DEMO_USERS:
        user = db.session.scalar(select(User).where(User.username == username))
        if user is None:
            user = services.create_user(
                username=username,
                password=DEMO_PASSWORD,
                role=role,
                display_name=name,
                email=f"{username}@demo.oha.example.cn",
                actor="seed-demo",
            )
        users[username] = user
    for seeder in SEEDERS:
        seeder(users)
    _enrol_demo_totp()
    return users


def demo_totp_secret(username: str) -> str:
    """The fixed TOTP secret of a demo account (development data only: anyone who reads
    this code can compute it, as anyone can read DEMO_PASSWORD)."""
    digest = hashlib.sha256(f"oha-demo-totp:{username}".encode()).digest()
    return base64.b32encode(digest[:20]).decode()


def _enrol_demo_totp() -> None:
    """Demo staff, committee members and administrators (those of every seeder) come
    enrolled in two-factor sign-in with `demo_totp_secret(username)`."""
    roles = [role.value for role in TWO_FACTOR_ROLES]
    enrolled = select(UserTotp.user_id).where(UserTotp.confirmed_at.is_not(None))
    for user in db.session.scalars(
        select(User).where(User.role.in_(roles), User.id.not_in(enrolled))
    ):
        db.session.execute(delete(UserTotp).where(UserTotp.user_id == user.id))
        totp = UserTotp(user_id=user.id, confirmed_at=clock.now())
        totp.secret = demo_totp_secret(user.username)
        db.session.add(totp)
    db.session.flush()


def register(app: Flask) -> None:
    @app.cli.command("seed-demo")
    def seed_demo_command() -> None:
        """Load the demo accounts and data (safe to run again)."""
        seed_demo()
        db.session.commit()
        click.echo(
            "demo data ready; accounts: "
            + ", ".join(u for u, _r, _n in DEMO_USERS)
            + f" (password {DEMO_PASSWORD}; staff, committee and admin accounts use the"
            " TOTP secret portal.demo.demo_totp_secret(username))"
        )


from portal.members.demo import seed_members  # noqa: E402  (the members domain's demo data)

SEEDERS.append(seed_members)

from portal.complaints.demo import seed_complaints  # noqa: E402  (after the members: it names them)

SEEDERS.append(seed_complaints)

from portal.committees.demo import seed_committees  # noqa: E402  (the committees' demo data)

SEEDERS.append(seed_committees)

from portal.discipline.demo import seed_discipline  # noqa: E402  (after members and committees)

SEEDERS.append(seed_discipline)

from portal.publication.demo import seed_publication  # noqa: E402  (after the members)

SEEDERS.append(seed_publication)

from portal.mediation.demo import seed_mediation  # noqa: E402  (after complaints and committees)

SEEDERS.append(seed_mediation)

from portal.ratings.demo import seed_ratings  # noqa: E402  (after members, committees, publication)

SEEDERS.append(seed_ratings)
