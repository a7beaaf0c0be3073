"""Hostile files (issue 11): forged headers, symlink loops, stray and stale -wal files,
restore, file modes, leftovers of killed runs, full disks.

Every refusal is one ``coopterm:`` sentence on stderr with exit status 1, no
traceback, and the files involved byte for byte as they were.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from coopterm.errors import CooptermError, DatabaseRefused
from coopterm.store.files import APPLICATION_ID
from tests.reliability.test_reliability_bad_files import _good, _limited, assert_refused, state

FIXTURES = Path(__file__).parents[1] / "fixtures"


def run(*argv: str, limit: int | None = None, env: dict | None = None,
        lang: str = "C.UTF-8") -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("COOPTERM_DB", "LC_ALL", "LC_MESSAGES")}
    environment["LANG"] = lang
    environment.update(env or {})
    return subprocess.run([sys.executable, "-m", "coopterm", *argv], capture_output=True, text=True,
                          timeout=60, env=environment, preexec_fn=_limited(limit) if limit else None)


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def refused(result: subprocess.CompletedProcess) -> str:
    assert_refused(result.returncode, result.stderr)
    assert "Exception ignored" not in result.stderr
    return result.stderr


def _saved_wal(path: Path) -> bytes:
    """The bytes of a -wal holding a committed change of ``path``, as a crash leaves it."""
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA wal_autocheckpoint = 0")
    holder.execute("UPDATE plan SET vision = 'Des villes qui coopèrent'")
    data = Path(f"{path}-wal").read_bytes()
    holder.close()  # checkpoints the change into the file and removes the -wal
    assert not Path(f"{path}-wal").exists() and len(data) > 32
    return data


# --- 1. forged headers ------------------------------------------------------------------------------


def _forge(path: Path, kind: str) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    if kind == "no_tables":
        conn.execute("PRAGMA user_version = 1")  # the header is written, no table
    elif kind == "head_only":
        conn.execute("CREATE TABLE alembic_version (version_num TEXT)")
        conn.execute("INSERT INTO alembic_version VALUES ('0004')")
    elif kind == "foreign_meta":
        conn.execute("CREATE TABLE alembic_version (version_num TEXT)")
        conn.execute("INSERT INTO alembic_version VALUES ('0004')")
        conn.execute("CREATE TABLE meta (a, b)")
        conn.execute("INSERT INTO meta VALUES ('replica_id', 'x')")
    elif kind == "bogus_alembic":
        conn.execute("CREATE TABLE alembic_version (x INTEGER, y INTEGER)")
        conn.execute("INSERT INTO alembic_version VALUES (4, 5)")
    elif kind == "bogus_replica":
        conn.close()
        path.unlink()
        _good(path)
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("UPDATE meta SET value = 'not a uuid' WHERE key = 'replica_id'")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


@pytest.mark.parametrize("kind", ["no_tables", "head_only", "foreign_meta", "bogus_alembic", "bogus_replica"])
def test_a_forged_coopterm_header_is_refused_by_every_read_command(tmp_path, kind):
    path = tmp_path / "plan.db"
    _forge(path, kind)
    before = state(path)
    for argv in (("status",), ("export", str(tmp_path / "copie.db")), ("report",), ("history",)):
        refused(run(*argv, "--db", str(path)))
    assert state(path) == before
    assert names(tmp_path) == ["plan.db"]


# --- 2. symlink loops ------------------------------------------------------------------------------


def test_a_symlink_loop_is_refused_everywhere(tmp_path):
    good = _good(tmp_path / "plan.db")
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    before = state(good)
    err = refused(run("import", str(tmp_path / "a"), "--db", str(good)))
    assert "symbolic links" in err
    refused(run("status", "--db", str(tmp_path / "a")))
    refused(run("export", str(tmp_path / "a"), "--db", str(good)))
    refused(run("report", "-o", str(tmp_path / "a"), "--db", str(good)))
    assert state(good) == before


# --- 3. a failed upgrade leaves no backup -------------------------------------------------------------


def test_a_failed_upgrade_leaves_the_file_and_no_backup(tmp_path):
    path = tmp_path / "old.db"
    shutil.copyfile(FIXTURES / "schema_0001.db", path)
    conn = sqlite3.connect(path)  # a broken link: the upgrade's check refuses it
    conn.execute("UPDATE action SET challenge_id = 'nowhere' WHERE rowid = (SELECT min(rowid) FROM action)")
    conn.commit()
    conn.close()
    before = state(path)
    err = refused(run("status", "--db", str(path)))
    assert "backup" not in err.lower()
    assert state(path) == before
    assert names(tmp_path) == ["old.db"]


def test_a_migration_error_is_one_short_sentence(tmp_path, monkeypatch):
    from coopterm.store import open_database, schema

    path = tmp_path / "old.db"
    shutil.copyfile(FIXTURES / "schema_0001.db", path)

    def failing(p, **kw):
        raise sqlite3.OperationalError("near line 1\n[SQL: " + "x" * 5000 + "]\n(Background ...)")

    monkeypatch.setattr(schema, "upgrade", failing)
    with pytest.raises(DatabaseRefused) as error:
        open_database(path)
    message = str(error.value)
    assert "\n" not in message and len(message) < 400 and "backup" not in message.lower()
    assert names(tmp_path) == ["old.db"]


# --- 4. a lone -wal ------------------------------------------------------------------------------------


def test_a_lone_wal_is_refused_and_nothing_is_created(tmp_path):
    from coopterm.demo import create_demo_database
    from coopterm.store import open_database

    good = _good(tmp_path / "src.db")
    wal = _saved_wal(good)
    folder = tmp_path / "data"
    folder.mkdir()
    Path(f"{folder / 'plan.db'}-wal").write_bytes(wal)
    with pytest.raises(DatabaseRefused) as error:
        open_database(folder / "plan.db")
    assert "-wal" in str(error.value)
    with pytest.raises(DatabaseRefused):
        create_demo_database(folder / "plan.db")
    assert names(folder) == ["plan.db-wal"]


# --- 5. read-only commands, stale -wal -----------------------------------------------------------------


def test_read_commands_leave_the_file_and_its_wal_as_they_are(tmp_path):
    """A -wal left by a crash (it belongs to the file): read, never replayed into it nor removed."""
    path = _good(tmp_path / "plan.db")
    wal = _saved_wal(path)
    Path(f"{path}-wal").write_bytes(wal)
    before = state(path)
    for argv in (("status", "--json"), ("history",), ("report",), ("export", str(tmp_path / "copie.db"))):
        result = run(*argv, "--db", str(path))
        assert result.returncode == 0, result.stderr
        assert state(path)[str(path)] == before[str(path)], argv
        assert state(path)[f"{path}-wal"] == before[f"{path}-wal"], argv
    assert "Des villes qui coopèrent" in run("report", "--db", str(path)).stdout


def test_read_commands_on_a_wal_mode_file_make_no_file_beside_it(tmp_path):
    path = _good(tmp_path / "plan.db")
    before = state(path)
    for argv in (("status",), ("history",), ("report",)):
        assert run(*argv, "--db", str(path)).returncode == 0
    assert state(path) == before
    assert names(tmp_path) == ["plan.db"]


def test_a_stale_wal_beside_a_restored_backup_is_refused(tmp_path):
    """A backup copied by hand over plan.db, the old plan.db-wal still beside it."""
    from coopterm.store import export_copy, open_database

    path = _good(tmp_path / "plan.db")
    with open_database(path) as db:
        export_copy(db, tmp_path / "backup.db")
    wal = _saved_wal(path)
    shutil.copyfile(tmp_path / "backup.db", path)
    Path(f"{path}-wal").write_bytes(wal)
    before = state(path)
    for argv in (("status",), ("history",), ("report",), ("export", str(tmp_path / "copie.db"))):
        err = refused(run(*argv, "--db", str(path)))
        assert "coopterm restore" in err and "left as it" not in err
        assert state(path) == before
    copy = tmp_path / "copy" / "laptop.db"
    copy.parent.mkdir()
    shutil.copyfile(tmp_path / "backup.db", copy)
    Path(f"{copy}-wal").write_bytes(wal)
    other = _good(tmp_path / "other.db")
    refused(run("import", str(copy), "--db", str(other)))
    with pytest.raises(DatabaseRefused):
        open_database(path)  # the app refuses it too
    assert state(path)[str(path)] == before[str(path)]
    assert state(path)[f"{path}-wal"] == before[f"{path}-wal"]


def test_a_wal_of_another_page_size_is_refused(tmp_path):
    from coopterm.store import open_database

    path = _good(tmp_path / "plan.db")
    wal = bytearray(_saved_wal(path))
    wal[8:12] = (1024).to_bytes(4, "big")  # a WAL of pages of another size
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    assert page_size != 1024
    _fix_wal_header_checksum(wal)
    Path(f"{path}-wal").write_bytes(bytes(wal))
    before = state(path)
    with pytest.raises(DatabaseRefused) as error:
        open_database(path)
    assert "coopterm restore" in str(error.value)
    assert state(path) == before


def _fix_wal_header_checksum(wal: bytearray) -> None:
    order = "big" if int.from_bytes(wal[0:4], "big") & 1 else "little"
    s0 = s1 = 0
    for i in range(0, 24, 8):
        s0 = (s0 + int.from_bytes(wal[i:i + 4], order) + s1) & 0xFFFFFFFF
        s1 = (s1 + int.from_bytes(wal[i + 4:i + 8], order) + s0) & 0xFFFFFFFF
    wal[24:28] = s0.to_bytes(4, "big")
    wal[28:32] = s1.to_bytes(4, "big")


# --- 6. restore ---------------------------------------------------------------------------------------------


def _replica(path: Path) -> str:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        return conn.execute("SELECT value FROM meta WHERE key = 'replica_id'").fetchone()[0]
    finally:
        conn.close()


def _vision(path: Path) -> str | None:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT vision FROM plan").fetchone()[0]
    finally:
        conn.close()


def test_restore_puts_a_backup_back_and_keeps_the_current_file_aside(tmp_path):
    from coopterm.store import export_copy, open_database

    path = _good(tmp_path / "plan.db")
    with open_database(path) as db:
        export_copy(db, tmp_path / "backup.db")
    wal = _saved_wal(path)  # the current file has a change the backup has not, in its -wal
    Path(f"{path}-wal").write_bytes(wal)
    backup_before = state(tmp_path / "backup.db")[str(tmp_path / "backup.db")]
    result = run("restore", str(tmp_path / "backup.db"), "--db", str(path))
    assert result.returncode == 0, result.stderr
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("plan.db.backup-restore-") and "-wal" not in p.name
            and not p.name.endswith("-shm")]
    assert len(kept) == 1
    assert kept[0].name in result.stdout and len(result.stdout.strip().splitlines()) == 1
    assert not Path(f"{path}-wal").exists() and not Path(f"{path}-shm").exists()
    assert _vision(path) != "Des villes qui coopèrent"  # the backup's content
    assert _vision(kept[0]) == "Des villes qui coopèrent"  # the current file, with its -wal, kept whole
    assert state(tmp_path / "backup.db")[str(tmp_path / "backup.db")] == backup_before
    assert _replica(path) != _replica(tmp_path / "backup.db")
    with open_database(path) as db:
        db.verify()
    assert run("status", "--db", str(path)).returncode == 0


@pytest.mark.parametrize("kind", ["missing", "text", "corrupt_page", "newer", "same", "foreign_sqlite"])
def test_restore_refusals_change_nothing(tmp_path, monkeypatch, kind):
    from tests.reliability.test_reliability_bad_files import make_bad

    path = _good(tmp_path / "plan.db")
    backup = tmp_path / "backup.db"
    if kind == "same":
        backup = path
    elif kind != "missing":
        make_bad(kind, backup, monkeypatch)
    before = state(path, backup)
    listing = names(tmp_path)
    refused(run("restore", str(backup), "--db", str(path)))
    assert state(path, backup) == before
    assert names(tmp_path) == listing


def test_restore_of_an_older_schema_backup_brings_it_up_to_date(tmp_path):
    from coopterm.store import open_database, schema

    path = _good(tmp_path / "plan.db")
    backup = tmp_path / "old-backup.db"
    shutil.copyfile(FIXTURES / "schema_0001.db", backup)
    before = state(backup)[str(backup)]
    result = run("restore", str(backup), "--db", str(path))
    assert result.returncode == 0, result.stderr
    assert state(backup)[str(backup)] == before
    with open_database(path) as db:
        assert db.migrated_from is None  # already current: brought up to date before it was installed
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == schema.HEAD
    conn.close()


def test_restore_into_a_missing_database(tmp_path):
    path = _good(tmp_path / "backup.db")
    target = tmp_path / "new" / "plan.db"
    target.parent.mkdir()
    result = run("restore", str(path), "--db", str(target))
    assert result.returncode == 0, result.stderr
    assert names(target.parent) == ["plan.db"]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_restore_has_help(lang):
    result = run("--lang", lang, "restore", "--help")
    assert result.returncode == 0
    assert ("backup" if lang == "en" else "sauvegarde") in result.stdout.lower()


# --- 7. report --force ----------------------------------------------------------------------------------------


def test_report_refuses_to_replace_a_file_without_force(tmp_path):
    path = _good(tmp_path / "plan.db")
    out = tmp_path / "report.md"
    out.write_text("last week's report")
    err = refused(run("report", "-o", str(out), "--db", str(path)))
    assert "--force" in err
    assert out.read_text() == "last week's report"
    result = run("report", "-o", str(out), "--db", str(path), "--force")
    assert result.returncode == 0, result.stderr
    assert out.read_text() != "last week's report"


def test_write_report_as_the_app_calls_it(tmp_path):
    from coopterm.report import write_report
    from coopterm.store import open_database

    path = _good(tmp_path / "plan.db")
    out = tmp_path / "report.html"
    out.write_text("old")
    with open_database(path) as db:
        with pytest.raises(CooptermError):
            write_report(db, None, "en", dt.date(2021, 6, 14), out)
        assert out.read_text() == "old"
        assert write_report(db, None, "en", dt.date(2021, 6, 14), out, force=True) == out
    assert out.read_text() != "old"


# --- 8. file modes -----------------------------------------------------------------------------------------


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_files_made_from_a_private_database_stay_private(tmp_path, umask_022):
    from coopterm.exports import export_tables
    from coopterm.report import write_report
    from coopterm.store import export_copy, open_database
    from coopterm.store.merge import merge_copy
    from coopterm.store.restore import restore_backup

    path = _good(tmp_path / "plan.db")
    path.chmod(0o600)
    out = tmp_path / "out"
    out.mkdir()
    made = []
    with open_database(path) as db:
        made.append(export_copy(db, out / "copie.db").path)
        for fmt in ("csv", "json", "xlsx"):
            made.append(export_tables(db, out / f"tables.{fmt if fmt != 'csv' else 'zip'}", fmt).path)
        made.append(write_report(db, None, "en", dt.date(2021, 6, 14), out / "r.html"))
        (out / "old.md").write_text("x")
        (out / "old.md").chmod(0o644)
        made.append(write_report(db, None, "en", dt.date(2021, 6, 14), out / "old.md", force=True))
        conn = sqlite3.connect(out / "copie.db")
        conn.execute("UPDATE plan SET vision = 'changée', revision = revision || 'x'")
        conn.commit()
        conn.close()
        result = merge_copy(db, out / "copie.db")
        assert result.backup is not None
        made.append(result.backup)
    old = tmp_path / "old.db"
    shutil.copyfile(FIXTURES / "schema_0001.db", old)
    old.chmod(0o600)
    with open_database(old) as db:
        made.append(db.backup_path)
    kept = restore_backup(out / "copie.db", path)
    made += [kept, path]
    for file in made:
        assert _mode(file) & 0o077 == 0, (file, oct(_mode(file)))


def test_the_default_data_folder_is_private(tmp_path, umask_022):
    from coopterm.store import open_database
    from coopterm.store.paths import default_database_path

    path = default_database_path()
    assert not path.parent.exists()
    open_database(path, make_parent=True).close()
    assert _mode(path.parent) == 0o700


# --- 9. faults ---------------------------------------------------------------------------------------------------


_KILL_DURING_BACKUP = textwrap.dedent("""
    import os, signal, sqlite3, sys
    real = sqlite3.connect

    class Killing(sqlite3.Connection):
        def execute(self, sql, *args):
            into = str(args[0][0]) if args and args[0] else ""
            if sql.lstrip().upper().startswith("VACUUM INTO") and not into.startswith(os.environ["TMPDIR"]):
                calls = [0]
                def tick():
                    calls[0] += 1
                    if calls[0] > 20:
                        os.kill(os.getpid(), signal.SIGKILL)
                    return 0
                self.set_progress_handler(tick, 50)
            return super().execute(sql, *args)

    sqlite3.connect = lambda *a, **k: real(*a, factory=Killing, **k)
    from coopterm.cli import main
    sys.exit(main(sys.argv[1:]))
