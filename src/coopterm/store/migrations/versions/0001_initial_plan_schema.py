"""initial plan schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-22 02:28:41.088557
"""

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('meta',
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('value', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_meta'))
    )
    op.create_table('plan',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('deleted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('changed_by', sa.Uuid(), nullable=False),
    sa.Column('revision', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('vision', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.CheckConstraint('end_date >= start_date', name=op.f('ck_plan_period')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan'))
    )
    op.create_table('town',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('deleted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('changed_by', sa.Uuid(), nullable=False),
    sa.Column('revision', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('country', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_town'))
    )
    op.create_table('challenge',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('deleted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('changed_by', sa.Uuid(), nullable=False),
    sa.Column('revision', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('plan_id', sa.Uuid(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('transversal', sa.Boolean(), nullable=False),
    sa.CheckConstraint('number >= 0', name=op.f('ck_challenge_number')),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_challenge_plan_id_plan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_challenge'))
    )
    with op.batch_alter_table('challenge', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_challenge_plan_id'), ['plan_id'], unique=False)

    op.create_table('indicator',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('deleted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('changed_by', sa.Uuid(), nullable=False),
    sa.Column('revision', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('plan_id', sa.Uuid(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('label', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('unit', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('target', sa.Float(), nullable=True),
    sa.Column('baseline_value', sa.Float(), nullable=True),
    sa.Column('baseline_date', sa.Date(), nullable=True),
    sa.Column('computed', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint('(computed AND key IS NOT NULL) OR (NOT computed AND key IS NULL)', name=op.f('ck_indicator_computed_key')),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_indicator_plan_id_plan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator'))
    )
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_plan_id'), ['plan_id'], unique=False)

    op.create_table('meeting',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('deleted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('changed_by', sa.Uuid(), nullable=False),
    sa.Column('revision', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('plan_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.Enum('technical_group', 'coordination', 'forum', 'seminar', 'field_visit', 'other', name='meeting_kind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('starts_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('town_id', sa.Uuid(), nullable=True),
    sa.Column('remote', sa.Boolean(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('agenda', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('minutes', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('survey_very_satisfied', sa.Integer(), nullable=True),
    sa.Column('survey_satisfied', sa.Integer(), nullable=True),
    sa.Column('survey_not_very_satisfied', sa.Integer(), nullable=True),
    sa.Column('survey_not_satisfied', sa.Integer(), nullable=True),
    sa.CheckConstraint('survey_not_satisfied IS NULL OR survey_not_satisfied >= 0', name=op.f('ck_meeting_survey_not_satisfied')),
    sa.CheckConstraint('survey_not_very_satisfied IS NULL OR survey_not_very_satisfied >= 0', name=op.f('ck_meeting_survey_not_very_satisfied')),
    sa.CheckConstraint('survey_satisfied IS NULL OR survey_satisfied >= 0', name=op.f('ck_meeting_survey_satisfied')),
    sa.CheckConstraint('survey_very_satisfied IS NULL AND survey_satisfied IS NULL AND survey_not_very_satisfied IS NULL AND survey_not_satisfied IS NULL OR survey_very_satisfied IS NOT NULL AND survey_satisfied IS NOT NULL AND survey_not_very_satisfied IS NOT NULL AND survey_not_satisfied IS NOT NULL', name=op.f('ck_meeting_survey_complete')),
    sa.CheckConstraint('survey_very_satisfied IS NULL OR survey_very_satisfied >= 0', name=op.f('ck_meeting_survey_very_satisfied')),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_meeting_plan_id_plan')),
    sa.ForeignKeyConstraint(['town_id'], ['town.id'], name=op.f('fk_meeting_town_id_town')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting'))
    )
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_starts_at'), ['starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_town_id'), ['town_id'], unique=False)

    op.create_table('person',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('deleted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('changed_by', sa.Uuid(), nullable=False),
    sa.Column('revision', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('organisation', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('town_id', sa.Uuid(), nullable=True),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['town_id'], ['town.id'], name=op.f('fk_person_town_id_town')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person'))
    )
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_town_id'), ['town_id'], unique=False)

    op.create_table('plan_town',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('deleted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('changed_by', sa.Uuid(), nullable=False),
    sa.Column('revision', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('plan_id', sa.Uuid(), nullable=False),
    sa.Column('town_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_plan_town_plan_id_plan')),
    sa.ForeignKeyConstraint(['town_id'], ['town.id'], name=op.f('fk_plan_town_town_id_town')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_town'))
    )
    with op.batch_alter_table('plan_town', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_town_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_town_town_id'), ['town_id'], unique=False)

    op.create_table('action',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('deleted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('changed_by', sa.Uuid(), nullable=False),
    sa.Column('revision', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('challenge_id', sa.Uuid(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('status', sa.Enum('planned', 'in_progress', 'done', 'postponed', 'abandoned', name='action_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('notes', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.CheckConstraint('due_date IS NULL OR start_date IS NULL OR due_date >= start_date', name=op.f('ck_action_dates')),
    sa.CheckConstraint('number >= 1', name=op.f('ck_action_number')),
    sa.CheckConstraint('progress >= 0 AND progress <= 100', name=op.f('ck_action_progress')),
    sa.ForeignKeyConstraint(['challenge_id'], ['challenge.id'], name=op.f('fk_action_challenge_id_challenge')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action'))
    )
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_challenge_id'), ['challenge_id'], unique=False)

    op.create_table('measurement',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('deleted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('changed_by', sa.Uuid(), nullable=False),
    sa.Column('revision', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('indicator_id', sa.Uuid(), nullable=False),
    sa.Column('measured_on', sa.Date(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], name=op.f('fk_measurement_indicator_id_indicator')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_measurement'))
    )
    with op.batch_alter_table('measurement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_measurement_indicator_id'), ['indicator_id'], unique=False)

    op.create_table('meeting_attendee',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('deleted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('changed_by', sa.Uuid(), nullable=False),
    sa.Column('revision', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('meeting_id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_meeting_attendee_meeting_id_meeting')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_meeting_attendee_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_attendee'))
    )
    with op.batch_alter_table('meeting_attendee', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_attendee_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_attendee_person_id'), ['person_id'], unique=False)

    op.create_table('action_pilot',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('deleted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('changed_by', sa.Uuid(), nullable=False),
    sa.Column('revision', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('action_id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint('position >= 0', name=op.f('ck_action_pilot_position')),
    sa.ForeignKeyConstraint(['action_id'], ['action.id'], name=op.f('fk_action_pilot_action_id_action')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_action_pilot_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_pilot'))
    )
    with op.batch_alter_table('action_pilot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_pilot_action_id'), ['action_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_pilot_person_id'), ['person_id'], unique=False)

    op.create_table('action_town',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('deleted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('changed_by', sa.Uuid(), nullable=False),
    sa.Column('revision', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('action_id', sa.Uuid(), nullable=False),
    sa.Column('town_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['action.id'], name=op.f('fk_action_town_action_id_action')),
    sa.ForeignKeyConstraint(['town_id'], ['town.id'], name=op.f('fk_action_town_town_id_town')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_town'))
    )
    with op.batch_alter_table('action_town', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_town_action_id'), ['action_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_town_town_id'), ['town_id'], unique=False)

    op.create_table('decision',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('deleted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('changed_by', sa.Uuid(), nullable=False),
    sa.Column('revision', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('meeting_id', sa.Uuid(), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('action_id', sa.Uuid(), nullable=True),
    sa.Column('done', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['action.id'], name=op.f('fk_decision_action_id_action')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_decision_meeting_id_meeting')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decision'))
    )
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decision_action_id'), ['action_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_decision_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('funding',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('deleted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('changed_by', sa.Uuid(), nullable=False),
    sa.Column('revision', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('plan_id', sa.Uuid(), nullable=False),
    sa.Column('funder', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('amount_cents', sa.BigInteger(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Uuid(), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.CheckConstraint('amount_cents >= 0', name=op.f('ck_funding_amount')),
    sa.CheckConstraint('year >= 1900 AND year <= 2200', name=op.f('ck_funding_year')),
    sa.ForeignKeyConstraint(['action_id'], ['action.id'], name=op.f('fk_funding_action_id_action')),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_funding_plan_id_plan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_funding'))
    )
    with op.batch_alter_table('funding', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_funding_action_id'), ['action_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_funding_plan_id'), ['plan_id'], unique=False)

    op.create_table('new_project',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('deleted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('changed_by', sa.Uuid(), nullable=False),
    sa.Column('revision', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('plan_id', sa.Uuid(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('scope', sa.Enum('bilateral', 'multilateral', name='project_scope', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('origin_action_id', sa.Uuid(), nullable=True),
    sa.Column('started_on', sa.Date(), nullable=True),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['origin_action_id'], ['action.id'], name=op.f('fk_new_project_origin_action_id_action')),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_new_project_plan_id_plan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_new_project'))
    )
    with op.batch_alter_table('new_project', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_new_project_origin_action_id'), ['origin_action_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_new_project_plan_id'), ['plan_id'], unique=False)

    op.create_table('new_project_town',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('deleted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('changed_by', sa.Uuid(), nullable=False),
    sa.Column('revision', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('project_id', sa.Uuid(), nullable=False),
    sa.Column('town_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['new_project.id'], name=op.f('fk_new_project_town_project_id_new_project')),
    sa.ForeignKeyConstraint(['town_id'], ['town.id'], name=op.f('fk_new_project_town_town_id_town')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_new_project_town'))
    )
    with op.batch_alter_table('new_project_town', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_new_project_town_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_new_project_town_town_id'), ['town_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('new_project_town', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_new_project_town_town_id'))
        batch_op.drop_index(batch_op.f('ix_new_project_town_project_id'))

    op.drop_table('new_project_town')
    with op.batch_alter_table('new_project', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_new_project_plan_id'))
        batch_op.drop_index(batch_op.f('ix_new_project_origin_action_id'))

    op.drop_table('new_project')
    with op.batch_alter_table('funding', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_funding_plan_id'))
        batch_op.drop_index(batch_op.f('ix_funding_action_id'))

    op.drop_table('funding')
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decision_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_decision_action_id'))

    op.drop_table('decision')
    with op.batch_alter_table('action_town', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_town_town_id'))
        batch_op.drop_index(batch_op.f('ix_action_town_action_id'))

    op.drop_table('action_town')
    with op.batch_alter_table('action_pilot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_pilot_person_id'))
        batch_op.drop_index(batch_op.f('ix_action_pilot_action_id'))

    op.drop_table('action_pilot')
    with op.batch_alter_table('meeting_attendee', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_attendee_person_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_attendee_meeting_id'))

    op.drop_table('meeting_attendee')
    with op.batch_alter_table('measurement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_measurement_indicator_id'))

    op.drop_table('measurement')
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_challenge_id'))

    op.drop_table('action')
    with op.batch_alter_table('plan_town', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_town_town_id'))
        batch_op.drop_index(batch_op.f('ix_plan_town_plan_id'))

    op.drop_table('plan_town')
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_town_id'))

    op.drop_table('person')
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_town_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_starts_at'))
        batch_op.drop_index(batch_op.f('ix_meeting_plan_id'))

    op.drop_table('meeting')
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_plan_id'))

    op.drop_table('indicator')
    with op.batch_alter_table('challenge', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_challenge_plan_id'))

    op.drop_table('challenge')
    op.drop_table('town')
    op.drop_table('plan')
    op.drop_table('meta')
