"""Sync this file with the partnership's hub: bring the hub's changes here, send this file's there.

The rules are the merge's (``store/merge.py``), not a second set: what the hub has
that this file lacks is written into a private SQLite snapshot and merged here by
:func:`merge_snapshot`, exactly as a copy from a USB key would be.  Once this file
has seen everything the hub has, the rows it changed are the hub's next versions
(each one is already merged with what the hub holds), so they are written to the
hub as they are.

**Incremental, both ways.**  Each row of the hub carries ``hub_seq``, a number from
one sequence, set by a trigger on every insert and update (``hub.apply_access``).
The trigger first takes the hub's write lock (a transaction-level advisory lock),
so numbers are handed out in commit order; a pull takes the same lock shared while
it reads, so the sequence's last value is then the highest committed number.  This
file remembers that value (``hub_pulled`` in ``meta``) and the next pull asks only
for rows above it.  The other way, this file remembers the last history entry it
sent (``hub_pushed``: its rowid and id); a push looks only at rows with entries
after it, and sends those whose revision the hub does not have.  So a sync costs
what changed, not the size of the plan.  When the remembered entry is not found at
its rowid any more (the file was rebuilt by a VACUUM), or the hub is another hub,
the push compares every row once instead.

**Nothing half done.**  The pull is one transaction here; the push one on the hub,
which first checks, under the write lock, that nobody wrote since the pull (else it
pulls again).  Watermarks are written after the work they describe: a sync killed
in between repeats some work next time, which changes nothing (a merge of what is
already here is a no-op, and a row the hub has at the same revision is not sent).

**Refused changes.**  The hub's policies decide what each login may change
(``store/hub.py``).  A row the hub refuses is not written there, and nothing else of
the push is lost: the row here goes back to the hub's version (or, if the hub never
had it, is taken out), and a review item of kind ``refused`` keeps the change whole,
with who may make it.  Such items stay in this file; they are not sent.
"""

from __future__ import annotations

import contextlib
import sqlite3
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlmodel import SQLModel

from coopterm.atomic import private_folder
from coopterm.errors import CooptermError
from coopterm.models import SHARED_TABLES, SYNC_TABLES, Conflict, History, table_of
from coopterm.store.database import Database
from coopterm.store.hub import hub_engine, hub_url, server_reason
from coopterm.store.merge import MergeResult, merge_snapshot
from coopterm.store.reconcile import derived_id
from coopterm.store.rowdata import content_columns, dumps, json_value

SEQUENCE = "coopterm_hub_seq"
SEQ_COLUMN = "hub_seq"
WRITE_LOCK = 0x636F6F70  # "coop": the advisory lock every write to the hub takes first
CHANNEL = "coopterm"
"""What the hub's trigger notifies on each write (delivered at commit, one per table and
transaction): the app running on the hub listens to it (``store/online.py``)."""
REFUSED = "refused"
ATTEMPTS = 5

SYNCED_ROWS: tuple[type[SQLModel], ...] = (*SHARED_TABLES, Conflict)
"""The rows a sync compares by revision (history entries travel by id)."""

_META_URL, _META_HUB, _META_PULLED, _META_PUSHED = "hub_url", "hub_id", "hub_pulled", "hub_pushed"


@dataclass
class SyncResult:
    """What one sync did."""

    hub: str
    pulled: MergeResult | None = None
    pushed: dict[str, int] = field(default_factory=dict)
    refused: list[tuple[str, uuid.UUID]] = field(default_factory=list)
    attempts: int = 1

    @property
    def received(self) -> int:
        return self.pulled.changes if self.pulled is not None else 0

    @property
    def sent(self) -> int:
        return sum(self.pushed.values())

    def as_dict(self) -> dict[str, Any]:
        return {"hub": self.hub, "received": self.received, "sent": self.sent,
                "sent_per_table": {k: v for k, v in self.pushed.items() if v},
                "refused": [(table, row.hex) for table, row in self.refused],
                "conflicts": len(self.pulled.conflicts) if self.pulled else 0}


@dataclass
class _State:
    """This file's watermarks for one hub (``meta``)."""

    hub_id: str | None = None
    pulled: int = 0
    pushed_rowid: int = 0
    pushed_entry: str = ""


