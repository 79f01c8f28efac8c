"""`flask users ...`: manage accounts from the command line."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from portal.accounts import services
from portal.accounts.models import User
from portal.errors import DomainError
from portal.extensions import db
from portal.security import Role

users_cli = AppGroup("users", help="User accounts.")


@users_cli.command("create")
@click.option("--username", required=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--name", "display_name", required=True, help="Name shown to others.")
@click.option("--email", default=None)
@click.password_option(help="Prompted for when not given.")
def create(username: str, role: str, display_name: str, email: str | None, password: str) -> None:
    """Create an account with any role (administrators, staff, committee members)."""
    try:
        user = services.create_user(
            username=username,
            password=password,
            role=Role(role),
            display_name=display_name,
            email=email,
            actor="cli",
        )
    except DomainError as error:
        db.session.rollback()
        details = "; ".join(f"{k}: {v}" for k, v in error.fields.items())
        raise click.ClickException(f"{error.message} {details}".strip()) from error
    db.session.commit()
    click.echo(f"created {user.username} ({user.role})")


@users_cli.command("list")
def list_users() -> None:
    """List accounts with their roles."""
    for user in db.session.scalars(select(User).order_by(User.username)):
        state = "active" if user.active else "disabled"
        click.echo(f"{user.id:5}  {user.username:24} {user.role:10} {state}")


def register(app: Flask) -> None:
    app.cli.add_command(users_cli)
