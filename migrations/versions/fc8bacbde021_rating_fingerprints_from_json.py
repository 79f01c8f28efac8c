"""rating_results.fingerprint: recomputed as a hash of the row's JSON text

The yearly run now fingerprints a result from the JSON it stores (see
`portal/ratings/services/compute.py: serialised`). Without this, the first run after the
upgrade would find every stored row "changed" and rewrite it. This copy of the formula is
frozen here on purpose: later changes to the code must not change what this step did.

Revision ID: fc8bacbde021
Revises: 7b2e4c1d9a05
Create Date: 2026-12-06 03:40:00

"""
import hashlib

import orjson
import sqlalchemy as sa
from alembic import op


revision = 'fc8bacbde021'
down_revision = '7b2e4c1d9a05'
branch_labels = None
depends_on = None

BATCH = 5000

results = sa.table(
    'rating_results',
    sa.column('id', sa.Integer),
    sa.column('rated', sa.Boolean),
    sa.column('score_tenths', sa.Integer),
    sa.column('stars', sa.Integer),
    sa.column('grade', sa.String),
    sa.column('blacklisted', sa.Boolean),
    sa.column('services', sa.Integer),
    sa.column('reasons', sa.JSON),
    sa.column('reference_day', sa.String),
    sa.column('components', sa.JSON),
    sa.column('fingerprint', sa.String),
)


def _fingerprint(row) -> str:
    shown = orjson.dumps(
        [
            bool(row.rated),
            row.score_tenths,
            row.stars,
            row.grade,
            bool(row.blacklisted),
            row.services,
            list(row.reasons or []),
            row.reference_day,
        ]
    )
    components = orjson.dumps(row.components if row.components is not None else [])
    return hashlib.sha256(shown + b"\n" + components).hexdigest()


def upgrade():
    connection = op.get_bind()
    last = 0
    while True:
        rows = connection.execute(
            sa.select(results).where(results.c.id > last).order_by(results.c.id).limit(BATCH)
        ).all()
        if not rows:
            break
        connection.execute(
            results.update()
            .where(results.c.id == sa.bindparam('b_id'))
            .values(fingerprint=sa.bindparam('b_fingerprint')),
            [{'b_id': row.id, 'b_fingerprint': _fingerprint(row)} for row in rows],
        )
        last = rows[-1].id


def downgrade():
    pass  # the older code only rewrites each row once more, with its own fingerprint
