"""A consistent single-file copy of the database, safe to take while the app writes.

Never a copy of the live file: its ``-wal`` file holds recent commits.  ``VACUUM
INTO`` reads one snapshot inside a read transaction and writes a compact new
file; that file is checked, flushed to disk and only then moved to the name the
user asked for (``coopterm.atomic``), so the target is either the old file or a
complete copy.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path

from coopterm.atomic import check_target, written_atomically
from coopterm.errors import CooptermError
from coopterm.store import schema
from coopterm.store.database import BUSY_TIMEOUT_MS, Database
from coopterm.store.files import APPLICATION_ID


@dataclass(frozen=True)
class ExportResult:
    path: Path
    size: int
    replica_id: uuid.UUID


def _check_copy(tmp: Path) -> uuid.UUID:
    """Make the copy a standalone file with its own replica id, and prove it is sound."""
    replica = uuid.uuid4()
    conn = sqlite3.connect(tmp, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = DELETE")  # one file, whatever reads it
        conn.execute("UPDATE meta SET value = ? WHERE key = 'replica_id'", (replica.hex,))
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        conn.close()
    if problems != ["ok"] or app_id != APPLICATION_ID or revision != schema.HEAD:
        raise CooptermError("export.check_failed", problems="; ".join(problems[:3]))
    return replica


def export_copy(db: Database, target: str | os.PathLike[str], *, force: bool = False) -> ExportResult:
    """Write a checked copy of ``db`` to ``target``; refuse to overwrite unless ``force``."""
    target = Path(target)
    folder = check_target(target, db.path, force=force)
    try:
        with written_atomically(target, folder, force=force) as tmp:
            tmp.unlink()  # VACUUM INTO wants a name that does not exist yet
            try:
                source = sqlite3.connect(db.path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
                try:
                    source.execute("VACUUM INTO ?", (str(tmp),))
                finally:
                    source.close()
                replica = _check_copy(tmp)
            finally:
                with contextlib.suppress(FileNotFoundError):
                    Path(f"{tmp}-journal").unlink()
    except sqlite3.Error as exc:
        raise CooptermError("file.cannot_write", path=target, reason=str(exc)) from None
    return ExportResult(target, target.stat().st_size, replica)
