"""one row per natural key

Some rows are the same thing by meaning: a plan's town, an action's town or lead,
a meeting's attendee, a project's town (the link tables) and a plan's row for a
computed indicator.  Until now each got a random id, so two laptops that added
the same town to the same action made two rows, and a merge kept both: two live
links, or two targets for one indicator of which the screens showed either.
From now on their id is derived from what they are (``coopterm/domain/keys.py``),
so the same link made on two copies is one row, which a merge settles as one.

This revision brings the rows already in the file to that rule:

- the rows of one natural key (plan and town, action and town...; plan and
  indicator key) are one group; its survivor is the live row changed last (the
  highest revision), or the tombstone changed last when none is live, so the
  latest target is the one kept; it takes the derived id, with its values and
  revision as they were;
- the other rows of the group are removed; the history entries and conflicts of
  every row of the group point to the survivor, so no part of the story is lost;
  measurements of a removed indicator row (none should exist) follow it too;
- a group that had more than one row gets one history entry, op ``unify``, with a
  new revision of this file's clock, made on the survivor's revision (its base),
  whose changes say how many rows became one
  (``{"rows": [3, 1]}``).  It names no field of the row: the survivor's values are
  not changed, and a merge reads the fields an entry names as edits of the row
  (``store/reconcile.py``), so naming one would make a concurrent edit on another
  copy look like a conflict with an edit nobody made.  The values of the rows that
  go stay in their own entries, which now belong to the survivor;
- a unique index per natural key then keeps it so.  It is a plain one, not one on
  live rows only: every row of a key now has the same id, so a link removed and
  made again is its own tombstone revived, and there is never a second row.

The ids depend only on the file's content, so two copies migrated apart agree,
and a merge meets the same row under the same id.  The namespaces are repeated
here, not imported, so that this revision never changes when the app's code does;
a test checks that both derive the same ids.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 04:00:00
"""

import datetime as dt
import json
import os
import time
import uuid
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

LINK_NAMESPACE = uuid.UUID("6b1f0c52-9d3e-4a7b-8e21-4c5d9f0a7e13")
COMPUTED_NAMESPACE = uuid.UUID("3f7d2c1e-8b4a-4e6f-9a2d-5c0b1e7f3a94")

# Each link table and its natural key: the owner's column, then the other end's.
LINKS = {
    'plan_town': ('plan_id', 'town_id'),
    'action_town': ('action_id', 'town_id'),
    'action_pilot': ('action_id', 'person_id'),
    'meeting_attendee': ('meeting_id', 'person_id'),
    'new_project_town': ('project_id', 'town_id'),
}
UNIQUE = {
    **{table: (f'uq_{table}_{owner}_{other}', [owner, other]) for table, (owner, other) in LINKS.items()},
    'indicator': ('uq_indicator_plan_id_key', ['plan_id', 'key']),
}


def link_id(table: str, owner: str, other: str) -> str:
    """As ``coopterm.domain.keys.link_id``, in the 32-hex form ids are stored in."""
    return uuid.uuid5(LINK_NAMESPACE, f"{table}:{uuid.UUID(owner).hex}:{uuid.UUID(other).hex}").hex


def computed_indicator_id(plan: str, key: str) -> str:
    """As ``coopterm.domain.keys.computed_indicator_id``, in the 32-hex form."""
    return uuid.uuid5(COMPUTED_NAMESPACE, f"{uuid.UUID(plan).hex}:{key}").hex


def survivor(rows: Sequence[Any]) -> Any:
    """The live row changed last, else the tombstone changed last (the id breaks a tie)."""
    live = [r for r in rows if r.deleted_at is None]
    return max(live or rows, key=lambda r: (r.revision, r.id))


