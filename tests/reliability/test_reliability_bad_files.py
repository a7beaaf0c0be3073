"""Bad files given to open, export and import: a clear refusal, exit status 1, nothing changed.

Each kind of bad file (empty, text, truncated SQLite, a page overwritten with
random bytes, another program's SQLite, a newer schema, a folder, an unreadable
file) is given to ``open_database`` and to the command line as the database of
``status`` and ``export`` and as the copy of ``import``.  Export is also sent to
a read-only folder, to a folder, and onto a full disk (simulated in-process by
``os.fsync`` failing with ENOSPC, and for real in a subprocess whose file size
limit stops SQLite's own writes).  Every time: one sentence on stderr, no
traceback, status 1, and the database, its ``-wal``, the copy and any existing
export target byte for byte as they were, with no stray file left next to them.

The command line runs in-process (``coopterm.cli.main``) for the whole matrix,
which is quick, and as a real subprocess for a few cases, which proves the
process's own exit status and stderr.
"""

from __future__ import annotations

import errno
import hashlib
import os
import random
import resource
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from coopterm.cli import main
from coopterm.errors import DatabaseRefused

COOPTERM = Path(sys.executable).with_name("coopterm")
ROOT = os.geteuid() == 0
KINDS = ["empty", "text", "truncated", "corrupt_page", "corrupt_meta", "foreign_sqlite", "newer",
         "directory", "unreadable", "unreadable_simulated"]


# --- making bad files ---------------------------------------------------------------------


def _good(path: Path, padding: int = 0) -> Path:
    """A coopterm file with a plan, a défi and a few actions (``padding`` long notes make it bigger)."""
    import datetime as dt

    from coopterm.domain.actions import create_action
    from coopterm.domain.plans import set_current_plan
    from coopterm.models import Challenge, Plan
    from coopterm.store import open_database

    with open_database(path) as db:
        with db.write() as session:
            plan = Plan(title="Plan 2019–2021", start_date=dt.date(2019, 1, 1), end_date=dt.date(2021, 12, 31))
            session.add(plan)
            session.flush()
            set_current_plan(session, plan.id)
            challenge = Challenge(plan_id=plan.id, number=1, title="Défi")
            session.add(challenge)
        with db.write() as session:
            for i in range(30):
                create_action(session, {"challenge_id": challenge.id, "title": f"Fiche-action {i} à Sierre",
                                        "notes": "é" * padding})
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path


def _corrupt_page(path: Path, table: str = "action") -> None:
    """The root page of ``table`` overwritten with random bytes (the action table: the
    actions are lost; meta: the page ``open_database`` itself reads)."""
    _good(path)
    conn = sqlite3.connect(path)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with open(path, "r+b") as fh:
        fh.seek((root - 1) * size)
        fh.write(random.Random(6).randbytes(size))


