"""public_entries.member_name: the agency's name, searched without joining members

Revision ID: 7b2e4c1d9a05
Revises: 3f6d2a9c8b17
Create Date: 2026-12-06 02:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '7b2e4c1d9a05'
down_revision = '3f6d2a9c8b17'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('public_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('member_name', sa.String(length=100), nullable=True))
    op.execute(
        "UPDATE public_entries SET member_name = "
        "(SELECT members.name FROM members WHERE members.id = public_entries.member_id)"
    )
    with op.batch_alter_table('public_entries', schema=None) as batch_op:
        batch_op.alter_column('member_name', existing_type=sa.String(length=100), nullable=False)


def downgrade():
    with op.batch_alter_table('public_entries', schema=None) as batch_op:
        batch_op.drop_column('member_name')