class _Clock:
    """This file's hybrid logical clock (``coopterm.clock``), for the entries written here."""

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn
        self.last: tuple[int, int] | None = None
        self.replica: str | None = None
        self.counter = 0

    def _meta(self, key: str) -> str | None:
        return self.conn.execute(sa.text("SELECT value FROM meta WHERE key = :k"), {"k": key}).scalar()

    def next(self) -> str:
        if self.replica is None:
            replica = self._meta('replica_id')
            if replica is None:
                raise RuntimeError("the file has no replica id")
            self.replica = uuid.UUID(replica).hex
            stored = self._meta('last_revision')
            if stored:
                millis, counter, _ = stored.split("-", 2)
                self.last = (int(millis), int(counter))
        wall = time.time_ns() // 1_000_000
        if self.last is None or wall > self.last[0]:
            self.last = (wall, 0)
        else:
            self.last = (self.last[0], self.last[1] + 1)
        return f"{self.last[0]:015d}-{self.last[1]:06d}-{self.replica}"

    def entry_id(self) -> str:
        """A UUIDv7 (as ``coopterm.clock.uuid7``), counting up within this migration."""
        self.counter += 1
        ms = time.time_ns() // 1_000_000
        rand_b = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
        value = (ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | (self.counter & 0xFFF) << 64 | 0b10 << 62 | rand_b
        return uuid.UUID(int=value).hex

    def save(self) -> None:
        if self.last is not None and self.replica is not None:
            self.conn.execute(
                sa.text("INSERT INTO meta (key, value) VALUES ('last_revision', :v) "
                        "ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
                {"v": f"{self.last[0]:015d}-{self.last[1]:06d}-{self.replica}"},
            )


def _unify(conn: sa.Connection, clock: _Clock, table: str, groups: dict[str, list[Any]]) -> None:
    """Give each group's survivor its derived id, remove the others, point the story at the survivor."""
    moves = []  # (old id, new id) of every row of a group whose ids are not already one derived id
    removed = []
    entries = []
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
    for derived, rows in sorted(groups.items()):
        if len(rows) == 1 and rows[0].id == derived:
            continue
        kept = survivor(rows)
        others = [r for r in rows if r is not kept]
        moves += [(r.id, derived) for r in rows]
        removed += [r.id for r in others]
        if others:
            entries.append({
                "id": clock.entry_id(), "at": now, "replica_id": None, "device": "", "table_name": table,
                "row_id": derived, "op": "unify", "revision": clock.next(), "base_revision": kept.revision,
                "changes": json.dumps({"rows": [len(rows), 1]}, separators=(",", ":")),
            })
    if not moves:
        return
    conn.execute(sa.text("DELETE FROM temp.unify_ids"))
    conn.execute(sa.text("INSERT INTO temp.unify_ids (old, new) VALUES (:old, :new)"),
                 [{"old": old, "new": new} for old, new in moves])
    if removed:
        conn.execute(sa.text(f"DELETE FROM {table} WHERE id = :id"), [{"id": i} for i in removed])
    conn.execute(sa.text(
        f"UPDATE {table} SET id = (SELECT new FROM temp.unify_ids WHERE old = {table}.id) "
        f"WHERE id IN (SELECT old FROM temp.unify_ids WHERE old <> new)"))
    for story in ('history', 'conflict'):
        conn.execute(sa.text(
            f"UPDATE {story} SET row_id = (SELECT new FROM temp.unify_ids WHERE old = {story}.row_id) "
            f"WHERE table_name = :t AND row_id IN (SELECT old FROM temp.unify_ids)"), {"t": table})
    if table == 'indicator':
        conn.execute(sa.text(
            "UPDATE measurement SET indicator_id = (SELECT new FROM temp.unify_ids "
            "WHERE old = measurement.indicator_id) WHERE indicator_id IN (SELECT old FROM temp.unify_ids)"))
    if entries:
        for entry in entries:
            entry["replica_id"] = clock.replica
        conn.execute(sa.text(
            "INSERT INTO history (id, at, replica_id, device, table_name, row_id, op, revision, base_revision, "
            "changes) VALUES (:id, :at, :replica_id, :device, :table_name, :row_id, :op, :revision, "
            ":base_revision, :changes)"), entries)


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == 'sqlite':
        # Rows to unify exist only in SQLite files: a PostgreSQL hub is created empty, by
        # `coopterm hub init`, and reaches this revision before it holds any row.
        _unify_all(conn)
    for table, (name, columns) in UNIQUE.items():
        op.create_index(name, table, columns, unique=True)


def _unify_all(conn: sa.Connection) -> None:
    clock = _Clock(conn)
    conn.execute(sa.text("CREATE TEMP TABLE unify_ids (old TEXT PRIMARY KEY, new TEXT NOT NULL)"))
    for table, (owner, other) in LINKS.items():
        groups: dict[str, list[Any]] = {}
        for row in conn.execute(sa.text(
                f"SELECT id, {owner} AS owner, {other} AS other, revision, deleted_at FROM {table}")):
            groups.setdefault(link_id(table, row.owner, row.other), []).append(row)
        _unify(conn, clock, table, groups)
    groups = {}
    for row in conn.execute(sa.text(
            "SELECT id, plan_id, key, revision, deleted_at FROM indicator WHERE key IS NOT NULL")):
        groups.setdefault(computed_indicator_id(row.plan_id, row.key), []).append(row)
    _unify(conn, clock, 'indicator', groups)
    conn.execute(sa.text("DROP TABLE temp.unify_ids"))
    clock.save()


def downgrade() -> None:
    for table, (name, _) in UNIQUE.items():
        op.drop_index(name, table_name=table)
