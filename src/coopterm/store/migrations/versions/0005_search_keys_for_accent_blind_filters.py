"""search keys for accent-blind filters

The list filters ignore accents and case both ways ("etienne" finds "Étienne",
"ETIENNE" finds "étienne"), by the rule of ``coopterm.folding``.  Folding every
title while 100,000 actions are filtered costs some 200 ms a keystroke in SQLite
(a Python function per row), so each searchable table gets a ``search_key``: its
searchable columns folded, kept by the store on every write and read by the
filters.  This revision adds the column and fills it for the rows already there;
no other value changes.  The covering indexes of ``action`` (0003) held the title
for the text filter: they now hold ``search_key`` instead (the title index keeps
its title, to sort by), so a filtered window is still read from the index alone.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 01:10:00
"""

import sqlite3

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

from coopterm.folding import search_key

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

# The searchable columns of each table, as coopterm.models.SEARCHED names them at this revision.
SEARCHED = {
    'town': ('name',),
    'person': ('name', 'organisation'),
    'action': ('title',),
    'meeting': ('title',),
    'funding': ('funder', 'note'),
    'new_project': ('title',),
}


# The covering indexes of action, before and after this revision.
OLD_INDEXES = {
    'ix_action_by_code': ['challenge_id', 'number', 'id', 'deleted_at', 'status', 'title'],
    'ix_action_by_due': ['due_date', 'id', 'challenge_id', 'deleted_at', 'status', 'title'],
    'ix_action_by_progress': ['progress', 'id', 'challenge_id', 'deleted_at', 'status', 'title'],
    'ix_action_by_status': ['status', 'challenge_id', 'number', 'id', 'deleted_at', 'title'],
    'ix_action_by_title': ['title', 'id', 'challenge_id', 'deleted_at', 'status'],
}
NEW_INDEXES = {
    'ix_action_by_code': ['challenge_id', 'number', 'id', 'deleted_at', 'status', 'search_key'],
    'ix_action_by_due': ['due_date', 'id', 'challenge_id', 'deleted_at', 'status', 'search_key'],
    'ix_action_by_progress': ['progress', 'id', 'challenge_id', 'deleted_at', 'status', 'search_key'],
    'ix_action_by_status': ['status', 'challenge_id', 'number', 'id', 'deleted_at', 'search_key'],
    'ix_action_by_title': ['title', 'id', 'challenge_id', 'deleted_at', 'status', 'search_key'],
}


def _key(*fields: str | None) -> str:
    return search_key(fields)


def upgrade() -> None:
    raw = op.get_bind().connection.driver_connection
    # Rows to fill exist only in SQLite files: a PostgreSQL hub is created empty, by
    # `coopterm hub init`, and reaches this revision before it holds any row.
    fill = isinstance(raw, sqlite3.Connection)
    if isinstance(raw, sqlite3.Connection):
        raw.create_function('coopterm_search_key', -1, _key, deterministic=True)
    for table, columns in SEARCHED.items():
        op.add_column(table, sa.Column('search_key', sqlmodel.sql.sqltypes.AutoString(), server_default='',
                                       nullable=False))
        if fill:
            op.execute(f"UPDATE {table} SET search_key = coopterm_search_key({', '.join(columns)})")
    for name, indexed in NEW_INDEXES.items():
        op.drop_index(name, table_name='action')
        op.create_index(name, 'action', indexed, unique=False)


def downgrade() -> None:
    for name, columns in OLD_INDEXES.items():
        op.drop_index(name, table_name='action')
        op.create_index(name, 'action', columns, unique=False)
    for table in reversed(SEARCHED):
        with op.batch_alter_table(table) as batch:
            batch.drop_column('search_key')
