"""Bring the work of another copy of the database into this one.

Pilots take copies on their laptops and edit them offline; the coordinator merges
them back.  The rules (README, "Merging copies"):

- a row only the copy has is added; entries of the change history are added the
  same way, so every copy ends with the whole story;
- a row both have in different versions is settled by ``reconcile.settle``: the
  version of a side that has seen the other's is taken; otherwise each field is
  settled on its own, a deletion wins over a concurrent change, and what lost to
  a concurrent change of the same field is kept as a conflict for review;
- live work under a row the other copy deleted brings that row back, for review;
  two actions of one défi with one number are flagged for review;
- the clock of this copy is moved past every revision of the copy and of the
  merge, so an edit made here after the merge is newer than everything merged,
  whatever the date of either laptop.

Whatever the merge writes itself (a version made of two, a row brought back, a
conflict record) is stamped from what it was made of, never from this laptop's
clock: merging A into B and B into A gives both the same content, and merging
the same copy twice changes nothing.

The copy is never opened in place: a snapshot is taken into a temporary folder,
checked, and brought up to the current schema there.  The merge is one
transaction, after a backup of this file; a dry run makes the same changes in a
transaction it rolls back.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from coopterm.atomic import private_folder, vacuum_into
from coopterm.clock import Revision
from coopterm.errors import CooptermError, DatabaseRefused
from coopterm.folding import search_key
from coopterm.models import SEARCHED, SHARED_TABLES, Conflict, History, Row, table_of
from coopterm.store import schema, summary
from coopterm.store.database import BUSY_TIMEOUT_MS, Database, optimize
from coopterm.store.files import APPLICATION_ID, check_coopterm_file, complete_without_wal
from coopterm.store.reconcile import MERGE_OP, Story, Version, derived_id, derived_revision, settle
from coopterm.store.rowdata import content_columns, dumps


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


COUPLED_BY_RULE: dict[str, tuple[tuple[str, ...], ...]] = {"action": (("status", "progress"),)}
"""Fields a domain rule keeps in agreement on every write (an action's status and
progress: ``domain.actions``), settled together so that a merge keeps them agreeing."""


@functools.cache
def coupled_fields(model: type[Row]) -> tuple[tuple[str, ...], ...]:
    """The fields of ``model`` a merge settles together: those a CHECK constraint ties
    (a plan's start and end, an action's start and due dates, a meeting's four survey
    counts) and those of :data:`COUPLED_BY_RULE`.  Taking one copy's start date and the
    other's end could break the constraint, and the whole merge with it; taking both
    from the later change keeps every row as one copy made it."""
    table = table_of(model)
    names = set(content_columns(table))
    groups: list[set[str]] = [set(g) for g in COUPLED_BY_RULE.get(table.name, ())]
    for constraint in table.constraints:
        if isinstance(constraint, sa.CheckConstraint):
            text = str(constraint.sqltext)
            tied = {n for n in names if re.search(rf"\b{re.escape(n)}\b", text)}
            if len(tied) > 1:
                groups.append(tied)
    merged: list[set[str]] = []
    for group in groups:  # overlapping groups are one
        for other in [m for m in merged if m & group]:
            merged.remove(other)
            group |= other
        merged.append(group)
    order = content_columns(table)
    return tuple(tuple(n for n in order if n in g) for g in merged)


def _stories(conn: sqlite3.Connection, side: str, current: dict[str, str]) -> dict[str, Story]:
    """What ``side``'s history says of each row of ``temp.merge_ids`` (``current``: their revisions there)."""
    entries: dict[str, list[tuple[str, str | None, str, str]]] = {}
    for row_id, revision, base, op, changes in conn.execute(
        f"SELECT row_id, revision, base_revision, op, changes FROM {side}.history "
        "WHERE row_id IN (SELECT id FROM temp.merge_ids)"
    ):
        entries.setdefault(row_id, []).append((revision, base, op, changes))
    return {row_id: Story.read(revision, entries.get(row_id, ())) for row_id, revision in current.items()}


@dataclass
class _Written:
    """What the merge itself wrote, to move this copy's clock past it."""

    highest: str = ""

    def saw(self, revision: str) -> None:
        self.highest = max(self.highest, revision)


