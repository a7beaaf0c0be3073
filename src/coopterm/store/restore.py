"""Put a backup back in place of the database (``coopterm restore BACKUP``).

Copying a backup over the database by hand is risky: the database's ``-wal`` file,
if one is left beside it, belongs to the old file, and SQLite would replay it into
the restored one.  ``restore_backup`` does it safely:

- the backup is checked first, read-only and never changed: coopterm's header,
  every page (``quick_check``), a schema this coopterm knows;
- a new file is built from it in a temporary file beside the database (a compact
  copy, ``VACUUM INTO``), brought up to the current schema there when the backup
  is older (the backup itself stays the older version), given a new replica id,
  checked again and flushed to disk;
- the current database is kept aside whole, with its ``-wal``, as
  ``NAME.backup-restore-TIMESTAMP`` (hard links, so nothing is copied);
- the new file then takes the database's name in one step, with no ``-wal`` or
  ``-shm`` of the old file left beside it.

A new replica id: the restored file is the earlier state of this very copy, but
the revisions this copy stamped after that state may already be in other copies.
Stamping new changes with the same replica id could give two different changes the
same revision; a fresh id keeps every revision unique, and a later merge still
brings back what other copies have.

A refusal (a missing, foreign, damaged or newer backup, the database itself)
changes nothing.  A crash leaves either the old database in place (and perhaps a
tagged temporary file, removed by the next run, and the kept-aside links) or the
restored one.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sqlite3
import uuid
from pathlib import Path

from coopterm.atomic import (
    NO_HARD_LINKS,
    clean_leftovers,
    derived_mode,
    fsync,
    fsync_dir,
    name_without_replacing,
    temporary_name,
)
from coopterm.errors import CooptermError, DatabaseRefused
from coopterm.store import schema
from coopterm.store.database import connect_read_only, plain_words, quick_check, read_revision
from coopterm.store.files import APPLICATION_ID, HEADER_SIZE, SQLITE_MAGIC, check_coopterm_file, read_header


def _same_file(a: Path, b: Path) -> bool:
    with contextlib.suppress(OSError, RuntimeError):
        if a.resolve() == b.resolve():
            return True
    try:
        return a.samefile(b)
    except (OSError, RuntimeError):
        return False


def _check_backup(backup: Path, target: Path) -> str:
    """The backup's schema revision, or a refusal; reads only."""
    if not os.path.lexists(backup):
        raise DatabaseRefused("db.missing", path=backup)
    if os.path.lexists(target) and _same_file(backup, target):
        raise CooptermError("restore.same_file", path=backup)
    check_coopterm_file(backup)
    revision = read_revision(backup)
    if revision is None:
        raise DatabaseRefused("db.damaged", path=backup)
    if revision != schema.HEAD and revision not in schema.known_revisions():
        raise DatabaseRefused("db.newer", path=backup, revision=revision)
    quick_check(backup)
    return revision


def _check_target(target: Path) -> None:
    """Only a coopterm database (even a damaged one: that is when backups are needed) is replaced."""
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise DatabaseRefused("db.no_folder", path=target)
    if not os.path.lexists(target):
        return
    if target.is_dir():
        raise DatabaseRefused("db.is_directory", path=target)
    try:
        with open(target, "rb") as fh:
            head = fh.read(HEADER_SIZE)
    except OSError as exc:
        raise DatabaseRefused("db.unreadable", path=target, reason=exc.strerror) from None
    if len(head) < HEADER_SIZE or not head.startswith(SQLITE_MAGIC) or \
            read_header(head).application_id != APPLICATION_ID:
        raise CooptermError("restore.target_not_coopterm", path=target)


def _build(backup: Path, revision: str, tmp: Path, mode: int) -> None:
    """The restored file, whole, at ``tmp``: a compact copy of the backup, current, with a new replica id."""
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode))
    source = connect_read_only(backup)
    try:
        source.execute("VACUUM INTO ?", (str(tmp),))
    finally:
        source.close()
    conn = sqlite3.connect(tmp, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
    finally:
        conn.close()
    if revision != schema.HEAD:
        schema.upgrade(tmp)
    conn = sqlite3.connect(tmp, isolation_level=None)
    try:
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("UPDATE meta SET value = ? WHERE key = 'replica_id'", (uuid.uuid4().hex,))
        problems = [row[0] for row in conn.execute("PRAGMA quick_check")]
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    if problems != ["ok"]:
        raise DatabaseRefused("db.damaged_detail", path=backup, reason="; ".join(problems[:3]))
    fsync(tmp)


def _keep(src: Path, dst: Path) -> None:
    """``dst`` becomes another name of ``src`` (a copy where the folder cannot hold links)."""
    try:
        os.link(src, dst)
    except OSError as exc:
        if exc.errno not in NO_HARD_LINKS:
            raise
        shutil.copy2(src, dst)
        fsync(dst)


def restore_backup(backup: str | os.PathLike[str], target: str | os.PathLike[str]) -> Path | None:
    """Replace the database ``target`` by the backup ``backup`` (see the module).

    Returns the name the previous database is kept under, or ``None`` when there was none.
    """
    backup, target = Path(backup), Path(target)
    revision = _check_backup(backup, target)
    _check_target(target)
    folder = target.parent if str(target.parent) else Path(".")
    clean_leftovers(folder)
    tmp = temporary_name(target, folder)
    exists = os.path.lexists(target)
    mode = derived_mode(backup) & (derived_mode(target) if exists else 0o666)
    kept: Path | None = None
    try:
        try:
            _build(backup, revision, tmp, mode)
        except sqlite3.Error as exc:
            raise plain_words(exc, target) or CooptermError("restore.failed", path=target,
                                                              reason=str(exc)) from None
        if exists:
            kept = schema.backup_path_for(target, "restore")
            _keep(target, kept)
            wal = Path(f"{target}-wal")
            if wal.exists():
                _keep(wal, Path(f"{kept}-wal"))
            fsync_dir(folder)
            # The old file's -wal and -shm go before the new file takes the name, so that
            # no moment has the restored file beside them (the kept names hold the -wal).
            for stale in (wal, Path(f"{target}-shm")):
                with contextlib.suppress(FileNotFoundError):
                    stale.unlink()
            os.replace(tmp, target)
        else:
            name_without_replacing(tmp, target)
        fsync_dir(folder)
    except FileExistsError:
        raise DatabaseRefused("db.exists", path=target) from None
    except OSError as exc:
        if kept is not None and not os.path.lexists(target):
            with contextlib.suppress(OSError):  # put the old file back under its name
                os.link(kept, target)
        raise CooptermError("restore.failed", path=target,
                            reason=exc.strerror or os.strerror(exc.errno or errno.EIO)) from None
    finally:
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm"), Path(f"{tmp}-journal")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
    return kept
