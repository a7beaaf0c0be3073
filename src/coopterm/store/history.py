"""The change history, written in the same flush as the changes it records.

Every created, changed or deleted shared row gets one entry with the old and new
value of each column that changed, the time, this copy's replica id and the
machine's name, and the revision the change was made on.  Entries are only ever
added; merges copy them between copies.
"""

from __future__ import annotations

import datetime as dt
import functools
import socket
import uuid
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from coopterm.clock import uuid7
from coopterm.models import SHARED_TABLES, History, table_of
from coopterm.store.rowdata import DERIVED_COLUMNS, STAMP_COLUMNS, dumps, json_value

_TRACKED = frozenset(SHARED_TABLES)


@functools.cache
def device_name() -> str:
    """The name of this machine, so a coordinator can tell which laptop made a change."""
    try:
        return socket.gethostname()[:64]
    except OSError:
        return ""


def is_tracked(obj: Any) -> bool:
    return type(obj) in _TRACKED


def _changes(obj: Any, created: bool) -> tuple[str, dict[str, list[Any]]]:
    state = inspect(obj)
    changes: dict[str, list[Any]] = {}
    op = "create" if created else "update"
    for column in state.mapper.column_attrs:
        key = column.key
        if (key in STAMP_COLUMNS and key != "deleted_at") or key in DERIVED_COLUMNS:
            continue
        if created:
            value = getattr(obj, key)
            if key != "deleted_at" and value is not None:
                changes[key] = [None, json_value(value)]
            continue
        hist = state.attrs[key].history
        if not hist.has_changes():
            continue
        old = hist.deleted[0] if hist.deleted else None
        new = hist.added[0] if hist.added else None
        if old == new:
            continue
        if key == "deleted_at":
            if (old is None) != (new is None):
                op = "delete" if new is not None else "restore"
            continue
        changes[key] = [json_value(old), json_value(new)]
    return op, changes


def pending_entries(created: list[Any], changed: list[Any]) -> list[tuple[Any, dict[str, Any]]]:
    """What to record for the rows about to be flushed, read before their stamps change.

    Returns (row, entry) pairs; the entry's revisions and time are filled in by
    :func:`record` once the rows are stamped.  A change that sets every column to
    the value it had records nothing.
    """
    entries = []
    for obj, is_new in [(o, True) for o in created] + [(o, False) for o in changed]:
        if type(obj) not in _TRACKED:
            continue
        op, changes = _changes(obj, is_new)
        if not is_new and op == "update" and not changes:
            continue
        entries.append((obj, {
            "table_name": obj.__tablename__,
            "row_id": obj.id,
            "op": op,
            "base_revision": None if is_new else obj.revision,
            "changes": dumps(changes),
        }))
    return entries


def record(conn: Connection, entries: list[tuple[Any, dict[str, Any]]], replica: uuid.UUID,
           now: dt.datetime) -> None:
    if not entries:
        return
    rows = []
    device = device_name()
    for obj, entry in entries:
        rows.append({**entry, "id": uuid7(), "at": now, "replica_id": replica, "device": device,
                     "revision": obj.revision})
    conn.execute(table_of(History).insert(), rows)
