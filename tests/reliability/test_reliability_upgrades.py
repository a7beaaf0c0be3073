"""A file of each earlier schema version opens, migrates after a backup, and keeps every row.

``tests/fixtures/schema_000N.db`` are files as revisions 0001, 0002, 0003 and 0004
wrote them (``make_schema_0001.py``, ``make_schema_fixtures.py``); the 0004 one also
holds change history and merge conflicts.  Opening a copy of each with
``open_database`` must: write a backup next to it holding exactly what the fixture
held, bring the file to the current revision, and keep every row of every table with
every value it had (new columns and new tables may only add), with the derived
columns of today (``search_key``) filled from the values kept.  The one value that
changes is the id of a row that is one thing by meaning (a link, a computed
indicator): since 0007 it is derived from that meaning (``domain/keys.py``), and the
history, conflicts and measurements that named the row name it by that id.
"""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from pathlib import Path

import pytest
from sqlmodel import select

from coopterm.folding import search_key
from coopterm.models import SEARCHED, table_of
from coopterm.store import open_database, schema

FIXTURES = Path(__file__).parents[1] / "fixtures"
REVISIONS = ["0001", "0002", "0003", "0004"]
WITH_HISTORY = "0004"  # the first revision with the history and conflict tables


def tables(path: Path) -> dict[str, dict[str, dict]]:
    """Every table of a file: column name -> value for each row, keyed by the row's id or key."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        out = {}
        for name in names:
            rows = [dict(r) for r in conn.execute(f'SELECT * FROM "{name}"')]
            key = "id" if rows and "id" in rows[0] else None
            out[name] = {(r[key] if key else repr(sorted(r.items()))): r for r in rows}
        return out
    finally:
        conn.close()


def under_derived_ids(tables: dict[str, dict[str, dict]]) -> dict[str, dict[str, dict]]:
    """``tables`` as 0007 leaves them when every natural key has one row (as in the fixtures):
    each link and computed indicator under its derived id, and what pointed at it following."""
    from coopterm.domain.keys import LINKS, computed_indicator_id, link_id

    moved: dict[str, dict[str, str]] = {}
    for table, (owner, other) in LINKS.items():
        moved[table] = {i: link_id(table, uuid.UUID(r[owner]), uuid.UUID(r[other])).hex
                        for i, r in tables.get(table, {}).items()}
    moved["indicator"] = {i: computed_indicator_id(uuid.UUID(r["plan_id"]), r["key"]).hex
                          for i, r in tables.get("indicator", {}).items() if r["key"] is not None}
    out = dict(tables)
    for table, ids in moved.items():
        if table in out:
            out[table] = {ids.get(i, i): {**r, "id": ids.get(i, i)} for i, r in out[table].items()}
    for story in ("history", "conflict"):
        if story in out:
            out[story] = {i: {**r, "row_id": moved.get(r["table_name"], {}).get(r["row_id"], r["row_id"])}
                          for i, r in out[story].items()}
    if "measurement" in out:
        out["measurement"] = {i: {**r, "indicator_id": moved["indicator"].get(r["indicator_id"], r["indicator_id"])}
                              for i, r in out["measurement"].items()}
    return out


@pytest.fixture(params=REVISIONS)
def old_file(request, tmp_path) -> tuple[str, Path]:
    revision = request.param
    path = tmp_path / f"plan-{revision}.db"
    shutil.copyfile(FIXTURES / f"schema_{revision}.db", path)
    return revision, path


def test_the_fixtures_are_what_they_say(old_file):
    revision, path = old_file
    before = tables(path)
    assert [r["version_num"] for r in before["alembic_version"].values()] == [revision]
    if revision < WITH_HISTORY:
        assert "history" not in before and "conflict" not in before  # added by 0004
    else:
        assert len(before["history"]) >= 5 and len(before["conflict"]) >= 2
        assert {h["op"] for h in before["history"].values()} == {"create", "update", "delete"}
        assert {c["resolution"] for c in before["conflict"].values()} == {None, "kept"}
    filled = [name for name, rows in before.items() if rows]
    assert len(filled) >= {"0001": 10, "0002": 17, "0003": 17}.get(revision, 19)  # 0002 on: a row in every table
    assert any(not str(v).isascii() for rows in before.values() for row in rows.values() for v in row.values())


def test_an_old_file_migrates_after_a_backup_and_keeps_every_row(old_file):
    revision, path = old_file
    before = tables(path)
    with open_database(path, create=False) as db:
        assert db.migrated_from == revision
        backup = db.backup_path
        assert backup is not None and backup.parent == path.parent and backup.name.startswith(path.name)
        with db.engine.connect() as conn:
            raw = conn.connection.driver_connection
            assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
            conn.rollback()
    # The backup holds exactly what the user had.
    assert tables(backup) == before
    after = tables(path)
    before = under_derived_ids(before)
    assert [r["version_num"] for r in after["alembic_version"].values()] == [schema.HEAD]
    for name, rows in before.items():
        if name == "alembic_version":
            continue
        assert set(after[name]) == set(rows), name  # same rows: none lost, none added
        for key, row in rows.items():
            kept = {column: after[name][key][column] for column in row}
            assert kept == row, (name, key)  # every old value, as it was
    if revision < WITH_HISTORY:
        assert after["history"] == {} and after["conflict"] == {}  # nothing made up for the rows already there
    # (from 0004 on, the loop above kept every history entry and conflict as it was)
    searched = 0
    for model, fields in SEARCHED.items():  # filled from the values the user had, deleted rows too
        name = table_of(model).name
        for key, row in before.get(name, {}).items():
            assert after[name][key]["search_key"] == search_key(row[f] for f in fields), (name, key)
            searched += 1
    assert searched >= 5  # every searchable table holds a row (projects from 0002 on)
    if revision == "0001":  # 0002 gave every plan the seed's rhythm
        plan = next(iter(after["plan"].values()))
        assert (plan["tech_group_every_weeks"], plan["coordination_every_weeks"]) == (6, 8)
    # Opened again: already current, no second backup.
    with open_database(path, create=False) as again:
        assert again.migrated_from is None and again.backup_path is None
    assert sorted(p.name for p in path.parent.iterdir() if not p.name.endswith(("-wal", "-shm"))) == \
        sorted([path.name, backup.name])


def test_the_migrated_file_reads_and_writes_through_the_domain(old_file):
    """Not only the rows: the app's reads and a new write work on the migrated file."""
    from coopterm.cli import status_document
    from coopterm.domain.actions import ActionQuery, action_detail, count_actions, fetch_actions, update_action
    from coopterm.domain.conflicts import list_conflicts
    from coopterm.domain.history import history_since
    from coopterm.domain.plans import current_plan
    from coopterm.models import History

    revision, path = old_file
    with open_database(path, create=False) as db:
        with db.read() as session:
            recorded = set(session.exec(select(History.id)).all())
        assert bool(recorded) == (revision >= WITH_HISTORY)
        if revision >= WITH_HISTORY:  # what 0004 wrote reads as today's history and conflicts
            with db.read() as session:
                entries = history_since(session)
                assert {e.id for e in entries} == recorded
                assert {e.row_label for e in entries} >= {"المنستير Sfax", "Leïla Benabdelghani"}
                changed = {(e.table, e.op, f.field): (f.old, f.new) for e in entries for f in e.fields}
                assert changed[("action", "update", "notes")] == ("—", "Vu à Kraków 👍 ⏎ suite en juin")
                assert len({e.copy for e in entries}) == 2  # this copy and the other laptop
                conflicts = list_conflicts(session, include_resolved=True)
                assert [c.resolution for c in conflicts].count(None) == 1 == len(list_conflicts(session))
                assert {f.field for c in conflicts if c.table == "action" for f in c.fields} == \
                    {"title", "notes", "progress"}
                assert {f.field for c in conflicts if c.table == "person" for f in c.fields} == \
                    {"deleted", "organisation", "role"}
        doc = status_document(db)
        assert doc["plan"]["title"].startswith("Plan")
        with db.read() as session:
            plan = current_plan(session)
            rows = fetch_actions(session, plan.id, ActionQuery(), 0, 40)
            assert len(rows) == count_actions(session, plan.id) >= 1
            first = action_detail(session, rows[-1].id)
        with db.write() as session:
            update_action(session, first.id, {**first.form_values(), "progress": 55,
                                              "notes": "Après la mise à jour ✓"})
        with db.read() as session:
            history = [h for h in session.exec(select(History)).all() if h.id not in recorded]
            assert len(session.exec(select(History)).all()) == len(recorded) + 1  # the old entries stay
        assert [h.row_id for h in history] == [first.id]  # the change, and only it, is added to the history
        assert history[0].op == "update"


def test_a_migration_that_cannot_write_its_backup_changes_nothing(tmp_path, monkeypatch):
    """No backup, no migration: the file stays as it was, with a plain refusal."""
    from coopterm.errors import DatabaseRefused

    path = tmp_path / "plan.db"
    shutil.copyfile(FIXTURES / "schema_0003.db", path)
    before = path.read_bytes()
    monkeypatch.setattr(schema, "backup_path_for", lambda p, r: tmp_path / "missing-folder" / "backup.db")
    with pytest.raises(DatabaseRefused) as refused:
        open_database(path, create=False)
    assert "\n" not in str(refused.value)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(("-wal", "-shm"))) == ["plan.db"]
