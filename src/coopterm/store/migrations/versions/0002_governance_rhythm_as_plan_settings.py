"""governance rhythm as plan settings

Seed 001's rhythm (technical groups every six weeks, coordination every eight)
becomes a setting of each plan.  Adding the CHECK rebuilds the plan table, which
every other table points to: coopterm runs migrations with foreign keys off and
checks every link before committing.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 02:28:44.332236
"""

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tech_group_every_weeks', sa.Integer(), server_default='6', nullable=False))
        batch_op.add_column(sa.Column('coordination_every_weeks', sa.Integer(), server_default='8', nullable=False))
        batch_op.create_check_constraint(
            op.f('ck_plan_rhythm'), 'tech_group_every_weeks >= 1 AND coordination_every_weeks >= 1'
        )



def downgrade() -> None:
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_plan_rhythm'), type_='check')
        batch_op.drop_column('coordination_every_weeks')
        batch_op.drop_column('tech_group_every_weeks')