""")


def test_a_merge_killed_while_backing_up_leaves_no_backup_name_and_the_next_run_cleans_up(tmp_path):
    from coopterm.store import export_copy, open_database

    path = _good(tmp_path / "plan.db", padding=3000)
    copy = tmp_path / "copies" / "laptop.db"
    copy.parent.mkdir()
    with open_database(path) as db:
        export_copy(db, copy)
    conn = sqlite3.connect(copy)
    conn.execute("UPDATE plan SET vision = 'sur le portable', revision = revision || 'x'")
    conn.commit()
    conn.close()
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "COOPTERM_DB"}
    env["TMPDIR"] = str(tmp)
    killed = subprocess.run([sys.executable, "-c", _KILL_DURING_BACKUP, "import", str(copy), "--db", str(path)],
                            capture_output=True, text=True, timeout=60, env=env)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("plan.db.backup-merge-")]  # no half backup
    result = run("import", str(copy), "--db", str(path), env={"TMPDIR": str(tmp)})
    assert result.returncode == 0, result.stderr
    assert names(tmp) == []
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    backups = [p for p in tmp_path.iterdir() if p.name.startswith("plan.db.backup-merge-")]
    assert len(backups) == 1
    check = sqlite3.connect(backups[0])
    assert check.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    assert check.execute("SELECT count(*) FROM action").fetchone()[0] == 30
    check.close()


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_leftovers_of_killed_runs_are_removed_and_those_of_live_ones_kept(tmp_path):
    path = _good(tmp_path / "plan.db")
    out = tmp_path / "out"
    out.mkdir()
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    dead, live = _dead_pid(), os.getpid()
    for pid in (dead, live):
        (out / f".copie.db.coopterm-{pid}-0a1b2c3d.part").write_bytes(b"half")
        (tmp / f"coopterm-merge-{pid}-0a1b2c3d").mkdir()
        (tmp / f"coopterm-merge-{pid}-0a1b2c3d" / "copy.db").write_bytes(b"half")
        (tmp_path / f".plan.db.coopterm-{pid}-0a1b2c3d.part").write_bytes(b"half backup")
    (out / "notes.part").write_text("somebody else's")
    result = run("export", str(out / "copie.db"), "--db", str(path), env={"TMPDIR": str(tmp)})
    assert result.returncode == 0, result.stderr
    assert names(out) == sorted(["copie.db", f".copie.db.coopterm-{live}-0a1b2c3d.part", "notes.part"])
    copy = tmp_path / "other.db"
    _good(copy)
    result = run("import", str(copy), "--db", str(path), env={"TMPDIR": str(tmp)})
    assert result.returncode == 0, result.stderr
    assert names(tmp) == [f"coopterm-merge-{live}-0a1b2c3d"]
    assert not (tmp_path / f".plan.db.coopterm-{dead}-0a1b2c3d.part").exists()
    assert (tmp_path / f".plan.db.coopterm-{live}-0a1b2c3d.part").exists()


def test_a_full_disk_is_not_called_damage(tmp_path):
    """The file-size limit stops every write, as a full disk does: a healthy file is read,
    and what cannot be written is named for what it is."""
    path = _good(tmp_path / "plan.db")
    result = run("status", "--db", str(path), limit=1000)
    assert result.returncode == 0, result.stderr  # a read needs no write
    opener = ("import sys; from coopterm.store import open_database\n"
              "try:\n    open_database(sys.argv[1]).close()\n"
              "except Exception as exc:\n    print(exc, file=sys.stderr); sys.exit(1)\n")
    child = subprocess.run([sys.executable, "-c", opener, str(path)], capture_output=True, text=True,
                           timeout=60, preexec_fn=_limited(1000))
    assert "damaged" not in child.stderr and "Traceback" not in child.stderr, child.stderr


def test_an_io_error_on_a_nearly_full_disk_is_said_to_be_a_full_disk(tmp_path, monkeypatch):
    from coopterm.store import database

    error = sqlite3.OperationalError("disk I/O error")
    error.sqlite_errorcode = sqlite3.SQLITE_IOERR  # type: ignore[attr-defined]
    usage = shutil.disk_usage(tmp_path)
    monkeypatch.setattr(shutil, "disk_usage", lambda p: usage._replace(free=0))
    plain = database.plain_words(error, tmp_path / "plan.db")
    assert plain is not None and plain.key == "db.disk_full"
    assert not database.is_damage(error)


_FULL_DISK_FOR_ZIPS = textwrap.dedent("""
    import errno, io, os, sys

    class Full(io.FileIO):
        def write(self, data):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    real_open = io.open

    def full_open(file, mode="r", *args, **kwargs):
        if isinstance(file, (str, os.PathLike)) and str(file).endswith(".part") and "w" in mode:
            return io.BufferedRandom(Full(file, mode.replace("b", "")))
        return real_open(file, mode, *args, **kwargs)

    io.open = full_open  # what zipfile (and so openpyxl) opens its file with
    from coopterm.cli import main
    sys.exit(main(sys.argv[1:]))
