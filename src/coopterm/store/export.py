"""A consistent single-file copy of the database, safe to take while the app writes.

Never a copy of the live file: its ``-wal`` file holds recent commits.  ``VACUUM
INTO`` reads one snapshot inside a read transaction and writes a compact new
file; that file is checked, flushed to disk and only then moved to the name the
user asked for, so the target is either the old file or a complete copy.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from coopterm.errors import CooptermError
from coopterm.store import schema
from coopterm.store.database import BUSY_TIMEOUT_MS, Database, _fsync, _fsync_dir
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
    if target.is_dir():
        raise CooptermError("export.target_is_directory", path=target)
    if target.exists() and not force:
        raise CooptermError("export.exists", path=target)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise CooptermError("export.no_folder", path=target)
    if target.resolve() == db.path.resolve():
        raise CooptermError("export.same_file", path=target)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise CooptermError("export.cannot_write", path=target, reason=exc.strerror) from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        tmp.unlink()  # VACUUM INTO wants a name that does not exist yet
        source = sqlite3.connect(db.path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            source.execute("VACUUM INTO ?", (str(tmp),))
        finally:
            source.close()
        replica = _check_copy(tmp)
        _fsync(tmp)
        if force:
            os.replace(tmp, target)
        else:
            os.link(tmp, target)  # never overwrites a file that appeared meanwhile
        _fsync_dir(folder)
        return ExportResult(target, target.stat().st_size, replica)
    except FileExistsError:
        raise CooptermError("export.exists", path=target) from None
    except (sqlite3.Error, OSError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise CooptermError("export.cannot_write", path=target, reason=reason) from None
    finally:
        for leftover in (tmp, Path(f"{tmp}-journal")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
