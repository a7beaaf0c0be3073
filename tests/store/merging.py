"""What the merge tests check on merged files, read with plain ``sqlite3``."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from coopterm.models import SHARED_TABLES
from coopterm.store.merge import KEPT_UNDER_DELETED


def orphans(path: Path) -> list[tuple[str, str, str, str]]:
    """Live rows whose parent is tombstoned: (table, id, column, parent table).

    Read with plain ``sqlite3`` over the foreign keys SQLite itself knows for each of
    ``models.SHARED_TABLES``.  Only required references count (``NOT NULL`` columns:
    the défi of an action, the person of a pilot link, the meeting of a decision):
    an optional one (the town of a person, the action a decision is about) names
    something the row is about, not what it belongs to, and may outlive it.  So does
    attendance of a deleted person, which ``persons.delete_person`` keeps on purpose
    (:data:`KEPT_UNDER_DELETED`).
    """
    conn = sqlite3.connect(path)
    try:
        found = []
        for model in SHARED_TABLES:
            child = model.__tablename__
            required = {row[1] for row in conn.execute(f"PRAGMA table_info({child})") if row[3]}
            for fk in conn.execute(f"PRAGMA foreign_key_list({child})"):
                parent, column = fk[2], fk[3]
                if column not in required or (child, column) in KEPT_UNDER_DELETED:
                    continue
                found += [(child, row_id, column, parent) for (row_id,) in conn.execute(
                    f"SELECT c.id FROM {child} c JOIN {parent} p ON p.id = c.{column} "
                    "WHERE c.deleted_at IS NULL AND p.deleted_at IS NOT NULL")]
        return sorted(found)
    finally:
        conn.close()