def _merge_table(conn: sqlite3.Connection, model: type[Row], result: MergeResult, written: _Written) -> None:
    table = table_of(model).name
    columns = [c.name for c in table_of(model).columns]
    content = content_columns(table_of(model))
    counts = result.tables.setdefault(table, TableCounts())
    col_list = ", ".join(columns)
    counts.added = conn.execute(
        f"INSERT INTO main.{table} ({col_list}) SELECT {col_list} FROM copy.{table} "
        f"WHERE id NOT IN (SELECT id FROM main.{table})"
    ).rowcount
    stamps = "{side}.created_at, {side}.updated_at, {side}.changed_by"
    content_sql = ", ".join(f"{{side}}.{c}" for c in content) or "NULL"
    pairs = conn.execute(
        f"SELECT m.id, m.revision, m.deleted_at IS NOT NULL, {content_sql.format(side='m')}, "
        f"c.revision, c.deleted_at IS NOT NULL, {content_sql.format(side='c')}, "
        f"{stamps.format(side='m')}, {stamps.format(side='c')} "
        f"FROM main.{table} m JOIN copy.{table} c ON c.id = m.id WHERE m.revision <> c.revision "
        f"OR m.deleted_at IS NOT c.deleted_at"
    ).fetchall()
    if not pairs:
        return
    conn.execute("DELETE FROM temp.merge_ids")
    conn.executemany("INSERT INTO temp.merge_ids (id) VALUES (?)", [(p[0],) for p in pairs])
    main_stories = _stories(conn, "main", {p[0]: p[1] for p in pairs})
    n = len(content)
    copy_stories = _stories(conn, "copy", {p[0]: p[3 + n] for p in pairs})
    groups = coupled_fields(model)
    take: list[str] = []
    found_conflicts: list[tuple[str, str, dict, dict, str, str, str]] = []  # ..., field or "deleted"
    for row in pairs:
        row_id = row[0]
        local = Version(row[1], bool(row[2]), tuple(row[3:3 + n]))
        other = Version(row[3 + n], bool(row[4 + n]), tuple(row[5 + n:5 + 2 * n]))
        outcome = settle(content, local, other, main_stories[row_id], copy_stories[row_id], groups)
        if outcome.source == "other":
            take.append(row_id)
            if other.deleted and not local.deleted:
                counts.deleted += 1
            else:
                counts.changed += 1
        elif outcome.source == "mixed":
            assert outcome.content is not None
            revision = _write_mixed(conn, model, row_id, content, local, other, outcome.content,
                                    row[5 + 2 * n:8 + 2 * n], row[8 + 2 * n:11 + 2 * n])
            written.saw(revision)
            counts.changed += 1
        for found in outcome.conflicts:
            found_conflicts.append(("edit", row_id, {found.name: found.kept}, {found.name: found.other},
                                    found.kept_revision, found.other_revision, found.name))
        if outcome.lost is not None and outcome.winner is not None:
            changed = dict(zip(content, outcome.lost.content))
            changed["deleted"] = False
            found_conflicts.append(("deleted", row_id, {"deleted": True}, changed, outcome.winner.revision,
                                    outcome.lost.revision, "deleted"))
    if take:
        conn.execute("DELETE FROM temp.merge_ids")
        conn.executemany("INSERT INTO temp.merge_ids (id) VALUES (?)", [(i,) for i in take])
        others = ", ".join(c for c in columns if c != "id")
        conn.execute(
            f"UPDATE main.{table} SET ({others}) = (SELECT {others} FROM copy.{table} c "
            f"WHERE c.id = main.{table}.id) WHERE id IN (SELECT id FROM temp.merge_ids)"
        )
    # Recorded once the row holds its outcome, whose stamps they carry.
    for kind, row_id, kept_values, other_values, kept_revision, other_revision, what in found_conflicts:
        counts.conflicts += _record_conflict(conn, result, kind, table, row_id, kept_values, other_values,
                                             kept_revision, other_revision, what,
                                             *sorted((kept_revision, other_revision)))


def _write_mixed(conn: sqlite3.Connection, model: type[Row], row_id: str, names: list[str], local: Version,
                 other: Version, content: tuple, local_stamps: tuple, other_stamps: tuple) -> str:
    """Write a version made of both (each field settled on its own), stamped alike on both
    sides of the merge, with the history entry that says this copy has seen both."""
    table = model.__tablename__
    revision = derived_revision(local.revision, other.revision)
    newer = other_stamps if other.revision > local.revision else local_stamps
    created = min(local_stamps[0], other_stamps[0])
    updated = max(local_stamps[1], other_stamps[1])
    values = dict(zip(names, content))
    searched = SEARCHED.get(model)
    if searched is not None:
        values["search_key"] = search_key(values[name] for name in searched)
    assignments = ", ".join(f"{name} = ?" for name in values)
    conn.execute(
        f"UPDATE main.{table} SET {assignments}, created_at = ?, updated_at = ?, changed_by = ?, revision = ?, "
        "deleted_at = NULL WHERE id = ?",
        (*values.values(), created, updated, newer[2], revision, row_id),
    )
    base = other if other.revision > local.revision else local
    changes = {name: [was, now] for name, was, now in zip(names, base.content, content) if was != now}
    conn.execute(
        "INSERT INTO main.history (id, at, replica_id, device, table_name, row_id, op, revision, base_revision, "
        "changes) VALUES (?, ?, ?, '', ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
        (derived_id(MERGE_OP, revision), updated, newer[2], table, row_id, MERGE_OP, revision, base.revision,
         dumps(changes)),
    )
    return revision


