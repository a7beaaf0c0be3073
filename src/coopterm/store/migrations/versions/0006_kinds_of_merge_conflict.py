"""kinds of merge conflict

A merge now settles each field of a row on its own (store/merge.py), so what it
leaves for review is no longer always "two versions of a row".  Each conflict
says what kind it is: ``edit`` (both copies changed the same field), ``deleted``
(one copy deleted a row the other changed), ``restored`` (one copy deleted a
row the other added work under: the row was brought back) or ``same_number``
(two copies each created an action with the same number in one défi).  Every
conflict already in a file was a whole-row conflict between two edits or an
edit and a deletion: they become ``deleted`` when one side was a deletion, else
``edit``.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 04:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('conflict') as batch:
        batch.add_column(sa.Column('kind', sa.String(length=20), nullable=False, server_default='edit'))
    deleted = '%"deleted":true%'
    op.get_bind().execute(
        sa.text("UPDATE conflict SET kind = 'deleted' WHERE kept_values LIKE :d OR other_values LIKE :d"),
        {"d": deleted},
    )


def downgrade() -> None:
    with op.batch_alter_table('conflict') as batch:
        batch.drop_column('kind')
