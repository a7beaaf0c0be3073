"""Migration 0007 makes one row of each natural key in files that hold several (links
added on two laptops and merged, targets of one computed indicator set on both).

The file is ``tests/fixtures/schema_0004.db`` brought to revision 0006 (the last one
without the rule), with the duplicates an older coopterm's merges left added by hand:
two live rows of one plan town, a live row beside the tombstone of another, two rows
of one lead in different places, an attendee's tombstoned twin, and three rows of one
computed indicator (the first, a later live one, and a tombstone changed last), with
history, a conflict and a measurement that name the rows that go.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import uuid
from pathlib import Path

import pytest
from sqlmodel import select

from coopterm.domain.history import describe, history_since
from coopterm.domain.keys import LINKS, computed_indicator_id, link_id
from coopterm.domain.manual_indicators import set_computed_target
from coopterm.models import History
from coopterm.store import open_database, schema
from coopterm.store.merge import merge_copy
from tests.store.test_merge import content

FIXTURES = Path(__file__).parents[1] / "fixtures"
ME = "0195a1b2c3d47e8f9a0b1c2d3e4f5a6c"  # the fixture's replica
OTHER = "0195a1b2c3d47e8f9a0b1c2d3e4f7b2d"  # the other laptop of the fixture
PLAN, MONASTIR, KRAKOW = (f"0170a1b2c3d47e8f9a0b1c2d3e4f{n}" for n in ("0001", "0002", "0004"))
ACTION, LEILA, MEETING = (f"0170a1b2c3d47e8f9a0b1c2d3e4f{n}" for n in ("000c", "0008", "0013"))
COMPLETION = "0170a1b2c3d47e8f9a0b1c2d3e4f001c"  # the fixture's computed indicator: target 90
MANUAL = "0170a1b2c3d47e8f9a0b1c2d3e4f001d"
LAST_BEFORE = "001583056800000-000031-" + ME


def rev(millis: int, counter: int, replica: str = OTHER) -> str:
    return f"{millis:015d}-{counter:06d}-{replica}"


def dup(n: int) -> str:
    return f"0170a1b2c3d47e8f9a0b1c2d3e4f{0x1000 + n:04x}"


TWIN_MONASTIR = dup(1)  # a second live plan town, changed later than the first
LIVE_KRAKOW = dup(2)  # live beside the tombstone of the same plan town (changed earlier than it)
MOVED_LEAD = dup(3)  # the same lead, second place, changed later
DEAD_ATTENDEE = dup(4)  # a tombstone changed after the live attendee
LATER_TARGET = dup(5)  # completion rate, target 75, live, changed after the first
DEAD_TARGET = dup(6)  # completion rate, target 60, deleted, changed last of all
MEASURED = dup(7)  # a measurement of the deleted computed row
T = "2020-06-01 10:00:00.000000"


def _at_0006(path: Path) -> None:
    from alembic import command

    engine = schema._migration_engine(path)
    try:
        with engine.connect() as conn, conn.begin():
            command.upgrade(schema._alembic_config(conn), "0006")
    finally:
        engine.dispose()


def _row(conn, table, row_id, revision, deleted, **values) -> None:
    columns = {"id": row_id, "created_at": T, "updated_at": T, "deleted_at": T if deleted else None,
               "changed_by": revision.rsplit("-", 1)[1], "revision": revision, **values}
    conn.execute(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                 tuple(columns.values()))


def _created(conn, table, row_id, revision, changes) -> None:
    conn.execute("INSERT INTO history (id, at, replica_id, device, table_name, row_id, op, revision, base_revision, "
                 "changes) VALUES (?, ?, ?, 'PC-Kraków', ?, ?, 'create', ?, NULL, ?)",
                 (uuid.uuid5(uuid.NAMESPACE_OID, revision).hex, T, OTHER, table, row_id, revision,
                  json.dumps(changes)))


def old_file_with_duplicates(path: Path, replica: str = ME) -> Path:
    shutil.copyfile(FIXTURES / "schema_0004.db", path)
    _at_0006(path)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'replica_id'", (replica,))
        _row(conn, "plan_town", TWIN_MONASTIR, rev(1583056900000, 1), False, plan_id=PLAN, town_id=MONASTIR)
        _created(conn, "plan_town", TWIN_MONASTIR, rev(1583056900000, 1), {"plan_id": [None, PLAN]})
        _row(conn, "plan_town", LIVE_KRAKOW, rev(1583056700000, 1), False, plan_id=PLAN, town_id=KRAKOW)
        _row(conn, "action_pilot", MOVED_LEAD, rev(1583056900000, 2), False, action_id=ACTION, person_id=LEILA,
             position=1)
        _row(conn, "meeting_attendee", DEAD_ATTENDEE, rev(1583056900000, 3), True, meeting_id=MEETING,
             person_id=LEILA)
        computed = {"plan_id": PLAN, "key": "completion_rate", "label": "Taux de réalisation", "unit": "%",
                    "computed": 1, "position": 0}
        _row(conn, "indicator", LATER_TARGET, rev(1583056900000, 4), False, target=75.0, **computed)
        _created(conn, "indicator", LATER_TARGET, rev(1583056900000, 4), {"target": [None, 75.0]})
        _row(conn, "indicator", DEAD_TARGET, rev(1583057000000, 1), True, target=60.0, **computed)
        _created(conn, "indicator", DEAD_TARGET, rev(1583057000000, 1), {"target": [None, 60.0]})
        _row(conn, "measurement", MEASURED, rev(1583057000000, 2), False, indicator_id=DEAD_TARGET,
             measured_on="2020-05-31", value=3.0, note="")
        conn.execute(
            "INSERT INTO conflict (id, created_at, updated_at, deleted_at, changed_by, revision, kind, table_name, "
            "row_id, kept_revision, other_revision, kept_values, other_values, resolution) "
            "VALUES (?, ?, ?, NULL, ?, ?, 'edit', 'indicator', ?, ?, ?, ?, ?, NULL)",
            (dup(8), T, T, ME, rev(1583057000000, 3, ME), LATER_TARGET, rev(1583056900000, 4),
             rev(1583056800000, 28, ME), '{"target":75.0}', '{"target":90.0}'))
    conn.close()
    return path


def read(path: Path, sql: str, *args) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def derived(table: str, owner: str, other: str) -> str:
    return link_id(table, uuid.UUID(owner), uuid.UUID(other)).hex


COMPLETION_ID = computed_indicator_id(uuid.UUID(PLAN), "completion_rate").hex


@pytest.fixture
def migrated(tmp_path) -> tuple[Path, list[tuple]]:
    """The old file opened by today's coopterm, and the history it held before."""
    path = old_file_with_duplicates(tmp_path / "plan.db")
    history = read(path, "SELECT id, table_name, row_id, op, revision FROM history")
    with open_database(path, create=False) as db:
        assert db.migrated_from == "0006"
    return path, history