def _record_conflict(conn: sqlite3.Connection, result: MergeResult, kind: str, table: str, row_id: str,
                     kept: dict, other: dict, kept_revision: str, other_revision: str, *identity: str) -> bool:
    """Keep what a person should review, stamped from the row so both copies write the same record.
    Its id comes from ``identity`` (what makes it the same conflict); returns whether it
    is new (a conflict found before, and perhaps reviewed already, stays as it is)."""
    conflict_id = derived_id(kind, table, row_id, *identity)
    created, changed_by, revision = conn.execute(
        f"SELECT updated_at, changed_by, revision FROM main.{table} WHERE id = ?", (row_id,)
    ).fetchone()
    inserted = conn.execute(
        "INSERT INTO main.conflict (id, created_at, updated_at, deleted_at, changed_by, revision, kind, "
        "table_name, row_id, kept_revision, other_revision, kept_values, other_values, resolution) "
        "VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL) ON CONFLICT (id) DO NOTHING",
        (conflict_id, created, created, changed_by, revision, kind, table, row_id, kept_revision,
         other_revision, dumps(kept), dumps(other)),
    ).rowcount
    if inserted:
        result.conflicts.append((table, uuid.UUID(row_id)))
    return bool(inserted)


def _merge_conflicts(conn: sqlite3.Connection, result: MergeResult) -> None:
    """Conflict records travel like rows, the later revision (a review) winning, never conflicting."""
    columns = [c.name for c in table_of(Conflict).columns]
    col_list = ", ".join(columns)
    others = ", ".join(c for c in columns if c != "id")
    counts = result.tables.setdefault("conflict", TableCounts())
    newer = "SELECT c.id FROM copy.conflict c JOIN main.conflict m ON m.id = c.id WHERE c.revision > m.revision"
    counts.changed = conn.execute(f"UPDATE main.conflict SET ({others}) = (SELECT {others} FROM copy.conflict c "
                                  f"WHERE c.id = main.conflict.id) WHERE id IN ({newer})").rowcount
    counts.added = conn.execute(f"INSERT INTO main.conflict ({col_list}) SELECT {col_list} FROM copy.conflict "
                                "WHERE id NOT IN (SELECT id FROM main.conflict)").rowcount


def _merge_history(conn: sqlite3.Connection, result: MergeResult) -> None:
    columns = ", ".join(c.name for c in table_of(History).columns)
    result.history_added = conn.execute(
        f"INSERT INTO main.history ({columns}) SELECT {columns} FROM copy.history "
        "WHERE id NOT IN (SELECT id FROM main.history)"
    ).rowcount


KEPT_UNDER_DELETED = frozenset({("meeting_attendee", "person_id")})
"""Required links the app itself leaves live under a tombstone: a meeting keeps the
attendance of someone deleted since (``domain.persons.delete_person``)."""


def _required_links() -> list[tuple[str, str, str]]:
    """(child table, column, parent table) for every reference a row cannot live without."""
    links = []
    for model in SHARED_TABLES:
        for fk in table_of(model).foreign_keys:
            column = fk.parent
            if not column.nullable and (column.table.name, column.name) not in KEPT_UNDER_DELETED:
                links.append((column.table.name, column.name, fk.column.table.name))
    return links


