"""A consistent single-file copy of the database, safe to take while the app writes.

Never a copy of the live file: its ``-wal`` file holds recent commits.  SQLite's
online backup copies every page of one snapshot, in one step, inside a read
transaction (https://www.sqlite.org/backup.html), as fast as the disk allows and
as ``sqlite3``'s own ``.backup`` does.  The copy is then made a standalone file
with its own replica id and read back whole (``quick_check``), which also refuses
to export a damaged database; it is flushed to disk and only then moved to the
name the user asked for (``coopterm.atomic``), so the target is either the old
file or a complete copy.

``VACUUM INTO`` would write a compacted file, but it rebuilds every table and
index row by row: 2-3 times slower than the page copy at 100k actions, for a file
only as large as the free pages left by deletions.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path

from coopterm.atomic import check_target, written_atomically
from coopterm.errors import CooptermError, DatabaseRefused
from coopterm.store import schema
from coopterm.store.database import Database, is_damage
from coopterm.store.files import APPLICATION_ID


@dataclass(frozen=True)
class ExportResult:
    path: Path
    size: int
    replica_id: uuid.UUID


def _check_copy(tmp: Path, source_path: Path) -> uuid.UUID:
    """Make the copy a standalone file with its own replica id, and prove it is sound."""
    replica = uuid.uuid4()
    conn = sqlite3.connect(tmp, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = DELETE")  # one file, whatever reads it
        conn.execute("PRAGMA synchronous = OFF")  # flushed once by written_atomically
        conn.execute("UPDATE meta SET value = ? WHERE key = 'replica_id'", (replica.hex,))
        problems = [row[0] for row in conn.execute("PRAGMA quick_check")]
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        conn.close()
    if problems != ["ok"]:  # the page copy is exact: the damage is in the database itself
        raise DatabaseRefused("db.damaged_detail", path=source_path, reason="; ".join(problems[:3]))
    if app_id != APPLICATION_ID or revision != schema.HEAD:
        raise CooptermError("export.check_failed", problems=f"application_id {app_id}, schema {revision}")
    return replica


def export_copy(db: Database, target: str | os.PathLike[str], *, force: bool = False) -> ExportResult:
    """Write a checked copy of ``db`` to ``target``; refuse to overwrite unless ``force``."""
    target = Path(target)
    folder = check_target(target, db.path, force=force)
    try:
        with written_atomically(target, folder, force=force, source=db.path) as tmp:
            try:
                source = db.connect()  # read-only when the command only reads
                try:
                    copy = sqlite3.connect(tmp, isolation_level=None)
                    try:
                        # No journal and no fsync while the temporary copy is written: until
                        # it is renamed it is nobody's file, and it is flushed once, whole.
                        copy.execute("PRAGMA journal_mode = OFF")
                        copy.execute("PRAGMA synchronous = OFF")
                        source.backup(copy)  # all pages in one step: one snapshot
                    finally:
                        copy.close()
                finally:
                    source.close()
                replica = _check_copy(tmp, db.path)
            finally:
                for leftover in ("-journal", "-wal", "-shm"):
                    with contextlib.suppress(FileNotFoundError):
                        Path(f"{tmp}{leftover}").unlink()
    except sqlite3.DatabaseError as exc:
        if is_damage(exc):  # the copy is written from pages read: damage is the source's
            raise DatabaseRefused("db.damaged_detail", path=db.path, reason=str(exc)) from None
        raise CooptermError("file.cannot_write", path=target, reason=str(exc)) from None
    return ExportResult(target, target.stat().st_size, replica)
