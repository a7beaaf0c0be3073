"""The dashboard's figures kept in the file, read at start with the standard ``sqlite3`` module.

Before the app could show a gauge it imported SQLAlchemy and the tables (0.3 s here) and
counted the plan (a second at 100,000 actions).  So the app keeps, in this file's ``meta``
table, the figures it last showed (``dashboard_figures``: a JSON document the domain writes,
see ``coopterm.domain.figures``), and reads them back at start in a few milliseconds; the
live figures replace them once the full stack is loaded.

Figures must never be shown as if live when the plan changed after they were taken.  So
every write transaction of coopterm counts itself in ``meta`` (``dashboard_writes``, bumped
just before COMMIT by :meth:`coopterm.store.database.Database.write` and by a merge), and
the figures carry the count they were taken at: figures read with another count, or from
a file at another schema revision (a migration), are not used.  A change made without
coopterm (the ``sqlite3`` shell, an older coopterm) is not counted: such figures show until
the live ones replace them, about a second later.  ``meta`` is this file's own: a merge
never brings another file's figures; a copy made by export or backup carries its own,
with the count that goes with them.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from coopterm.store.files import read_only_uri

FIGURES_KEY = "dashboard_figures"
WRITES_KEY = "dashboard_writes"

COUNT_WRITE = (
    f"INSERT INTO meta (key, value) VALUES ('{WRITES_KEY}', '1') "
    "ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
)
"""Run by every write transaction just before it commits: the figures kept so far no longer hold."""

_CHANGES_AT_BEGIN = "coopterm_changes_at_begin"


def note_begin(conn: Any) -> None:
    """At the start of a transaction (an SQLAlchemy ``Connection``): how many rows its
    sqlite3 connection had changed so far, to tell at the end whether this one changed any."""
    conn.info[_CHANGES_AT_BEGIN] = conn.connection.driver_connection.total_changes


def count_write(session: Any) -> None:
    """Just before a write transaction (an SQLAlchemy ``Session``) commits: count it, if it
    changed any row (one that changed nothing writes nothing, not even this count)."""
    session.flush()  # what the commit would flush: the rows it writes count too
    conn = session.connection()
    if conn.connection.driver_connection.total_changes != conn.info.get(_CHANGES_AT_BEGIN):
        conn.exec_driver_sql(COUNT_WRITE)


TIMEOUT_S = 0.2
"""How long the start waits for a lock on the file before doing without the figures."""


def read_figures(path: Path) -> dict[str, Any] | None:
    """The figures kept in ``path`` if they still describe it, else ``None``.

    Read-only, without SQLAlchemy; any trouble reading (a locked, damaged or foreign
    file) is left to the full opening, which says it in plain words: here it only
    means that there are no figures to show early.
    """
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True, timeout=TIMEOUT_S, isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        conn.execute("BEGIN")  # the figures, their count and the revision from one snapshot
        rows = dict(conn.execute("SELECT key, value FROM meta WHERE key IN (?, ?)", (FIGURES_KEY, WRITES_KEY)))
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    try:
        document = json.loads(rows[FIGURES_KEY])
    except (KeyError, TypeError, ValueError):
        return None
    if not isinstance(document, dict):
        return None
    if revision is None or document.get("revision") != revision[0]:
        return None  # taken before a migration
    if str(document.get("writes")) != str(rows.get(WRITES_KEY, "0")):
        return None  # the plan changed since they were taken
    return document


def current_writes(conn: sqlite3.Connection) -> int:
    """The count of write transactions of the file ``conn`` is open on (0 before the first)."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (WRITES_KEY,)).fetchone()
    return int(row[0]) if row is not None else 0


def keep_figures(conn: sqlite3.Connection, document: dict[str, Any]) -> bool:
    """Store ``document`` (taken at ``document["writes"]``) as the file's figures, with the
    file's schema revision, unless the
    file was written since they were taken: then they are already out of date, and
    nothing is stored.  Returns whether they were stored.

    The figures are not plan data: storing them does not count as a write.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        if current_writes(conn) != document.get("writes"):
            conn.execute("ROLLBACK")
            return False
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        document = {**document, "revision": revision}
        conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (FIGURES_KEY, json.dumps(document, ensure_ascii=False, separators=(",", ":"))),
        )
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return True
