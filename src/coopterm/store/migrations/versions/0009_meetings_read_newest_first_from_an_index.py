"""meetings read newest first from an index; défis counted from an index

The meetings table of the app shows the live meetings of one plan, newest first,
one window at a time.  Without an index that starts with the plan and the date,
SQLite read every meeting of the plan and sorted them for each window (about a
second at 500,000 meetings).  ``ix_meeting_by_start`` holds the plan, the
tombstone, the start and the id in that order, so the live meetings of a plan are
one run of the index already in the table's order; it also holds every column the
filters read (kind, town, the folded title), so counting a filtered list reads the
index alone.  ``ix_action_progress_by_challenge`` holds each action's défi, tombstone and
progress, so the défis screen and the dashboard count and average the actions
of each défi from that index alone instead of reading every action's row (about
ten times fewer pages at 100,000 actions).  Only indexes are added: no table is
rebuilt and no row changes.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 06:45:00
"""

from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

INDEXES = {
    'ix_action_progress_by_challenge': ('action', ['challenge_id', 'deleted_at', 'progress']),
    'ix_meeting_by_start': ('meeting', ['plan_id', 'deleted_at', 'starts_at', 'id', 'kind', 'town_id', 'search_key']),
}


def upgrade() -> None:
    for name, (table, columns) in INDEXES.items():
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, (table, _columns) in reversed(INDEXES.items()):
        op.drop_index(name, table_name=table)
