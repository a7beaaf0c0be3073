"""time zones of plans and towns

Meeting times stay stored in UTC; they are shown and typed in a local zone
(``domain.zones``).  Each plan now names its IANA zone (``Europe/Paris``), and
each town may name its own (``Indian/Antananarivo``; empty: the plan's).  Plans
already in a file get ``UTC``: the time they were typed in until now, so every
meeting keeps reading as it did until someone names the plan's zone.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 04:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('plan') as batch:
        batch.add_column(sa.Column('time_zone', sa.String(length=64), nullable=False, server_default='UTC'))
    with op.batch_alter_table('town') as batch:
        batch.add_column(sa.Column('time_zone', sa.String(length=64), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('town') as batch:
        batch.drop_column('time_zone')
    with op.batch_alter_table('plan') as batch:
        batch.drop_column('time_zone')
