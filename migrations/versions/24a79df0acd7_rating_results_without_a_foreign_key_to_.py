"""rating_results.run_id: no foreign key to rating_runs

Checked row by row at the end of the yearly run's COPY, the key cost a run of 20,000
members 70 ms, a tenth of the run; runs are never deleted and a run writes its own id in the
same transaction (see `portal/ratings/models.py`).

Revision ID: 24a79df0acd7
Revises: fc8bacbde021
Create Date: 2026-12-06 09:42:14

"""
from alembic import op


revision = '24a79df0acd7'
down_revision = 'fc8bacbde021'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('rating_results', schema=None) as batch_op:
        batch_op.drop_constraint('fk_rating_results_run_id_rating_runs', type_='foreignkey')


def downgrade():
    with op.batch_alter_table('rating_results', schema=None) as batch_op:
        batch_op.create_foreign_key(
            'fk_rating_results_run_id_rating_runs', 'rating_runs', ['run_id'], ['id']
        )
