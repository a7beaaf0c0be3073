"""covering indexes for the actions table

The app's actions table reads one window of a sorted, filtered list of up to
100,000 actions.  Each new index on ``action`` starts with a sort order (code,
status, title, due date, progress) and holds every column the filters read, so a
window is read from the index alone; the two on the link tables find the actions
of a town or a person without reading the links themselves.  Only indexes are
added: no table is rebuilt and no row changes.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 02:51:06.047421
"""

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

INDEXES = {
    'ix_action_by_code': ('action', ['challenge_id', 'number', 'id', 'deleted_at', 'status', 'title']),
    'ix_action_by_due': ('action', ['due_date', 'id', 'challenge_id', 'deleted_at', 'status', 'title']),
    'ix_action_by_progress': ('action', ['progress', 'id', 'challenge_id', 'deleted_at', 'status', 'title']),
    'ix_action_by_status': ('action', ['status', 'challenge_id', 'number', 'id', 'deleted_at', 'title']),
    'ix_action_by_title': ('action', ['title', 'id', 'challenge_id', 'deleted_at', 'status']),
    'ix_action_pilot_by_person': ('action_pilot', ['person_id', 'deleted_at', 'action_id']),
    'ix_action_town_by_town': ('action_town', ['town_id', 'deleted_at', 'action_id']),
}


def upgrade() -> None:
    for name, (table, columns) in INDEXES.items():
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, (table, _columns) in reversed(INDEXES.items()):
        op.drop_index(name, table_name=table)