def _truncated(path: Path) -> None:
    _good(path.with_name("whole.db"), padding=2000)
    data = path.with_name("whole.db").read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _foreign(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE courses (id INTEGER PRIMARY KEY, article TEXT)")
    conn.execute("INSERT INTO courses (article) VALUES ('pain de seigle')")
    conn.commit()
    conn.close()


def _newer(path: Path) -> None:
    _good(path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def make_bad(kind: str, path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if kind == "unreadable" and ROOT:
        pytest.skip("root reads every file")
    makers = {
        "empty": lambda p: p.write_bytes(b""),
        "text": lambda p: p.write_text("titre;pilote\nForum à Monastir;Leïla\n", encoding="utf-8"),
        "truncated": _truncated,
        "corrupt_page": _corrupt_page,
        "corrupt_meta": lambda p: _corrupt_page(p, "meta"),
        "foreign_sqlite": _foreign,
        "newer": _newer,
        "directory": lambda p: (p.mkdir(), (p / "notes.txt").write_text("rien")),
        "unreadable": lambda p: (_good(p), p.chmod(0)),
        "unreadable_simulated": _good,
    }
    makers[kind](path)
    if kind == "unreadable_simulated":
        # As root nothing is unreadable: the header read is refused as the system would.
        import coopterm.store.files as files

        def refusing_open(name, *args, **kwargs):
            if Path(name) == path:
                raise PermissionError(errno.EACCES, "Permission denied", str(name))
            return open(name, *args, **kwargs)

        monkeypatch.setattr(files, "open", refusing_open, raising=False)


# --- proving nothing changed -------------------------------------------------------------------


def _digest(path: Path) -> str | None:
    if path.is_dir():
        return "dir:" + ",".join(sorted(p.name for p in path.iterdir()))
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None
    except PermissionError:
        return f"unreadable:{path.stat().st_size}:{path.stat().st_mtime_ns}"


def state(*paths: Path) -> dict[str, object]:
    """Bytes of each file and its -wal, and the names in their folders."""
    out: dict[str, object] = {}
    for path in paths:
        out[str(path)] = _digest(path)
        out[f"{path}-wal"] = _digest(Path(f"{path}-wal"))
        out[f"{path.parent}/"] = sorted(p.name for p in path.parent.iterdir() if not p.name.endswith("-shm"))
    return out


def run_cli(capsys: pytest.CaptureFixture, *argv: str) -> tuple[int, str]:
    code = main(list(argv))  # an exception escaping here is the traceback a user would see
    err = capsys.readouterr().err
    return code, err


def assert_refused(code: int, err: str) -> None:
    assert code == 1, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err  # one sentence
    assert lines[0].startswith("coopterm: ") and "Traceback" not in err, err


# --- open -----------------------------------------------------------------------------------------




@pytest.mark.parametrize("kind", KINDS)
def test_open_database_refuses_a_bad_file_and_leaves_it(tmp_path, monkeypatch, kind):
    from coopterm.store import open_database

    path = tmp_path / "plan.db"
    make_bad(kind, path, monkeypatch)
    before = state(path)
    try:
        with pytest.raises(DatabaseRefused) as refused:
            open_database(path, create=False).close()
    finally:
        after = state(path)
    assert str(refused.value) and "\n" not in str(refused.value)
    assert after == before


@pytest.mark.parametrize("kind", KINDS)
def test_status_refuses_a_bad_file(tmp_path, monkeypatch, capsys, kind):
    path = tmp_path / "plan.db"
    if kind == "corrupt_page":
        # status reads only the pages its figures come from, with no whole-file check
        # first (issue 15); its counts of actions come from an index, so the damaged page
        # is one it reads: the plan's
        _corrupt_page(path, "plan")
    else:
        make_bad(kind, path, monkeypatch)
    before = state(path)
    try:
        code, err = run_cli(capsys, "status", "--db", str(path))
    finally:
        after = state(path)
    assert_refused(code, err)
    assert after == before


# --- export ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_export_of_a_bad_file_is_refused_and_the_old_export_kept(tmp_path, monkeypatch, capsys, kind):
    path = tmp_path / "plan.db"
    make_bad(kind, path, monkeypatch)
    share = tmp_path / "share"
    share.mkdir()
    target = share / "copie.db"
    target.write_bytes(b"the export of last week")
    before = state(path, target)
    code, err = run_cli(capsys, "export", str(target), "--db", str(path), "--force")
    assert_refused(code, err)
    assert state(path, target) == before


@pytest.fixture
def good(tmp_path):
    """A good database with an open reader holding committed changes in its -wal,
    so the test also proves the -wal is left as it was."""
    path = _good(tmp_path / "plan.db", padding=200)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA wal_autocheckpoint = 0")
    holder.execute("UPDATE plan SET vision = 'Des villes qui coopèrent'")
    assert Path(f"{path}-wal").stat().st_size > 0
    yield path
    holder.close()


def _simulate_read_only(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Creating a file in ``folder`` is refused as the system refuses it in a read-only folder."""
    real_open = os.open

    def refusing(name, flags, *args, **kwargs):
        if Path(name).parent == folder and flags & os.O_CREAT:
            raise PermissionError(errno.EACCES, "Permission denied", str(name))
        return real_open(name, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing)


@pytest.mark.parametrize("fmt", ["sqlite", "csv"])
@pytest.mark.parametrize("how", ["chmod", "simulated"])
def test_export_to_a_read_only_folder(good, tmp_path, monkeypatch, capsys, how, fmt):
    folder = tmp_path / "cle-usb"
    folder.mkdir()
    old = folder / f"plan.{'db' if fmt == 'sqlite' else 'csv'}"
    old.write_bytes(b"ancienne copie")
    if how == "chmod":
        if ROOT:
            pytest.skip("root writes in any folder")
        folder.chmod(0o555)
    else:
        _simulate_read_only(monkeypatch, folder)
    before = state(good, old)
    try:
        code, err = run_cli(capsys, "export", str(old), "--db", str(good), "--force", "--format", fmt)
    finally:
        folder.chmod(0o755)
    assert_refused(code, err)
    assert state(good, old) == before


def test_export_onto_a_folder(good, tmp_path, capsys):
    folder = tmp_path / "exports"
    folder.mkdir()
    before = state(good, folder)
    code, err = run_cli(capsys, "export", str(folder), "--db", str(good), "--force")
    assert_refused(code, err)
    assert state(good, folder) == before


@pytest.mark.parametrize("fmt", ["sqlite", "json", "xlsx"])
def test_export_on_a_full_disk_simulated(good, tmp_path, monkeypatch, capsys, fmt):
    """The disk fills up as the copy is flushed: the old export stays, no temporary file is left."""
    target = tmp_path / "share" / f"copie.{'db' if fmt == 'sqlite' else fmt}"
    target.parent.mkdir()
    target.write_bytes(b"the export of last week")
    before = state(good, target)

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    code, err = run_cli(capsys, "export", str(target), "--db", str(good), "--force", "--format", fmt)
    assert_refused(code, err)
    assert "space" in err
    assert state(good, target) == before


def _limited(limit: int):
    def apply() -> None:  # in the child: files cannot grow past ``limit`` bytes, as on a full disk
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def run_process(*argv: str, limit: int | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "COOPTERM_DB"}
    return subprocess.run([str(COOPTERM), *argv], capture_output=True, text=True, timeout=60, env=env,
                          preexec_fn=_limited(limit) if limit else None)


def test_export_on_a_full_disk_for_real(tmp_path, capsys):
    """SQLite's own writes fail (the copy cannot grow): a sentence, status 1, old export kept."""
    path = _good(tmp_path / "plan.db", padding=4000)
    assert path.stat().st_size > 200_000
    target = tmp_path / "copie.db"
    target.write_bytes(b"the export of last week")
    before = state(path, target)
    result = run_process("export", str(target), "--db", str(path), "--force", limit=100_000)
    assert_refused(result.returncode, result.stderr)
    assert state(path, target) == before


# --- import ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_import_of_a_bad_copy_is_refused_and_changes_nothing(good, tmp_path, monkeypatch, capsys, kind):
    copy = tmp_path / "copies" / "laptop.db"
    copy.parent.mkdir()
    make_bad(kind, copy, monkeypatch)
    before = state(good, copy)
    code, err = run_cli(capsys, "import", str(copy), "--db", str(good))
    assert_refused(code, err)
    assert state(good, copy) == before


def test_import_leaves_no_file_beside_a_wal_mode_copy(good, tmp_path, capsys):
    """A pilot's own database (WAL mode, not an export) is imported: nothing appears beside it."""
    (tmp_path / "copies").mkdir()
    copy = _good(tmp_path / "copies" / "laptop.db")
    assert not Path(f"{copy}-wal").exists()
    code, err = run_cli(capsys, "import", str(copy), "--db", str(good))
    assert code == 0, err
    assert sorted(p.name for p in copy.parent.iterdir()) == ["laptop.db"]


def test_import_on_a_full_disk_for_real(tmp_path):
    """The backup written before a merge cannot be written: refused before anything changed."""
    from coopterm.store import export_copy, open_database

    path = _good(tmp_path / "plan.db", padding=4000)
    copy = tmp_path / "laptop.db"
    with open_database(path) as db:
        export_copy(db, copy)
    conn = sqlite3.connect(copy)
    conn.execute("UPDATE action SET title = 'Changé sur le portable', revision = revision || 'x'")
    conn.commit()
    conn.close()
    before = state(path, copy)
    result = run_process("import", str(copy), "--db", str(path), limit=100_000)
    assert_refused(result.returncode, result.stderr)
    assert state(path, copy) == before


# --- the real process, for a few kinds ---------------------------------------------------------------


@pytest.mark.parametrize("kind", ["text", "foreign_sqlite", "newer"])
def test_the_real_command_line_exits_1_with_one_sentence(tmp_path, monkeypatch, kind):
    path = tmp_path / "plan.db"
    make_bad(kind, path, monkeypatch)
    target = tmp_path / "copie.db"
    good_db = _good(tmp_path / "good.db")
    before = state(path, good_db)
    for argv in (("status", "--db", str(path)), ("export", str(target), "--db", str(path)),
                 ("import", str(path), "--db", str(good_db))):
        result = run_process(*argv)
        assert_refused(result.returncode, result.stderr)
        assert result.stdout == ""
    assert not target.exists()
    assert state(path, good_db) == before
