"""indexes that answer coopterm status from the index alone

``coopterm status``, the dashboard and the report count a plan's meetings, add up
their survey answers and count the partner towns of every action (the
multilateral share).  At 100,000 actions (500,000 meetings, 300,000 town links)
each of these read every row of its table; with these two indexes each reads the
index alone: the meetings of a plan with their four survey counts, and the live
towns of an action.  Only indexes are added: no table is rebuilt, no row changes.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 07:00:00
"""

from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

INDEXES = {
    'ix_meeting_by_plan': ('meeting', ['plan_id', 'deleted_at', 'survey_very_satisfied', 'survey_satisfied',
                                       'survey_not_very_satisfied', 'survey_not_satisfied']),
    'ix_action_town_by_action': ('action_town', ['action_id', 'deleted_at', 'town_id']),
}


def upgrade() -> None:
    for name, (table, columns) in INDEXES.items():
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, (table, _columns) in reversed(INDEXES.items()):
        op.drop_index(name, table_name=table)
