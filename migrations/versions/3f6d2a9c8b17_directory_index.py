"""members: one index for a province's members in number order (replaces the province index)

Revision ID: 3f6d2a9c8b17
Revises: 567ab3221418
Create Date: 2026-12-06 01:45:00

"""
from alembic import op


revision = '3f6d2a9c8b17'
down_revision = '567ab3221418'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.create_index('ix_members_province_member_no', ['province', 'member_no'], unique=False)
        batch_op.drop_index('ix_members_province')


def downgrade():
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.create_index('ix_members_province', ['province'], unique=False)
        batch_op.drop_index('ix_members_province_member_no')