def test_every_natural_key_has_one_row_under_its_derived_id(migrated):
    path, _ = migrated
    for table, (owner, other) in LINKS.items():
        rows = read(path, f"SELECT id, {owner}, {other} FROM {table}")
        assert rows and len({(r[1], r[2]) for r in rows}) == len(rows), table
        assert all(r[0] == derived(table, r[1], r[2]) for r in rows), table
    assert read(path, "SELECT id, key FROM indicator ORDER BY key") == [(MANUAL, None),
                                                                          (COMPLETION_ID, "completion_rate")]


def test_the_latest_live_row_of_each_key_is_the_one_kept(migrated):
    path, _ = migrated
    one = "SELECT revision, deleted_at IS NOT NULL FROM {} WHERE id = ?"
    assert read(path, one.format("plan_town"), derived("plan_town", PLAN, MONASTIR)) == \
        [(rev(1583056900000, 1), 0)]  # the twin changed later
    assert read(path, one.format("plan_town"), derived("plan_town", PLAN, KRAKOW)) == \
        [(rev(1583056700000, 1), 0)]  # live beats a tombstone changed later
    assert read(path, one.format("meeting_attendee"), derived("meeting_attendee", MEETING, LEILA)) == \
        [(rev(1583056800000, 21, ME), 0)]
    assert read(path, "SELECT position FROM action_pilot WHERE id = ?",
                derived("action_pilot", ACTION, LEILA)) == [(1,)]
    assert read(path, "SELECT target, revision, deleted_at FROM indicator WHERE id = ?", COMPLETION_ID) == \
        [(75.0, rev(1583056900000, 4), None)]
    with open_database(path, create=False) as db, db.read() as s:
        from coopterm.domain.indicators import indicator_settings

        assert indicator_settings(s, uuid.UUID(PLAN))["completion_rate"].target == 75


