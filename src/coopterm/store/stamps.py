"""Stamp every inserted or changed row with its time, replica and revision at flush.

The stamps are what a later merge of copies relies on, so they are set in one
place for every write, whatever screen or command made it, together with the
entry of the change history that records it (``history.py``).  The highest revision
this database has given out is kept in ``meta`` and read inside the write
transaction (which holds SQLite's write lock), so two processes writing the same
file still hand out increasing revisions.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Column, Integer, MetaData, String, Table, event, func, insert, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

from coopterm.clock import Revision, next_revision, utcnow
from coopterm.folding import search_key
from coopterm.models import SEARCHED, Row, table_of
from coopterm.store import history
from coopterm.store.history import device_name

_installed = False
KEEP_STAMPS = "coopterm_keep_stamps"
_KEY = "search_key"
COUNTER_SPAN = 1_000_000
"""A revision's counter has six digits (``clock.Revision``)."""


def _fold_keys(session: Session) -> None:
    """Refold the ``search_key`` of every new or changed searchable row (even when the
    stamps are kept: a merged or restored row's key must follow its text too).  Set only
    when it differs, so that an untouched row does not look changed."""
    for obj in (*session.new, *session.dirty):
        fields = SEARCHED.get(type(obj))
        if fields is not None:
            key = search_key(getattr(obj, name) for name in fields)
            if getattr(obj, _KEY) != key:
                setattr(obj, _KEY, key)


def _stamp(session: Session, _context: object, _instances: object) -> None:
    _fold_keys(session)
    if session.info.get(KEEP_STAMPS):
        return
    new = [obj for obj in session.new if isinstance(obj, Row)]
    changed = [
        obj for obj in session.dirty
        if isinstance(obj, Row) and session.is_modified(obj, include_collections=False)
    ]
    if not new and not changed:
        return
    entries = history.pending_entries(new, changed)
    # A change that left every value as it was is not a change: no new revision.
    unchanged = {id(obj) for obj in changed if history.is_tracked(obj)} - {id(obj) for obj, _ in entries}
    changed = [obj for obj in changed if id(obj) not in unchanged]
    if not new and not changed:
        return
    replica = _replica(session)
    conn = session.connection()
    now = utcnow()
    changed_ids = {id(obj) for obj in changed}
    stamped = new + changed
    for obj, revision in zip(stamped, _hand_out(conn, replica, len(stamped))):
        if id(obj) in changed_ids:
            obj.updated_at = now
        obj.changed_by = replica
        obj.revision = revision
    history.record(conn, entries, replica, now)


def _replica(session: Session) -> uuid.UUID:
    replica = session.info.get("replica_id")
    if replica is None:
        raise RuntimeError("write sessions must come from Database.write()")
    return replica


