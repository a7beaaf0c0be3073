"""The dashboard's figures kept in the file: read at start without SQLAlchemy, kept when the app closes.

See ``coopterm.domain.figures`` (what is kept, and for which days it holds) and
``coopterm.store.summary`` (where, and how a write makes it stale).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from coopterm.domain.figures import StartFigures, start_figures

if TYPE_CHECKING:
    from coopterm.domain.dashboard import DashboardData
    from coopterm.workspace import Workspace


def read_start_figures(path: Path, today: dt.date) -> StartFigures | None:
    """The figures the file at ``path`` keeps, if they still describe it today; read in a few
    milliseconds with the standard ``sqlite3`` module, never writing to the file."""
    from coopterm.store.summary import read_figures

    return start_figures(read_figures(path), today)


def keep_figures(space: Workspace, data: DashboardData) -> bool:
    """Keep ``data``'s figures in the file for the next start, unless the file was written
    since ``data`` was read (they would be out of date).  Returns whether they were kept."""
    from coopterm.domain.figures import figures_document
    from coopterm.store.summary import keep_figures as store

    if space.db.read_only:
        return False
    conn = space.db.connect()
    try:
        return store(conn, figures_document(data))
    finally:
        conn.close()
