"""`flask inspections redraw --year 2026`: run a year's draw again from its published seed,
member list, pool and exclusions, and say whether it gives what was stored. `--file` runs
it from a downloaded draw.json instead (no database needed beyond the app)."""

from __future__ import annotations

import json

import click

from portal.inspections import draw as drawing
from portal.inspections.views import bp


def _print(result: drawing.DrawResult) -> None:
    for position, member in enumerate(result.drawn, start=1):
        click.echo(f"{position:4d}  {member}  {' '.join(result.inspectors[member])}")


@bp.cli.command("redraw")
@click.option("--year", type=int, help="A stored draw's year.")
@click.option("--file", "path", type=click.Path(exists=True, dir_okay=False), help="A draw.json.")
def redraw_command(year: int | None, path: str | None) -> None:
    """Re-run a draw from what was published and compare it with the published result."""
    from portal.inspections import services

    if path:
        data = json.loads(open(path, encoding="utf-8").read())  # noqa: SIM115
        again = drawing.run_draw(
            data["seed"],
            data["members"],
            data["pool"],
            data.get("exclusions", {}),
            data.get("percent", 20),
            data.get("per_member", 2),
        )
        published = drawing.DrawResult(
            drawn=[row["member_no"] for row in data.get("result", [])],
            inspectors={row["member_no"]: row["inspectors"] for row in data.get("result", [])},
        )
        same = again == published
    elif year:
        again, same = services.redraw(services.draw_of(year))
    else:
        raise click.UsageError("give --year or --file")
    _print(again)
    click.echo(
        "the same as the published result" if same else "DIFFERENT from the published result"
    )
    if not same:
        raise SystemExit(1)