# --- the hub's side: what ``hub init``/``hub upgrade`` add for syncing ------------------

def sync_objects(conn: Connection, group: str) -> None:
    """The sequence, the ``hub_seq`` column and index on every synced table, the trigger
    that takes the write lock and numbers each written row, and the hub's id."""
    q_group = conn.dialect.identifier_preparer.quote_identifier(group)
    conn.execute(sa.text(f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE}"))
    conn.execute(sa.text(f"GRANT USAGE, SELECT ON SEQUENCE {SEQUENCE} TO {q_group}"))
    conn.execute(sa.text(f"""
        CREATE OR REPLACE FUNCTION coopterm_hub_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_advisory_xact_lock({WRITE_LOCK});
            NEW.{SEQ_COLUMN} := nextval('{SEQUENCE}');
            PERFORM pg_notify('{CHANNEL}', TG_TABLE_NAME);
            RETURN NEW;
        END $$"""))
    for model in SYNC_TABLES:
        table = table_of(model).name
        conn.execute(sa.text(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {SEQ_COLUMN} BIGINT NOT NULL DEFAULT 0"))
        conn.execute(sa.text(f"CREATE INDEX IF NOT EXISTS ix_{table}_{SEQ_COLUMN} ON {table} ({SEQ_COLUMN})"))
        conn.execute(sa.text(f"DROP TRIGGER IF EXISTS coopterm_hub_seq ON {table}"))
        conn.execute(sa.text(f"CREATE TRIGGER coopterm_hub_seq BEFORE INSERT OR UPDATE ON {table} "
                             "FOR EACH ROW EXECUTE FUNCTION coopterm_hub_stamp()"))
    conn.execute(sa.text("INSERT INTO meta (key, value) VALUES ('hub_id', :v) ON CONFLICT (key) DO NOTHING"),
                 {"v": uuid.uuid4().hex})


# --- this file's watermarks -------------------------------------------------------------

def _read_state(db: Database) -> tuple[str | None, _State]:
    conn = db.connect()
    try:
        meta = dict(conn.execute("SELECT key, value FROM meta WHERE key LIKE 'hub_%'").fetchall())
    finally:
        conn.close()
    pushed_rowid, _, pushed_entry = meta.get(_META_PUSHED, "0:").partition(":")
    return meta.get(_META_URL), _State(meta.get(_META_HUB), int(meta.get(_META_PULLED, "0")),
                                       int(pushed_rowid or 0), pushed_entry)


def remembered_hub(db: Database) -> str | None:
    """The hub this file last synced with (its URL, never a password), if any."""
    return _read_state(db)[0]


def waiting(db: Database) -> int:
    """How many rows changed here since the last sync sent its work: what a sync would send
    (at most; a row the hub already holds at that revision is not sent).  One indexed read."""
    _, state = _read_state(db)
    conn = db.connect()
    try:
        return conn.execute("SELECT count(*) FROM (SELECT DISTINCT table_name, row_id FROM history "
                            "WHERE rowid > ?)", (state.pushed_rowid,)).fetchone()[0]
    finally:
        conn.close()


def _write_meta(db: Database, values: dict[str, str]) -> None:
    conn = db.connect()
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?) "
                         "ON CONFLICT (key) DO UPDATE SET value = excluded.value", list(values.items()))
        conn.execute("COMMIT")
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.close()


# --- sync ---------------------------------------------------------------------------------

def sync(db: Database, url: str | None = None) -> SyncResult:
    """Sync ``db`` with the hub at ``url`` (else the one it last synced with); see the module."""
    remembered, state = _read_state(db)
    url = url or remembered
    if not url:
        raise CooptermError("sync.no_hub")
    hub_url(url)  # refused here, in plain words, when it is not a hub's address
    shown = url.strip()
    result = SyncResult(hub=shown)
    engine = hub_engine(url)
    try:
        for attempt in range(1, ATTEMPTS + 1):
            result.attempts = attempt
            hub_id, top = _pull(db, engine, state, result)
            if hub_id != state.hub_id:
                state = _State(hub_id=hub_id)  # another hub: everything is compared once
            state.pulled = top
            _write_meta(db, {_META_URL: shown, _META_HUB: hub_id, _META_PULLED: str(top)})
            done = _push(db, engine, state, result)
            if done is not None:
                state.pulled, state.pushed_rowid, state.pushed_entry = done
                _write_meta(db, {_META_PULLED: str(state.pulled),
                                 _META_PUSHED: f"{state.pushed_rowid}:{state.pushed_entry}"})
                return result
        raise CooptermError("sync.busy", hub=shown, attempts=ATTEMPTS)
    except DBAPIError as exc:
        raise CooptermError("sync.hub_failed", hub=shown, reason=server_reason(exc)) from None
    finally:
        engine.dispose()


def _top(hub: Connection) -> int:
    last, called = hub.execute(sa.text(f"SELECT last_value, is_called FROM {SEQUENCE}")).one()
    return int(last) if called else 0


def _pull(db: Database, engine: sa.Engine, state: _State, result: SyncResult) -> tuple[str, int]:
    """Merge here what the hub changed since ``state.pulled``; the hub's id and new top."""
    with engine.connect() as hub, hub.begin():
        hub.execute(sa.text("SELECT pg_advisory_xact_lock_shared(:k)"), {"k": WRITE_LOCK})
        hub_id = hub.execute(sa.text("SELECT value FROM meta WHERE key = 'hub_id'")).scalar()
        if hub_id is None:
            raise CooptermError("hub.not_a_hub", url=result.hub)
        since = state.pulled if hub_id == state.hub_id else 0
        top = _top(hub)
        if top == since:
            return hub_id, top
        seq: sa.ColumnElement[Any] = sa.literal_column(SEQ_COLUMN)
        delta: dict[type[SQLModel], list[dict[str, Any]]] = {}
        changed_ids: list[uuid.UUID] = []
        for model in SYNCED_ROWS:
            table = table_of(model)
            rows = [r._asdict() for r in hub.execute(sa.select(table).where(seq > since))]
            delta[model] = rows
            changed_ids += [r["id"] for r in rows]
        # The whole story of each row that changed, not only its new entries: the merge
        # reads from it what the hub has seen of the row.
        history = table_of(History)
        story = seq > since
        if since:
            story = sa.or_(story, sa.text("row_id = ANY(:ids)").bindparams(ids=changed_ids))
        delta[History] = [r._asdict() for r in hub.execute(sa.select(history).where(story))]
    if not any(delta.values()):
        return hub_id, top
    with private_folder("sync") as folder:
        snapshot = _empty_like(db, folder / "hub.db")
        _fill(snapshot, delta)
        merged = MergeResult(copy=Path(result.hub), dry_run=False)
        merge_snapshot(db, snapshot, merged, backup=False)
    result.pulled = merged if result.pulled is None else _add(result.pulled, merged)
    return hub_id, top


def _add(before: MergeResult, more: MergeResult) -> MergeResult:
    for name, counts in more.tables.items():
        total = before.tables.setdefault(name, type(counts)())
        for key, value in vars(counts).items():
            setattr(total, key, getattr(total, key) + value)
    before.history_added += more.history_added
    before.conflicts += more.conflicts
    return before


def _empty_like(db: Database, target: Path) -> Path:
    """A new file with this file's schema and nothing in it (a few milliseconds: no migration)."""
    source = db.connect()
    try:
        statements = [sql for (sql,) in source.execute(
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' "
            "ORDER BY type = 'index'")]
        revision = source.execute("SELECT version_num FROM alembic_version").fetchone()
    finally:
        source.close()
    out = sqlite3.connect(target, isolation_level=None)
    try:
        out.execute("BEGIN")
        for statement in statements:
            out.execute(statement)
        if revision is not None:
            out.execute("INSERT INTO alembic_version (version_num) VALUES (?)", revision)
        out.execute("COMMIT")
    finally:
        out.close()
    return target


def _fill(snapshot: Path, delta: dict[type[SQLModel], list[dict[str, Any]]]) -> None:
    """Write the hub's rows into the snapshot through the models' column types, so they are
    stored exactly as this file stores its own (ids in 32 hex, times as SQLAlchemy writes them)."""
    engine = sa.create_engine(f"sqlite:///{snapshot}")
    try:
        with engine.begin() as conn:
            for model, rows in delta.items():
                if rows:
                    conn.execute(table_of(model).insert(), rows)
    finally:
        engine.dispose()


def _local_changes(db: Database, state: _State) -> tuple[dict[str, set[str]] | None, int, str]:
    """The rows with history entries after the last push, per table (``None``: compare
    every row), and the last entry now (rowid, id)."""
    conn = db.connect()
    try:
        last = conn.execute("SELECT rowid, id FROM history ORDER BY rowid DESC LIMIT 1").fetchone() or (0, "")
        known = state.pushed_rowid and conn.execute(
            "SELECT id FROM history WHERE rowid = ?", (state.pushed_rowid,)).fetchone() == (state.pushed_entry,)
        if not known:
            return None, last[0], last[1]
        changed: dict[str, set[str]] = {}
        for table, row_id in conn.execute("SELECT DISTINCT table_name, row_id FROM history WHERE rowid > ?",
                                          (state.pushed_rowid,)):
            changed.setdefault(table, set()).add(row_id)
        return changed, last[0], last[1]
    finally:
        conn.close()


def _push(db: Database, engine: sa.Engine, state: _State,
          result: SyncResult) -> tuple[int, int, str] | None:
    """Send the rows changed here since the last push; ``None`` when the hub changed since
    the pull (pull again).  Returns the new (pulled, pushed rowid, pushed entry id)."""
    changed, rowid, entry = _local_changes(db, state)
    local = _local_rows(db, changed, state.pushed_rowid if changed is not None else 0)
    refused: list[tuple[type[SQLModel], dict[str, Any], dict[str, Any] | None]] = []
    with engine.connect() as hub, hub.begin():
        hub.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": WRITE_LOCK})
        if _top(hub) != state.pulled:
            return None
        refused_ids: set[uuid.UUID] = set()
        sent_revisions: list[str] = []
        local[Conflict] = _changed_conflicts(db, hub)
        for model in SYNCED_ROWS:
            rows = local.get(model, [])
            sent, lost = _send(hub, model, rows)
            result.pushed[table_of(model).name] = len(sent)
            sent_revisions += [r["revision"] for r in sent]
            for row, theirs in lost:
                refused.append((model, row, theirs))
                refused_ids.add(row["id"])
        entries = [e for e in local.get(History, []) if e["row_id"] not in refused_ids]
        result.pushed["history"] = _send_history(hub, entries)
        _advance_hub_clock(hub, sent_revisions)
        top = _top(hub)
        if refused:
            who = _who_may(hub, refused)
    if refused:
        _take_back(db, refused, who, result)
    return top, rowid, entry


def _advance_hub_clock(hub: Connection, revisions: list[str]) -> None:
    """Move the hub's clock past what this laptop sent, as a merge moves a file's: an edit
    made on the hub afterwards (online) is then newer, whatever the laptop's date."""
    if revisions:
        hub.execute(sa.text("INSERT INTO meta (key, value) VALUES ('last_revision', :v) ON CONFLICT (key) "
                            "DO UPDATE SET value = GREATEST(meta.value, excluded.value)"), {"v": max(revisions)})


def _local_rows(db: Database, changed: dict[str, set[str]] | None,
                after_rowid: int) -> dict[type[SQLModel], list[dict[str, Any]]]:
    """This file's versions of the changed rows (every row when ``changed`` is None), and
    the history entries after ``after_rowid``, read through the models' column types
    (conflicts: :func:`_changed_conflicts`)."""
    out: dict[type[SQLModel], list[dict[str, Any]]] = {}
    with db.read() as session:
        conn = session.connection()
        for model in SHARED_TABLES:
            table = table_of(model)
            query = sa.select(table)
            if changed is not None:
                ids = [uuid.UUID(i) for i in changed.get(table.name, ())]
                if not ids:
                    continue
                query = query.where(table.c.id.in_(ids))
            out[model] = [r._asdict() for r in conn.execute(query)]
        history = table_of(History)
        out[History] = [r._asdict() for r in conn.execute(
            sa.select(history).where(sa.literal_column("history.rowid") > after_rowid))]
    return out


def _changed_conflicts(db: Database, hub: Connection) -> list[dict[str, Any]]:
    """The review items here that the hub lacks or holds at another revision (not the
    ``refused`` ones: they stay here).  Conflicts record no history entries, so they are
    compared by (id, revision) — two narrow reads, whatever changed — and read whole only
    where they differ."""
    table = table_of(Conflict)
    theirs = {row_id.hex: (revision, deleted is not None) for row_id, revision, deleted in hub.execute(
        sa.select(table.c.id, table.c.revision, table.c.deleted_at))}
    conn = db.connect()
    try:
        differing = [uuid.UUID(row_id) for row_id, revision, deleted in conn.execute(
            "SELECT id, revision, deleted_at IS NOT NULL FROM conflict WHERE kind <> ?", (REFUSED,))
            if theirs.get(row_id) != (revision, bool(deleted))]
    finally:
        conn.close()
    if not differing:
        return []
    with db.read() as session:
        return [r._asdict() for r in session.connection().execute(
            sa.select(table).where(table.c.id.in_(differing)))]


def _send(hub: Connection, model: type[SQLModel], rows: Sequence[dict[str, Any]]
          ) -> tuple[list[dict[str, Any]], list[tuple[dict[str, Any], dict[str, Any] | None]]]:
    """Write ``rows`` the hub lacks (by revision and tombstone); (the rows written, the
    refused rows with the hub's version of each or None)."""
    if not rows:
        return [], []
    table = table_of(model)
    theirs = _hub_versions(hub, table, [r["id"] for r in rows])
    updates = [r for r in rows if r["id"] in theirs and _differs(r, theirs[r["id"]])]
    inserts = [r for r in rows if r["id"] not in theirs]
    if not updates and not inserts:
        return [], []
    columns = [c.name for c in table.columns if c.name != "id"]
    update = table.update().where(table.c.id == sa.bindparam("v_id")).values(
        {name: sa.bindparam(f"v_{name}") for name in columns})
    failed: list[dict[str, Any]] = []
    try:
        with hub.begin_nested():
            _write(hub, update, table, updates, inserts)
    except DBAPIError:
        for row in updates + inserts:  # one by one, to tell the refused rows from the others
            try:
                with hub.begin_nested():
                    _write(hub, update, table, [row] if row in updates else [], [row] if row in inserts else [])
            except DBAPIError:
                failed.append(row)
    wanted = updates + inserts
    # An update the policies do not let this login make changes no row, silently: what the
    # hub holds now tells.
    now = _hub_versions(hub, table, [r["id"] for r in wanted])
    lost = [r for r in wanted if r in failed or r["id"] not in now or _differs(r, now[r["id"]])]
    if not lost:
        return wanted, []
    whole = _hub_rows(hub, table, [r["id"] for r in lost])
    lost_ids = {r["id"] for r in lost}
    return [r for r in wanted if r["id"] not in lost_ids], [(r, whole.get(r["id"])) for r in lost]


def _write(hub: Connection, update: Any, table: sa.Table, updates: list[dict[str, Any]],
           inserts: list[dict[str, Any]]) -> None:
    if updates:
        hub.execute(update, [{f"v_{k}": v for k, v in r.items()} for r in updates])
    if inserts:
        hub.execute(table.insert(), inserts)


def _any_id(ids: list[uuid.UUID]) -> sa.TextClause:
    """``id = ANY(:ids)``: one array parameter however many ids (an IN list of thousands is
    parsed anew each time, and psycopg allows 65,535 parameters at most)."""
    return sa.text("id = ANY(:ids)").bindparams(ids=ids)


def _hub_versions(hub: Connection, table: sa.Table, ids: list[uuid.UUID]) -> dict[uuid.UUID, dict[str, Any]]:
    """The hub's revision and tombstone of each of ``ids`` it holds (ids only for history)."""
    columns = [table.c.id] + ([table.c.revision, table.c.deleted_at] if "deleted_at" in table.c.keys() else [])
    return {row.id: row._asdict() for row in hub.execute(sa.select(*columns).where(_any_id(ids)))}


def _hub_rows(hub: Connection, table: sa.Table, ids: list[uuid.UUID]) -> dict[uuid.UUID, dict[str, Any]]:
    return {row.id: row._asdict() for row in hub.execute(sa.select(table).where(_any_id(ids)))}


def _differs(mine: dict[str, Any], theirs: dict[str, Any]) -> bool:
    return (mine["revision"], mine["deleted_at"]) != (theirs["revision"], theirs["deleted_at"])


def _send_history(hub: Connection, entries: list[dict[str, Any]]) -> int:
    if not entries:
        return 0
    table = table_of(History)
    present = _hub_versions(hub, table, [e["id"] for e in entries])
    missing = [e for e in entries if e["id"] not in present]
    written = 0
    try:
        with hub.begin_nested():
            if missing:
                hub.execute(table.insert(), missing)
            written = len(missing)
    except DBAPIError:
        for entry in missing:  # an entry the hub refuses stays here only
            with contextlib.suppress(DBAPIError), hub.begin_nested():
                hub.execute(table.insert(), [entry])
                written += 1
    return written


def _who_may(hub: Connection, refused: list[tuple[type[SQLModel], dict[str, Any], dict[str, Any] | None]]
             ) -> dict[uuid.UUID, list[str]]:
    """For each refused row, who may make its change: the hub's coordinators and, for an
    action (its towns, its leads), the pilots who lead it; by name where they are a person
    of the plan, else by login."""
    coordinators = [name or login for login, name in hub.execute(sa.text(
        "SELECT m.login, p.name FROM hub_member m LEFT JOIN person p ON p.id = m.person_id "
        "WHERE m.role = 'coordinator' ORDER BY 2, 1"))]
    who: dict[uuid.UUID, list[str]] = {}
    for model, row, _ in refused:
        table = table_of(model).name
        action = row["id"] if table == "action" else row.get("action_id") if table.startswith("action_") else None
        leads = [] if action is None else [name for (name,) in hub.execute(sa.text(
            "SELECT p.name FROM action_pilot ap JOIN person p ON p.id = ap.person_id JOIN hub_member m "
            "ON m.person_id = p.id AND m.role = 'pilot' WHERE ap.action_id = :a AND ap.deleted_at IS NULL "
            "ORDER BY p.name"), {"a": action})]
        who[row["id"]] = [*coordinators, *(name for name in leads if name not in coordinators)]
    return who


def _take_back(db: Database, refused: list[tuple[type[SQLModel], dict[str, Any], dict[str, Any] | None]],
               who: dict[uuid.UUID, list[str]], result: SyncResult) -> None:
    """Put the hub's version back here for each refused row (take out a row the hub never
    had), and keep the refused change whole in a review item, in one transaction."""
    from coopterm.store.stamps import KEEP_STAMPS

    with db.write() as session:
        session.info[KEEP_STAMPS] = True
        conn = session.connection()
        for model, mine, theirs in reversed(refused):  # children before their parents
            table = table_of(model)
            names = content_columns(table)
            other = {name: json_value(mine[name]) for name in names}
            other["deleted"] = mine["deleted_at"] is not None
            kept = {name: json_value(theirs[name]) for name in names} if theirs else {}
            if theirs is not None:
                kept["deleted"] = theirs["deleted_at"] is not None
                conn.execute(table.update().where(table.c.id == mine["id"]).values(
                    {k: v for k, v in theirs.items() if k != "id"}))
            else:
                conn.execute(table.delete().where(table.c.id == mine["id"]))
            kept["may_change"] = who.get(mine["id"], [])
            conflict_id = uuid.UUID(derived_id(REFUSED, table.name, mine["id"].hex, mine["revision"]))
            if session.get(Conflict, conflict_id) is None:
                session.add(Conflict(
                    id=conflict_id, kind=REFUSED, table_name=table.name, row_id=mine["id"],
                    kept_revision=theirs["revision"] if theirs else "", other_revision=mine["revision"],
                    kept_values=dumps(kept), other_values=dumps(other),
                    changed_by=mine["changed_by"], revision=mine["revision"]))
            result.refused.append((table.name, mine["id"]))