def _hand_out(conn: Connection, replica: uuid.UUID, count: int) -> list[str]:
    """The next ``count`` revisions of this copy's clock, one after the other, and the
    last one kept in ``meta`` (read and written inside the write transaction)."""
    stored = conn.execute(text("SELECT value FROM meta WHERE key = 'last_revision'")).scalar()
    last = Revision.parse(stored) if stored else None
    revisions = []
    for _ in range(count):
        last = next_revision(last, replica.hex)
        revisions.append(str(last))
    conn.execute(
        text("INSERT INTO meta (key, value) VALUES ('last_revision', :v) "
             "ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
        {"v": str(last)},
    )
    return revisions


_REVISION_SQL = ("printf('%015d-%06d-%s', :millis + (:counter + k.n - 1) / {c}, (:counter + k.n - 1) % {c}, "
                 ":replica)").format(c=COUNTER_SPAN)
"""The revision of the ``n``-th row tombstoned together: the clock's next reading counted up
by one per row, as :func:`coopterm.clock.next_revision` counts within a millisecond.  A
counter would outgrow its six digits (and break the text order of revisions) after a
million rows: the next millisecond is taken instead, as the clock does when time moves."""

_HISTORY_ID_SQL = ("lower(printf('%012x7', :now_ms) || substr(hex(randomblob(2)), 2) "
                   "|| substr('89ab', 1 + abs(random() % 4), 1) || substr(hex(randomblob(8)), 2))")
"""A UUIDv7 (RFC 9562) made by SQLite: this millisecond, the version, 74 random bits, the
variant; as :func:`coopterm.clock.uuid7` makes the history's ids, one per row without a
Python call per row."""


def _revisions_from(first: Revision, count: int) -> Revision:
    """The ``count``-th revision of :data:`_REVISION_SQL` (1 is ``first``)."""
    step = first.counter + count - 1
    return Revision(first.millis + step // COUNTER_SPAN, step % COUNTER_SPAN, first.replica)


def tombstone_where(session: Session, model: type[Row], *conditions: ColumnElement[bool] | Any) -> int:
    """Tombstone the live rows of ``model`` that meet ``conditions`` in a few statements,
    however many they are; returns how many.

    Each row is stamped and recorded exactly as if it had been tombstoned one by one
    and flushed (:func:`_stamp`): ``deleted_at`` and ``updated_at`` the time of the
    write, this copy as ``changed_by``, a revision of its own from this copy's clock
    (above every one handed out before, the last one kept in ``meta``), and a
    ``delete`` entry of the history with no changed column, based on the row's former
    revision.  Loading 25,000 actions and their links as objects to do that took 12 s.

    Pending changes of the session are flushed first, so they are stamped before;
    rows of ``model`` the session holds are expired, so they are read again as they
    now are.
    """
    session.flush()
    replica = _replica(session)
    conn = session.connection()
    table = table_of(model)
    conn.exec_driver_sql("CREATE TEMP TABLE IF NOT EXISTS tombstoning (id TEXT PRIMARY KEY, n INTEGER, revision TEXT)")
    conn.exec_driver_sql("DELETE FROM temp.tombstoning")
    live = select(table.c.id, func.row_number().over(order_by=table.c.id), table.c.revision).where(
        table.c.deleted_at.is_(None), *conditions)
    count = conn.execute(insert(_TOMBSTONING).from_select(["id", "n", "revision"], live)).rowcount
    if not count:
        return 0
    stored = conn.execute(text("SELECT value FROM meta WHERE key = 'last_revision'")).scalar()
    first = next_revision(Revision.parse(stored) if stored else None, replica.hex)
    now = utcnow()
    stamp = table.c.updated_at.type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
    values = {"now": stamp(now) if stamp else now, "now_ms": int(now.timestamp() * 1000), "replica": replica.hex,
              "millis": first.millis, "counter": first.counter, "device": device_name(), "table": table.name}
    conn.execute(text(
        "INSERT INTO history (id, at, replica_id, device, table_name, row_id, op, revision, base_revision, changes) "
        f"SELECT {_HISTORY_ID_SQL}, :now, :replica, :device, :table, k.id, 'delete', {_REVISION_SQL}, "
        f"k.revision, '{{}}' FROM temp.tombstoning k ORDER BY k.n"), values)
    conn.execute(text(
        f"UPDATE {table.name} SET deleted_at = :now, updated_at = :now, changed_by = :replica, "
        f"revision = (SELECT {_REVISION_SQL} FROM temp.tombstoning k WHERE k.id = {table.name}.id) "
        "WHERE id IN (SELECT id FROM temp.tombstoning)"), values)
    conn.execute(
        text("INSERT INTO meta (key, value) VALUES ('last_revision', :v) "
             "ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
        {"v": str(_revisions_from(first, count))},
    )
    conn.exec_driver_sql("DELETE FROM temp.tombstoning")
    for obj in list(session.identity_map.values()):
        if isinstance(obj, model):
            session.expire(obj)
    return count


_TOMBSTONING = Table("tombstoning", MetaData(), Column("id", String, primary_key=True), Column("n", Integer),
                     Column("revision", String), prefixes=["TEMPORARY"], schema="temp")
"""The rows being tombstoned together, numbered in id order (created by :func:`tombstone_where`)."""


def install_stamping() -> None:
    global _installed
    if not _installed:
        event.listen(Session, "before_flush", _stamp)
        _installed = True
