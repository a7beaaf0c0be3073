"""Bring the work of another copy of the database into this one.

Pilots take copies on their laptops and edit them offline; the coordinator merges
them back.  The rules (README, "Merging copies"):

- a row only the copy has is added; entries of the change history are added the
  same way, so every copy ends with the whole story;
- a row both have in different versions: if one side has already seen the other
  side's version (its history records that revision), the newer one is taken;
- otherwise both changed it without knowing of each other: a **conflict**.  A
  deletion wins over an edit; between two edits the higher revision wins on the
  hybrid logical clock.  The other version is kept in ``conflict`` for review;
- the clock of this copy is moved past every revision of the copy, so an edit
  made here after the merge is newer than everything merged, whatever the date
  of either laptop.

The outcome depends only on the two versions of each row and what each side has
seen, never on which side merges into which: merging the same copy twice changes
nothing, and merging A into B and B into A gives both the same content.

The copy is never opened in place: a snapshot is taken into a temporary folder,
checked, and brought up to the current schema there.  The merge is one
transaction, after a backup of this file; a dry run reads only.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from coopterm.atomic import private_folder, vacuum_into
from coopterm.clock import Revision
from coopterm.errors import CooptermError, DatabaseRefused
from coopterm.models import SHARED_TABLES, Conflict, History, Row, table_of
from coopterm.store import schema
from coopterm.store.database import BUSY_TIMEOUT_MS, Database
from coopterm.store.files import APPLICATION_ID, check_coopterm_file, complete_without_wal
from coopterm.store.rowdata import content_columns, dumps

# Conflict ids are derived from what was found, so two copies that find the same
# conflict record the same row.
_CONFLICT_NAMESPACE = uuid.UUID("6c3f0b8e-2a51-4c39-9a1e-7d0c2f4b8e11")


@dataclass
class TableCounts:
    added: int = 0
    changed: int = 0
    deleted: int = 0
    conflicts: int = 0

    def total(self) -> int:
        return self.added + self.changed + self.deleted + self.conflicts


@dataclass
class MergeResult:
    """What a merge did (or, for a dry run, would do), per table."""

    copy: Path
    dry_run: bool
    tables: dict[str, TableCounts] = field(default_factory=dict)
    history_added: int = 0
    conflicts: list[tuple[str, uuid.UUID]] = field(default_factory=list)
    backup: Path | None = None
    migrated_from: str | None = None

    @property
    def changes(self) -> int:
        return sum(c.total() for c in self.tables.values()) + self.history_added

    def as_dict(self) -> dict:
        return {
            "copy": str(self.copy),
            "dry_run": self.dry_run,
            "tables": {name: vars(c) for name, c in self.tables.items() if c.total()},
            "history_added": self.history_added,
            "conflicts": len(self.conflicts),
            "backup": str(self.backup) if self.backup else None,
        }


@dataclass(frozen=True)
class Version:
    revision: str
    deleted: bool
    content: tuple


def decide(local: Version, other: Version, local_seen: set[str], other_seen: set[str]) -> tuple[bool, bool]:
    """Whether to take ``other`` instead of ``local``, and whether it is a conflict.

    Symmetric by construction: swapping the two sides swaps the answer, which is
    what makes merging order-independent.
    """
    if local.revision == other.revision:
        if local.content == other.content and local.deleted == other.deleted:
            return False, False
        # The same revision with different content only happens to raw file copies
        # sharing a replica id; settle it by content so both sides agree.
        take = (other.deleted, repr(other.content)) > (local.deleted, repr(local.content))
        return take, True
    local_knows = other.revision in local_seen
    other_knows = local.revision in other_seen
    newer = Revision.parse(other.revision) > Revision.parse(local.revision)
    if local_knows != other_knows:
        return other_knows, False  # the side that saw the other's version made the later change
    if local_knows and other_knows:
        return newer, False
    same = local.content == other.content and local.deleted == other.deleted
    if local.deleted != other.deleted:
        return other.deleted, not same  # a deletion wins over a concurrent edit
    return newer, not same


class _Side:
    """Reads of one side of the merge ("main" or "copy") on the shared connection."""

    def __init__(self, conn: sqlite3.Connection, schema_name: str) -> None:
        self.conn = conn
        self.name = schema_name

    def seen(self, ids_table: str) -> dict[str, set[str]]:
        """For each row in ``temp.<ids_table>``, the revisions this side has recorded."""
        seen: dict[str, set[str]] = {}
        for row_id, revision, base in self.conn.execute(
            f"SELECT h.row_id, h.revision, h.base_revision FROM {self.name}.history h "
            f"WHERE h.row_id IN (SELECT id FROM temp.{ids_table})"
        ):
            revs = seen.setdefault(row_id, set())
            revs.add(revision)
            if base:
                revs.add(base)
        return seen


def _snapshot(copy: Path, folder: Path) -> Path:
    """A consistent, private snapshot of ``copy`` that can be checked and migrated freely."""
    target = folder / "copy.db"
    try:
        # A read-only connection to a WAL-mode file makes a -wal and a -shm it cannot
        # remove; when the file holds every commit, read it as immutable instead.
        flags = "mode=ro&immutable=1" if complete_without_wal(copy) else "mode=ro"
        src = sqlite3.connect(f"{copy.resolve().as_uri()}?{flags}", uri=True, isolation_level=None,
                              timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            src.execute("VACUUM INTO ?", (str(target),))
        finally:
            src.close()
        return target
    except sqlite3.OperationalError:
        # A WAL file on a read-only medium cannot be opened read-only by SQLite:
        # copy the files and let SQLite recover them in the private folder.
        with contextlib.suppress(FileNotFoundError):
            target.unlink()
    except sqlite3.DatabaseError as exc:
        raise DatabaseRefused("merge.copy_damaged", path=copy, reason=str(exc)) from None
    try:
        shutil.copyfile(copy, folder / "raw.db")
        wal = Path(f"{copy}-wal")
        if wal.exists():
            shutil.copyfile(wal, folder / "raw.db-wal")
        raw = sqlite3.connect(folder / "raw.db", isolation_level=None)
        try:
            raw.execute("VACUUM INTO ?", (str(target),))
        finally:
            raw.close()
    except OSError as exc:
        raise DatabaseRefused("db.unreadable", path=copy, reason=exc.strerror) from None
    except sqlite3.DatabaseError as exc:
        raise DatabaseRefused("merge.copy_damaged", path=copy, reason=str(exc)) from None
    return target


def _prepare(copy: Path, folder: Path) -> tuple[Path, str | None]:
    """Check the copy and bring a snapshot of it to the current schema; returns (snapshot, old revision)."""
    check_coopterm_file(copy)
    snapshot = _snapshot(copy, folder)
    conn = sqlite3.connect(snapshot, isolation_level=None)
    try:
        problems = [row[0] for row in conn.execute("PRAGMA quick_check")]
        if problems != ["ok"]:
            raise DatabaseRefused("merge.copy_damaged", path=copy, reason="; ".join(problems[:3]))
        if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            raise DatabaseRefused("db.foreign_sqlite", path=copy)
        try:
            rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
        except sqlite3.DatabaseError:
            raise DatabaseRefused("db.damaged", path=copy) from None
    except sqlite3.DatabaseError as exc:
        raise DatabaseRefused("merge.copy_damaged", path=copy, reason=str(exc)) from None
    finally:
        conn.close()
    if len(rows) != 1:
        raise DatabaseRefused("db.damaged", path=copy)
    revision = rows[0][0]
    if revision == schema.HEAD:
        return snapshot, None
    if revision not in schema.known_revisions():
        raise DatabaseRefused("db.newer", path=copy, revision=revision)
    try:
        schema.upgrade(snapshot)
    except DatabaseRefused:
        raise
    except Exception as exc:
        raise DatabaseRefused("merge.copy_damaged", path=copy, reason=str(exc)) from exc
    return snapshot, revision


@contextlib.contextmanager
def _attached(db: Database, snapshot: Path) -> Iterator[sqlite3.Connection]:
    """A raw connection of ``db`` (foreign keys on, busy timeout) with the snapshot attached as ``copy``."""
    pooled = db.engine.raw_connection()
    try:
        conn = pooled.driver_connection
        if not isinstance(conn, sqlite3.Connection):
            raise TypeError("coopterm's files are SQLite")
        conn.execute("ATTACH DATABASE ? AS copy", (str(snapshot),))
        try:
            yield conn
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            conn.execute("DETACH DATABASE copy")
    finally:
        pooled.close()


def _merge_table(conn: sqlite3.Connection, model: type[Row], result: MergeResult, apply: bool) -> None:
    table = table_of(model).name
    columns = [c.name for c in table_of(model).columns]
    content = content_columns(table_of(model))
    counts = result.tables.setdefault(table, TableCounts())
    col_list = ", ".join(columns)
    counts.added = conn.execute(
        f"SELECT count(*) FROM copy.{table} WHERE id NOT IN (SELECT id FROM main.{table})"
    ).fetchone()[0]
    content_sql = ", ".join(f"{{side}}.{c}" for c in content) or "NULL"
    pairs = conn.execute(
        f"SELECT m.id, m.revision, m.deleted_at IS NOT NULL, {content_sql.format(side='m')}, "
        f"c.revision, c.deleted_at IS NOT NULL, {content_sql.format(side='c')} "
        f"FROM main.{table} m JOIN copy.{table} c ON c.id = m.id WHERE m.revision <> c.revision "
        f"OR m.deleted_at IS NOT c.deleted_at"
    ).fetchall()
    take: list[str] = []
    conflict_rows: list[tuple] = []
    if pairs:
        conn.execute("DELETE FROM temp.merge_ids")
        conn.executemany("INSERT INTO temp.merge_ids (id) VALUES (?)", [(p[0],) for p in pairs])
        main_seen = _Side(conn, "main").seen("merge_ids")
        copy_seen = _Side(conn, "copy").seen("merge_ids")
        n = len(content)
        for row in pairs:
            row_id = row[0]
            local = Version(row[1], bool(row[2]), tuple(row[3:3 + n]))
            other = Version(row[3 + n], bool(row[4 + n]), tuple(row[5 + n:5 + 2 * n]))
            local_seen = main_seen.get(row_id, set()) | {local.revision}
            other_seen = copy_seen.get(row_id, set()) | {other.revision}
            taken, conflict = decide(local, other, local_seen, other_seen)
            if taken:
                take.append(row_id)
                if other.deleted and not local.deleted:
                    counts.deleted += 1
                else:
                    counts.changed += 1
            if conflict:
                counts.conflicts += 1
                winner, loser = (other, local) if taken else (local, other)
                conflict_rows.append((table, row_id, winner, loser, content))
    if not apply:
        result.conflicts.extend((c[0], uuid.UUID(c[1])) for c in conflict_rows)
        return
    conn.execute(
        f"INSERT INTO main.{table} ({col_list}) SELECT {col_list} FROM copy.{table} "
        f"WHERE id NOT IN (SELECT id FROM main.{table})"
    )
    if take:
        conn.execute("DELETE FROM temp.merge_ids")
        conn.executemany("INSERT INTO temp.merge_ids (id) VALUES (?)", [(i,) for i in take])
        others = ", ".join(c for c in columns if c != "id")
        conn.execute(
            f"UPDATE main.{table} SET ({others}) = (SELECT {others} FROM copy.{table} c "
            f"WHERE c.id = main.{table}.id) WHERE id IN (SELECT id FROM temp.merge_ids)"
        )
    for table_name, row_id, winner, loser, names in conflict_rows:
        _record_conflict(conn, table_name, row_id, winner, loser, names)
        result.conflicts.append((table_name, uuid.UUID(row_id)))


def _values(version: Version, names: list[str]) -> str:
    data = dict(zip(names, version.content))
    data["deleted"] = version.deleted
    return dumps(data)


def _record_conflict(conn: sqlite3.Connection, table: str, row_id: str, winner: Version, loser: Version,
                     names: list[str]) -> None:
    """Keep the losing version; stamped from the winner so that both copies write the same row."""
    low, high = sorted((winner.revision, loser.revision))
    conflict_id = uuid.uuid5(_CONFLICT_NAMESPACE, f"{table}:{row_id}:{low}:{high}").hex
    stamp = conn.execute(
        f"SELECT updated_at, changed_by FROM main.{table} WHERE id = ?", (row_id,)
    ).fetchone()
    conn.execute(
        "INSERT INTO main.conflict (id, created_at, updated_at, deleted_at, changed_by, revision, "
        "table_name, row_id, kept_revision, other_revision, kept_values, other_values, resolution) "
        "VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, NULL) ON CONFLICT (id) DO NOTHING",
        (conflict_id, stamp[0], stamp[0], stamp[1], winner.revision, table, row_id, winner.revision,
         loser.revision, _values(winner, names), _values(loser, names)),
    )


def _merge_conflicts(conn: sqlite3.Connection, result: MergeResult, apply: bool) -> None:
    """Conflict records travel like rows, the later revision (a review) winning, never conflicting."""
    columns = [c.name for c in table_of(Conflict).columns]
    col_list = ", ".join(columns)
    others = ", ".join(c for c in columns if c != "id")
    counts = result.tables.setdefault("conflict", TableCounts())
    counts.added = conn.execute(
        "SELECT count(*) FROM copy.conflict WHERE id NOT IN (SELECT id FROM main.conflict)"
    ).fetchone()[0]
    newer = "SELECT c.id FROM copy.conflict c JOIN main.conflict m ON m.id = c.id WHERE c.revision > m.revision"
    counts.changed = conn.execute(f"SELECT count(*) FROM ({newer})").fetchone()[0]
    if apply:
        conn.execute(f"UPDATE main.conflict SET ({others}) = (SELECT {others} FROM copy.conflict c "
                     f"WHERE c.id = main.conflict.id) WHERE id IN ({newer})")
        conn.execute(f"INSERT INTO main.conflict ({col_list}) SELECT {col_list} FROM copy.conflict "
                     "WHERE id NOT IN (SELECT id FROM main.conflict)")


def _merge_history(conn: sqlite3.Connection, result: MergeResult, apply: bool) -> None:
    columns = ", ".join(c.name for c in table_of(History).columns)
    missing = "FROM copy.history WHERE id NOT IN (SELECT id FROM main.history)"
    result.history_added = conn.execute(f"SELECT count(*) {missing}").fetchone()[0]
    if apply:
        conn.execute(f"INSERT INTO main.history ({columns}) SELECT {columns} {missing}")


def _advance_clock(conn: sqlite3.Connection) -> None:
    """Move this copy's clock past every revision of the copy (hybrid logical clock receive)."""
    highest = [conn.execute("SELECT value FROM main.meta WHERE key = 'last_revision'").fetchone()]
    for model in SHARED_TABLES:
        highest.append(conn.execute(f"SELECT max(revision) FROM copy.{model.__tablename__}").fetchone())
    highest.append(conn.execute("SELECT max(revision) FROM copy.history").fetchone())
    revisions = [Revision.parse(r[0]) for r in highest if r and r[0]]
    if not revisions:
        return
    conn.execute(
        "INSERT INTO main.meta (key, value) VALUES ('last_revision', ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (str(max(revisions)),),
    )