def test_the_story_of_every_row_of_a_key_is_kept_under_the_one_left(migrated):
    path, before = migrated
    after = {r[0]: r for r in read(path, "SELECT id, table_name, row_id, op, revision FROM history")}
    assert set(after) >= {r[0] for r in before}  # no entry lost
    moved = {"0170a1b2c3d47e8f9a0b1c2d3e4f0007": derived("plan_town", PLAN, KRAKOW),
             TWIN_MONASTIR: derived("plan_town", PLAN, MONASTIR),
             LATER_TARGET: COMPLETION_ID, DEAD_TARGET: COMPLETION_ID}
    for entry_id, table, row_id, op, revision in before:
        assert after[entry_id] == (entry_id, table, moved.get(row_id, row_id), op, revision)
    assert read(path, "SELECT row_id FROM conflict WHERE table_name = 'indicator'") == [(COMPLETION_ID,)]
    assert read(path, "SELECT indicator_id FROM measurement WHERE id = ?", MEASURED) == [(COMPLETION_ID,)]
    assert read(path, "SELECT indicator_id FROM measurement WHERE id != ?", MEASURED) == [(MANUAL,)]
    assert read(path, "PRAGMA foreign_key_check") == []


def test_each_unified_key_is_recorded_once_in_the_history(migrated):
    path, before = migrated
    unified = read(path, "SELECT table_name, row_id, op, replica_id, device, revision, base_revision, changes, "
                         "length(id) FROM history WHERE op = 'unify' ORDER BY table_name, row_id")
    assert len(read(path, "SELECT id FROM history")) == len(before) + len(unified)
    keys = {(r[0], r[1]): r for r in unified}
    assert set(keys) == {("plan_town", derived("plan_town", PLAN, MONASTIR)),
                         ("plan_town", derived("plan_town", PLAN, KRAKOW)),
                         ("action_pilot", derived("action_pilot", ACTION, LEILA)),
                         ("meeting_attendee", derived("meeting_attendee", MEETING, LEILA)),
                         ("indicator", COMPLETION_ID)}  # keys with one row are not recorded
    for table, row_id, _, replica, device, revision, base, _, id_length in unified:
        assert (replica, device, id_length) == (ME, "", 32)
        assert revision > LAST_BEFORE and revision.endswith(ME)
        assert base == read(path, f"SELECT revision FROM {table} WHERE id = ?", row_id)[0][0]
    # How many rows became one, and no field of the row: a merge reads the fields an entry names as edits.
    assert {k: json.loads(r[7]) for k, r in keys.items()} == {
        k: {"rows": [3 if k[0] == "indicator" else 2, 1]} for k in keys}
    assert read(path, "SELECT value FROM meta WHERE key = 'last_revision'") == [(max(r[5] for r in unified),)]
    with open_database(path, create=False) as db, db.read() as s:
        lines = [describe(e) for e in history_since(s) if e.op == "unify"]
    plan = "Town of the plan Plan d'action multilatéral 2019–2021"
    assert sorted(lines) == sorted([
        f"{plan} ↔ Monastir: duplicates made one: Rows 2 → 1", f"{plan} ↔ Kraków: duplicates made one: Rows 2 → 1",
        "Lead of an action 3.2 Mobiliser les syndicats patronaux des 5 villes ↔ Leïla Benabdelghani: "
        "duplicates made one: Rows 2 → 1",
        "Attendee Forum de Monastir (2019-11-20) ↔ Leïla Benabdelghani: duplicates made one: Rows 2 → 1",
        "Indicator Completion rate of the proposed actions: duplicates made one: Rows 3 → 1",  # named by its key
    ])


