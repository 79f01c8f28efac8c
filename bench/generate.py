"""Build a realistic data set quickly, for the benchmark: bulk INSERTs (SQLAlchemy Core,
batches of a few thousand rows), never the ORM row by row.

    python -m bench.generate --database-url URL --scale 1.0    # the large set
    python -m bench.generate --database-url URL --scale 0.1    # a tenth of it

At scale 1.0: 20,000 members, 500,000 complaints across all states (with their deadlines),
20,000 discipline decisions and 5 years of ratings. The schema is created from the models
(the migration tests prove it equals `flask db upgrade`). Personal fields are sealed with the
configured data key exactly as the ORM would seal them, so the portal can read them back.
Random choices come from one seeded generator: the same scale gives the same data.
"""

from __future__ import annotations

import argparse
import importlib
import random
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Table, insert, text

from portal import create_app
from portal.extensions import db

LARGE = {
    "members": 20_000,
    "complaints": 500_000,
    "decisions": 20_000,
    "rating_years": 5,
}
BATCH = 5_000
DOMAIN_GENERATORS = (
    "bench.gen_members",
    "bench.gen_complaints",
    "bench.gen_discipline",
    "bench.gen_ratings",
)
SEED = 20261201
END = datetime.now(UTC).replace(microsecond=0)  # the data set's "now"
META_TABLE = "bench_meta"  # holds END (UTC, naive) in the generated database

# Each step: (name, function(context) -> rows inserted). Domains append theirs below.
STEPS: list[tuple[str, Callable[[Context], int]]] = []


class Context:
    def __init__(self, scale: float, rng: random.Random):
        self.scale = scale
        self.rng = rng
        self.member_ids: list[int] = []
        self.member_names: dict[int, str] = {}
        self.staff_ids: list[int] = []

    def count(self, name: str) -> int:
        if name == "rating_years":
            return LARGE[name]
        return max(1, round(LARGE[name] * self.scale))


def step(name: str):
    def register(function: Callable[[Context], int]) -> Callable[[Context], int]:
        STEPS.append((name, function))
        return function

    return register


def bulk(table: Table, rows: Iterable[dict]) -> int:
    """Insert `rows` in batches; return how many."""
    total = 0
    batch: list[dict] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            db.session.execute(insert(table), batch)
            total += len(batch)
            batch = []
    if batch:
        db.session.execute(insert(table), batch)
        total += len(batch)
    db.session.commit()
    return total


def table(name: str) -> Table:
    return db.metadata.tables[name]


def uid() -> str:
    return str(uuid.uuid4())


def spread(rng: random.Random, years: int = 5) -> datetime:
    """A moment within the last `years` years, weighted towards the recent ones."""
    days = int(rng.triangular(0, years * 365, 0))
    return END - timedelta(days=days, seconds=rng.randrange(86_400))


def chunks(values: list, size: int) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _import_domain_steps() -> None:
    # Each domain's generator registers its steps on import, in dependency order.
    for module in DOMAIN_GENERATORS:
        importlib.import_module(module)


def _advance_sequences() -> None:
    """Rows inserted with explicit ids leave PostgreSQL's sequences behind: move them on."""
    for name, table_ in db.metadata.tables.items():
        if "id" in table_.c and table_.c.id.primary_key and table_.c.id.autoincrement:
            db.session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608
                    f"coalesce((SELECT max(id) FROM {name}), 0) + 1, false)"
                )
            )


def generate(url: str, scale: float) -> dict[str, int]:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})
    _import_domain_steps()
    counts: dict[str, int] = {}
    with app.app_context():
        db.drop_all()
        db.create_all()
        context = Context(scale, random.Random(SEED))
        for name, function in STEPS:
            started = time.perf_counter()
            counts[name] = function(context)
            print(f"  {name}: {counts[name]:,} rows in {time.perf_counter() - started:.1f} s")
        # The data set's "now", for measurements that must see it as generated (the sweep:
        # deadlines falling due between generation and measurement would add to its work).
        db.session.execute(text(f"CREATE TABLE {META_TABLE} (data_now timestamp)"))
        db.session.execute(
            text(f"INSERT INTO {META_TABLE} VALUES (:end)"), {"end": END.replace(tzinfo=None)}
        )
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            _advance_sequences()
            db.session.commit()
            # Statistics, and the visibility map a database in service has long had (index-only
            # scans need it): without it the first measurements ran while autovacuum caught up.
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
        db.session.remove()
        db.engine.dispose()
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--scale", type=float, default=0.1)
    args = parser.parse_args()
    started = time.perf_counter()
    counts = generate(args.database_url, args.scale)
    print(f"generated {sum(counts.values()):,} rows in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    # Run the imported module's main, so that the domain steps register in one STEPS list.
    from bench.generate import main as imported_main

    imported_main()


__all__ = ["Context", "bulk", "chunks", "date", "spread", "step", "table", "uid"]