def _restore_parents(conn: sqlite3.Connection, result: MergeResult, written: _Written) -> None:
    """Bring back every tombstoned row that live work hangs under, and say so for review.

    One copy deleted a défi, a meeting or a person while the other added an action,
    a decision or a pilot link under it.  The deletion was made without knowing of
    that work, so the work is not destroyed: its parent comes back (a change stamped
    alike on both sides of the merge) and a ``restored`` conflict lets the
    coordinator delete it again, with what depends on it, or keep it.  Repeated
    until no live row hangs under a tombstone, since a parent brought back may
    itself hang under one.
    """
    links = _required_links()
    while True:
        found: dict[tuple[str, str], list[list[str]]] = {}
        for child, column, parent in links:
            for parent_id, child_id in conn.execute(
                f"SELECT p.id, c.id FROM main.{parent} p JOIN main.{child} c ON c.{column} = p.id "
                "WHERE p.deleted_at IS NOT NULL AND c.deleted_at IS NULL"
            ):
                found.setdefault((parent, parent_id), []).append([child, child_id])
        if not found:
            return
        for (parent, parent_id), children in sorted(found.items()):
            tombstone, updated, changed_by = conn.execute(
                f"SELECT revision, updated_at, changed_by FROM main.{parent} WHERE id = ?", (parent_id,)
            ).fetchone()
            revision = derived_revision(tombstone, reason="restore")
            conn.execute(f"UPDATE main.{parent} SET deleted_at = NULL, revision = ? WHERE id = ?",
                         (revision, parent_id))
            conn.execute(
                "INSERT INTO main.history (id, at, replica_id, device, table_name, row_id, op, revision, "
                "base_revision, changes) VALUES (?, ?, ?, '', ?, ?, 'restore', ?, ?, '{}') "
                "ON CONFLICT (id) DO NOTHING",
                (derived_id("restore", revision), updated, changed_by, parent, parent_id, revision, tombstone),
            )
            written.saw(revision)
            result.tables.setdefault(parent, TableCounts()).changed += 1
            result.tables[parent].conflicts += _record_conflict(
                conn, result, "restored", parent, parent_id, {"deleted": False},
                {"deleted": True, "children": sorted(children)}, revision, tombstone, tombstone)


def _flag_same_numbers(conn: sqlite3.Connection, result: MergeResult) -> None:
    """Two live actions of one défi with one number (each copy created "2.3"): the one
    created later is flagged for review, where the coordinator can renumber it."""
    groups = conn.execute(
        "SELECT challenge_id, number FROM main.action WHERE deleted_at IS NULL "
        "GROUP BY challenge_id, number HAVING count(*) > 1"
    ).fetchall()
    for challenge_id, number in groups:
        rows = conn.execute(
            "SELECT id, revision FROM main.action WHERE challenge_id = ? AND number = ? AND deleted_at IS NULL "
            "ORDER BY created_at, id", (challenge_id, number),
        ).fetchall()
        first_id, first_revision = rows[0]
        for row_id, revision in rows[1:]:
            result.tables.setdefault("action", TableCounts()).conflicts += _record_conflict(
                conn, result, "same_number", "action", row_id, {"number": number},
                {"number": number, "same_as": first_id}, revision, first_revision, first_id, str(number))


def _advance_clock(conn: sqlite3.Connection, written: _Written) -> None:
    """Move this copy's clock past every revision of the copy and every one the merge wrote
    (hybrid logical clock receive), so an edit made here afterwards is newer than all of them."""
    highest = [conn.execute("SELECT value FROM main.meta WHERE key = 'last_revision'").fetchone()]
    for model in SHARED_TABLES:
        highest.append(conn.execute(f"SELECT max(revision) FROM copy.{model.__tablename__}").fetchone())
    highest.append(conn.execute("SELECT max(revision) FROM copy.history").fetchone())
    highest.append((written.highest or None,))
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
        merge_snapshot(db, snapshot, result, backup=not dry_run)
    return result


def merge_snapshot(db: Database, snapshot: Path, result: MergeResult, *, backup: bool) -> None:
    """Merge ``snapshot`` (a private file at the current schema, already checked) into
    ``db`` in one transaction, counting into ``result``; with ``backup``, a backup of
    ``db`` first, kept only when the merge changed something.  A sync with the hub
    merges what it pulled this way, without a backup: what it brings is on the hub."""
    saved = _backup(db) if backup else None
    try:
        with _attached(db, snapshot) as conn:
            conn.execute("CREATE TEMP TABLE IF NOT EXISTS merge_ids (id TEXT PRIMARY KEY)")
            # A dry run makes the same changes and rolls them back: what it reports is
            # exactly what the merge would do.
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("PRAGMA defer_foreign_keys = ON")
            written = _Written()
            # The copy's conflict records first: one this merge finds again is
            # left as the copy has it (reviewed, perhaps), whichever side merges.
            _merge_conflicts(conn, result)
            for model in SHARED_TABLES:
                _merge_table(conn, model, result, written)
            _restore_parents(conn, result, written)
            _flag_same_numbers(conn, result)
            _merge_history(conn, result)
            if result.dry_run or result.changes == 0:
                conn.execute("ROLLBACK")
            else:
                _advance_clock(conn, written)
                conn.execute(summary.COUNT_WRITE)  # the dashboard's figures kept in the file no longer hold
                conn.execute("COMMIT")
                optimize(conn)  # a merge may have added many rows: statistics follow
    except sqlite3.Error as exc:
        if saved is not None:
            with contextlib.suppress(FileNotFoundError):
                saved.unlink()
        raise CooptermError("merge.failed", path=result.copy, reason=str(exc)) from None
    if saved is not None and result.changes == 0:
        saved.unlink()
        saved = None
    result.backup = saved
