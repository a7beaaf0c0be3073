"""change history and merge conflicts

Two new tables, no change to existing rows:
- ``history``: every create, change and delete of a shared row from now on, with
  old and new values, when and on which copy; merges copy it between copies, and
  the revisions it records tell a merge what each copy has already seen.
- ``conflict``: rows two copies changed without seeing each other's change; the
  other version is kept for review.
Rows written before this revision have no history; a merge treats their current
revision as the only one seen.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 10:05:00
"""

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'conflict',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('deleted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column('changed_by', sa.Uuid(), nullable=False),
        sa.Column('revision', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('table_name', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column('row_id', sa.Uuid(), nullable=False),
        sa.Column('kept_revision', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('other_revision', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('kept_values', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('other_values', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('resolution', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_conflict')),
    )
    op.create_index('ix_conflict_row_id', 'conflict', ['row_id'], unique=False)
    op.create_table(
        'history',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('replica_id', sa.Uuid(), nullable=False),
        sa.Column('device', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('table_name', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column('row_id', sa.Uuid(), nullable=False),
        sa.Column('op', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column('revision', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('base_revision', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column('changes', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_history')),
    )
    op.create_index('ix_history_at', 'history', ['at'], unique=False)
    op.create_index('ix_history_row', 'history', ['row_id', 'revision'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_history_row', table_name='history')
    op.drop_index('ix_history_at', table_name='history')
    op.drop_table('history')
    op.drop_index('ix_conflict_row_id', table_name='conflict')
    op.drop_table('conflict')
