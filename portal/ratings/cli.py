"""`flask ratings compute --year 2025`: rate every member for a year (idempotent, audited).
Registered on the blueprint's command group, so `flask ratings ...` exists with the app."""

from __future__ import annotations

import click

from portal import clock
from portal.errors import DomainError
from portal.extensions import db
from portal.ratings.views import bp


@bp.cli.command("compute")
@click.option("--year", type=int, default=None, help="The year to rate (default: last year).")
def compute_command(year: int | None) -> None:
    """Compute (or recompute) a year's ratings for every member."""
    from portal.ratings.services import compute

    year = year or clock.today().year - 1
    try:
        run = compute.compute_year("command:ratings.compute", year, trigger="command")
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(
        f"{run.year}: {run.members} members, {run.rated} rated, {run.created} new, "
        f"{run.changed} changed; digest {run.digest}"
    )
