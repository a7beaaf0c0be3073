"""Opening, refusing, migrating and exporting database files."""

import datetime as dt
import hashlib
import os
import shutil
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from sqlmodel import select

from coopterm.errors import CooptermError, DatabaseRefused
from coopterm.models import Action, Challenge, Funding, Meeting, Plan
from coopterm.store import export_copy, open_database, resolve_database_path, schema
from coopterm.store.files import APPLICATION_ID

FIXTURES = Path(__file__).parents[1] / "fixtures"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def siblings(path: Path) -> set[str]:
    return {p.name for p in path.parent.iterdir()}


# --- a new file ---------------------------------------------------------------

def test_new_database_settings(db):
    with db.engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert raw.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert raw.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert raw.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
        assert raw.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert raw.execute("SELECT version_num FROM alembic_version").fetchone()[0] == schema.HEAD


def test_head_constant_matches_the_shipped_migrations():
    assert schema.head_revision() == schema.HEAD
    assert schema.known_revisions() == {"0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009", "0010"}


def test_each_database_has_its_own_replica_id(tmp_path):
    with open_database(tmp_path / "a.db") as a, open_database(tmp_path / "b.db") as b:
        assert a.replica_id != b.replica_id
    with open_database(tmp_path / "a.db") as again:
        assert again.replica_id == a.replica_id


def test_creating_in_a_missing_folder_is_refused(tmp_path):
    with pytest.raises(DatabaseRefused, match="folder does not exist"):
        open_database(tmp_path / "nowhere" / "plan.db")
    assert not (tmp_path / "nowhere").exists()


def test_create_false_refuses_a_missing_file(tmp_path):
    with pytest.raises(DatabaseRefused):
        open_database(tmp_path / "missing.db", create=False)
    assert not (tmp_path / "missing.db").exists()


def test_no_temporary_file_is_left_after_creating(tmp_path):
    open_database(tmp_path / "plan.db").close()
    assert {n for n in siblings(tmp_path / "plan.db") if not n.startswith("xdg")} <= {
        "plan.db", "plan.db-wal", "plan.db-shm"
    }


def test_path_resolution_order(tmp_path, monkeypatch):
    monkeypatch.setenv("COOPTERM_DB", str(tmp_path / "env.db"))
    assert resolve_database_path(str(tmp_path / "cli.db")) == (tmp_path / "cli.db", False)
    assert resolve_database_path(None) == (tmp_path / "env.db", False)
    monkeypatch.delenv("COOPTERM_DB")
    path, is_default = resolve_database_path(None)
    assert is_default and path.name == "coopterm.db" and str(tmp_path) in str(path)


# --- files that are not ours ------------------------------------------------------