""")


def test_xlsx_export_onto_a_full_disk_has_no_traceback(tmp_path):
    """The disk is full when openpyxl writes the workbook: one sentence, and no
    "Exception ignored" traceback when Python later closes the zip it left open."""
    pytest.importorskip("openpyxl")
    path = _good(tmp_path / "plan.db", padding=3000)
    env = {k: v for k, v in os.environ.items() if k != "COOPTERM_DB"}
    result = subprocess.run([sys.executable, "-c", _FULL_DISK_FOR_ZIPS, "export", str(tmp_path / "t.xlsx"),
                             "--db", str(path)], capture_output=True, text=True, timeout=60, env=env)
    err = refused(result)
    assert "Traceback" not in err and os.strerror(28) in err
    assert names(tmp_path) == ["plan.db"]


# --- history prints no control byte ------------------------------------------------------------------------


def test_history_prints_no_control_bytes(tmp_path):
    from sqlmodel import select

    from coopterm.models import Action
    from coopterm.store import open_database

    path = _good(tmp_path / "plan.db")
    with open_database(path) as db, db.write() as session:  # as a merged copy brings it, past the forms
        action = session.exec(select(Action)).first()
        action.title = "Titre \x1b]0;pwned\x07 \x1b[31mrouge"
    result = run("history", "--db", str(path))
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "pwned" in result.stdout


def test_a_console_that_cannot_encode_the_text_gets_question_marks_not_a_traceback(tmp_path):
    """``Plan ␛…`` (or any accent) on a console limited to ASCII."""
    import os
    import subprocess
    import sys

    from tests.hostile import CORPUS, write_hostile_plan

    path = write_hostile_plan(tmp_path / "h.db", CORPUS["osc_title"] + " été")
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "NO_COLOR": "1"}
    for command in (["status"], ["history"], ["report"]):
        done = subprocess.run([sys.executable, "-m", "coopterm", *command, "--db", str(path)],
                              capture_output=True, env=env)
        assert done.returncode == 0, done.stderr
        assert b"Traceback" not in done.stderr
        assert b"0;pwned?fin" in done.stdout  # the escape and the bell shown, as ? here
        assert b"\x1b" not in done.stdout