def _backup(db: Database) -> Path:
    """A backup of ``db`` beside it; it takes its name only once whole and flushed to disk."""
    stamp_path = schema.backup_path_for(db.path, "merge")
    try:
        conn = db.connect()
        try:
            vacuum_into(conn, stamp_path, db.path)
        finally:
            conn.close()
    except (sqlite3.Error, OSError) as exc:
        raise CooptermError("merge.backup_failed", path=db.path, reason=str(exc)) from None
    return stamp_path


def merge_copy(db: Database, copy: str | os.PathLike[str], *, dry_run: bool = False) -> MergeResult:
    """Merge the database file ``copy`` into ``db`` (see the module's rules).

    Refused with a :class:`CooptermError`, and ``db`` left exactly as it was: a file
    that is not a coopterm database, a damaged one, one from a newer coopterm, or
    ``db`` itself.  A backup of ``db`` is written next to it before anything changes
    (and removed again when the copy brought nothing new).
    """
    copy = Path(copy)
    # A loop of symbolic links raises RuntimeError before Python 3.13: the header check says it.
    with contextlib.suppress(OSError, RuntimeError):
        if copy.resolve() == db.path.resolve() or copy.samefile(db.path):
            raise CooptermError("merge.same_file", path=copy)
    result = MergeResult(copy=copy, dry_run=dry_run)
    with private_folder("merge") as folder:
        snapshot, result.migrated_from = _prepare(copy, folder)
        backup = None if dry_run else _backup(db)
        try:
            with _attached(db, snapshot) as conn:
                conn.execute("CREATE TEMP TABLE IF NOT EXISTS merge_ids (id TEXT PRIMARY KEY)")
                conn.execute("BEGIN" if dry_run else "BEGIN IMMEDIATE")
                if not dry_run:
                    conn.execute("PRAGMA defer_foreign_keys = ON")
                for model in SHARED_TABLES:
                    _merge_table(conn, model, result, apply=not dry_run)
                _merge_conflicts(conn, result, apply=not dry_run)
                _merge_history(conn, result, apply=not dry_run)
                if dry_run or result.changes == 0:
                    conn.execute("ROLLBACK")
                else:
                    _advance_clock(conn)
                    conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if backup is not None:
                with contextlib.suppress(FileNotFoundError):
                    backup.unlink()
            raise CooptermError("merge.failed", path=copy, reason=str(exc)) from None
        if backup is not None and result.changes == 0:
            backup.unlink()
            backup = None
        result.backup = backup
    return result