def _foreign_sqlite(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes (body) VALUES ('courses')")
    conn.commit()
    conn.close()


def _truncated(path: Path) -> None:
    full = path.with_name("full.db")
    with open_database(full) as db, db.write() as s:
        s.add_all(Plan(title="x" * 2000, start_date=dt.date(2020, 1, 1), end_date=dt.date(2020, 2, 1))
                  for _ in range(50))
    sqlite3.connect(full).execute("PRAGMA wal_checkpoint(TRUNCATE)").close()
    data = full.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _newer(path: Path) -> None:
    with open_database(path):
        pass
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()


BAD_FILES = {
    "empty": (lambda p: p.write_bytes(b""), "empty file"),
    "text": (lambda p: p.write_text("titre;montant\nforum;1200\n", encoding="utf-8"), "not even an SQLite file"),
    "binary": (lambda p: p.write_bytes(os.urandom(4096)), "not even an SQLite file"),
    "short_header": (lambda p: p.write_bytes(b"SQLite format 3\x00" + b"\x10"), "incomplete"),
    "foreign_sqlite": (_foreign_sqlite, "another program"),
    "truncated": (_truncated, "incomplete"),
    "newer": (_newer, "newer version of coopterm"),
}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_bad_files_are_refused_and_left_byte_for_byte(tmp_path, kind):
    make, message = BAD_FILES[kind]
    path = tmp_path / f"{kind}.db"
    make(path)
    before = digest(path)
    files_before = siblings(path)
    with pytest.raises(DatabaseRefused, match=message):
        open_database(path)
    assert digest(path) == before
    assert siblings(path) == files_before  # no -wal, -shm or backup left behind


def test_a_directory_is_refused(tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    with pytest.raises(DatabaseRefused, match="is a folder"):
        open_database(folder)
    assert list(folder.iterdir()) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_an_unreadable_file_is_refused(tmp_path):
    path = tmp_path / "locked.db"
    open_database(path).close()
    path.chmod(0)
    with pytest.raises(DatabaseRefused, match="cannot be read"):
        open_database(path)


# --- migrations -----------------------------------------------------------------

def test_older_schema_is_migrated_after_a_backup_and_keeps_every_row(tmp_path):
    path = tmp_path / "old.db"
    shutil.copy(FIXTURES / "schema_0001.db", path)
    original = digest(path)
    with open_database(path) as db:
        assert db.migrated_from == "0001"
        assert db.backup_path is not None and db.backup_path.parent == tmp_path
        with db.read() as s:
            plan = s.exec(select(Plan)).one()
            assert (plan.title, plan.tech_group_every_weeks, plan.coordination_every_weeks) == ("Plan 2019-2021", 6, 8)
            action = s.exec(select(Action)).one()
            assert action.title.startswith("Mobiliser les syndicats patronaux")
            assert action.progress == 40
            assert s.exec(select(Challenge)).one().title == "ENGAGER DES ACTIONS EN MATIÈRE D'INSERTION PROFESSIONNELLE"
            assert s.exec(select(Meeting)).one().survey_very_satisfied == 12
            assert s.exec(select(Funding)).one().amount_cents == 3_123_000
        with db.engine.connect() as conn:
            raw = conn.connection.driver_connection
            assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
            assert raw.execute("SELECT version_num FROM alembic_version").fetchone()[0] == schema.HEAD
    backup = sqlite3.connect(db.backup_path)
    assert backup.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
    assert backup.execute("SELECT count(*) FROM action").fetchone()[0] == 1
    backup.close()
    # The backup holds exactly what the user had: same tables, same rows.
    assert original != digest(path)
    with open_database(path) as again:
        assert again.migrated_from is None  # up to date now: no second backup


def test_a_failed_migration_changes_nothing(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    shutil.copy(FIXTURES / "schema_0001.db", path)
    before = digest(path)

    def broken_upgrade(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(schema, "upgrade", broken_upgrade)
    with pytest.raises(DatabaseRefused, match="nothing was changed"):
        open_database(path)
    assert digest(path) == before


# --- export --------------------------------------------------------------------------

def test_export_writes_a_checked_standalone_copy(db, plan, tmp_path):
    target = tmp_path / "share" / "copy.db"
    target.parent.mkdir()
    result = export_copy(db, target)
    assert result.path == target and result.size == target.stat().st_size
    assert sorted(p.name for p in target.parent.iterdir()) == ["copy.db"]  # one file, no temp left
    conn = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT title FROM plan").fetchone()[0] == "Plan"
    replica = conn.execute("SELECT value FROM meta WHERE key = 'replica_id'").fetchone()[0]
    conn.close()
    assert replica != db.replica_id.hex  # the copy is a new replica for later merges
    with open_database(target) as copy:
        assert copy.replica_id.hex == replica


def test_export_refuses_to_overwrite_without_force(db, plan, tmp_path):
    target = tmp_path / "copy.db"
    target.write_text("precious")
    with pytest.raises(CooptermError, match="already exists"):
        export_copy(db, target)
    assert target.read_text() == "precious"
    export_copy(db, target, force=True)
    assert target.read_bytes().startswith(b"SQLite format 3")


@pytest.mark.parametrize("where", ["folder", "missing_folder", "itself"])
def test_export_refuses_bad_targets(db, plan, tmp_path, where):
    target = {"folder": tmp_path, "missing_folder": tmp_path / "no" / "x.db", "itself": db.path}[where]
    before = siblings(db.path)
    with pytest.raises(CooptermError):
        export_copy(db, target, force=True)
    assert siblings(db.path) == before


def test_export_is_consistent_while_another_connection_writes(db, plan, tmp_path):
    """A writer commits pairs of actions; every copy must hold whole pairs only."""
    with db.write() as s:
        challenge = Challenge(plan_id=plan.id, number=1, title="D")
        s.add(challenge)
    stop = threading.Event()
    committed = []

    def writer():
        n = 0
        while not stop.is_set():
            with db.write() as s:
                s.add(Action(challenge_id=challenge.id, number=n + 1, title="pair"))
                s.add(Action(challenge_id=challenge.id, number=n + 2, title="pair"))
            n += 2
            committed.append(n)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        counts = []
        for i in range(8):
            target = tmp_path / f"copy{i}.db"
            export_copy(db, target)
            conn = sqlite3.connect(target)
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            counts.append(conn.execute("SELECT count(*) FROM action").fetchone()[0])
            conn.close()
            time.sleep(0.01)
    finally:
        stop.set()
        thread.join()
    assert all(c % 2 == 0 for c in counts)
    assert counts == sorted(counts) and counts[-1] > 0
    assert committed[-1] >= counts[-1]


def test_change_watcher_sees_commits_of_other_connections(db, plan):
    watcher = db.watcher()
    try:
        assert not watcher.changed()
        other = sqlite3.connect(db.path)
        other.execute("UPDATE plan SET title = 'changed elsewhere'")
        other.commit()
        other.close()
        assert watcher.changed()
        assert not watcher.changed()
    finally:
        watcher.close()


def test_lazy_exports_list_what_they_export():
    """``__all__`` is written out for the checkers; it must name exactly what ``__getattr__`` serves."""
    import coopterm.exports
    import coopterm.store

    for package in (coopterm.store, coopterm.exports):
        assert sorted(package.__all__) == sorted(package._EXPORTS)
        for name in package.__all__:
            assert getattr(package, name) is not None


def test_closing_a_database_that_wrote_lets_sqlite_keep_its_statistics(demo_template, tmp_path):
    """PRAGMA optimize on close (https://www.sqlite.org/lang_analyze.html): the tables the
    session's queries used get statistics, so the planner needs no hints; a file opened
    read-only is never written, statistics included."""
    from coopterm.workspace import Workspace

    path = shutil.copyfile(demo_template, tmp_path / "demo.db")
    with sqlite3.connect(path) as raw:
        raw.execute("DROP TABLE IF EXISTS sqlite_stat1")
    raw.close()
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with open_database(path, read_only=True) as db:
        Workspace(db).plans.status(dt.date(2021, 6, 14))
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    with open_database(path) as db:
        Workspace(db).plans.status(dt.date(2021, 6, 14))
    raw = sqlite3.connect(path)
    try:
        analysed = {row[0] for row in raw.execute("SELECT tbl FROM sqlite_stat1")}
    finally:
        raw.close()
    assert {"action", "meeting"} <= analysed