def test_two_copies_migrated_apart_agree_and_merge_without_a_second_row(tmp_path):
    a = old_file_with_duplicates(tmp_path / "a.db")
    b = old_file_with_duplicates(tmp_path / "b.db", replica=uuid.uuid4().hex)
    for path in (a, b):
        with open_database(path, create=False):
            pass
    mine, theirs = content(a), content(b)
    for table in mine:
        if table != "history":
            assert mine[table] == theirs[table], table  # same ids, same values: nothing for a merge to do
    with open_database(a, create=False) as db:
        result = merge_copy(db, b)
    assert sum(c.added + c.changed for name, c in result.tables.items() if name != "history") == 0
    assert len(read(a, "SELECT id FROM plan_town WHERE plan_id = ? AND town_id = ?", PLAN, MONASTIR)) == 1


def test_an_old_copy_with_duplicates_merges_into_a_current_file(tmp_path):
    current = old_file_with_duplicates(tmp_path / "current.db")
    with open_database(current, create=False) as db:
        with db.write() as s:
            set_computed_target(s, uuid.UUID(PLAN), "completion_rate", "80")
        old = old_file_with_duplicates(tmp_path / "old.db", replica=uuid.uuid4().hex)
        merge_copy(db, old)
        with db.read() as s:
            assert len(s.exec(select(History).where(History.op == "unify")).all()) == 10  # 5 on each copy
    assert read(current, "SELECT id, target FROM indicator WHERE key IS NOT NULL") == [(COMPLETION_ID, 80.0)]
    for table, (owner, other) in LINKS.items():
        rows = read(current, f"SELECT {owner}, {other} FROM {table}")
        assert len(rows) == len(set(rows)), table


def test_the_unique_indexes_refuse_a_second_row_of_a_key(migrated):
    path, _ = migrated
    conn = sqlite3.connect(path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            _row(conn, "plan_town", uuid.uuid4().hex, rev(1583059000000, 1), True, plan_id=PLAN, town_id=MONASTIR)
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            _row(conn, "indicator", uuid.uuid4().hex, rev(1583059000000, 2), False, plan_id=PLAN,
                 key="completion_rate", label="x", unit="%", computed=1, position=0)
        # Manual indicators have no key: as many as the plan likes.
        for n in range(2):
            _row(conn, "indicator", uuid.uuid4().hex, rev(1583059000000, 3 + n), False, plan_id=PLAN, key=None,
                 label="Même libellé", unit="", computed=0, position=5)
        conn.rollback()
    finally:
        conn.close()


def test_a_file_without_duplicates_records_nothing(tmp_path):
    path = tmp_path / "plan.db"
    shutil.copyfile(FIXTURES / "schema_0004.db", path)
    _at_0006(path)
    with open_database(path, create=False):
        pass
    assert read(path, "SELECT count(*) FROM history WHERE op = 'unify'") == [(0,)]
    assert read(path, "SELECT value FROM meta WHERE key = 'last_revision'") == [(LAST_BEFORE,)]
    assert read(path, "SELECT id FROM plan_town WHERE town_id = ?", MONASTIR) == \
        [(derived("plan_town", PLAN, MONASTIR),)]


def test_an_edit_made_after_unifying_merges_as_an_edit_not_a_conflict_with_the_unification(tmp_path):
    """Copy B is opened (unified) and its target changed; copy A is opened later (its unify
    entry is newer than B's edit) and its label changed.  The merge takes B's target and A's
    label: the unification is no edit of any field, so nothing conflicts with B's target."""
    from coopterm.domain.conflicts import list_conflicts
    from coopterm.models import Indicator

    a = old_file_with_duplicates(tmp_path / "a.db")
    b = old_file_with_duplicates(tmp_path / "b.db", replica=uuid.uuid4().hex)
    with open_database(b, create=False) as db, db.write() as s:
        set_computed_target(s, uuid.UUID(PLAN), "completion_rate", "80")
    with open_database(a, create=False) as db:
        with db.write() as s:
            s.get(Indicator, uuid.UUID(COMPLETION_ID)).label = "Taux de réalisation des fiches"
            before = {c.id for c in list_conflicts(s, include_resolved=True)}  # the fixture's own
        merge_copy(db, b)
        with db.read() as s:
            row = s.get(Indicator, uuid.UUID(COMPLETION_ID))
            assert (row.target, row.label) == (80, "Taux de réalisation des fiches")
            assert [c for c in list_conflicts(s, include_resolved=True) if c.id not in before] == []
