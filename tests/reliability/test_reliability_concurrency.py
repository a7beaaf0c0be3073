"""Two writers on one file at once: nobody sees "database is locked", nothing is lost.

Writes begin with ``BEGIN IMMEDIATE`` and wait up to the busy timeout for the
lock, so a second writer waits its turn instead of failing.  Proved here with
two writer processes, with an import (``coopterm import``) while a writer runs,
and with two ``Database`` objects used from threads of one process.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

from sqlmodel import select

from tests.reliability.test_reliability_crash import committed, prepare, start_writer

COOPTERM = Path(sys.executable).with_name("coopterm")


def finish(proc: subprocess.Popen) -> tuple[list[list[str]], str]:
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert "locked" not in err.lower() and "traceback" not in err.lower(), err
    return [line.split() for line in out.splitlines()], err


def live_actions(path: Path) -> dict[str, tuple[str, str]]:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        return {r[0]: (r[1], r[2]) for r in conn.execute(
            "SELECT id, title, notes FROM action WHERE deleted_at IS NULL")}
    finally:
        conn.close()


def assert_all_there(rows: dict[str, tuple[str, str]], lines: list[list[str]], tag: str, count: int) -> None:
    created, notes = committed(lines, tag)
    assert len(created) == count
    for action_id, n in created.items():
        assert rows[action_id][0] == f"{tag}-{n}"
    for action_id, n in notes.items():
        assert rows[action_id][1] == f"{tag}-{n}"  # the writer finished: its last change is the one kept


def test_two_writer_processes_on_one_file(tmp_path):
    path = tmp_path / "plan.db"
    prepare(path)
    a, b = start_writer(path, "a", 60), start_writer(path, "b", 60)
    lines_a, _ = finish(a)
    lines_b, _ = finish(b)
    rows = live_actions(path)
    assert_all_there(rows, lines_a, "a", 60)
    assert_all_there(rows, lines_b, "b", 60)
    assert len(rows) == 120


def _field_copy(db_path: Path, copy: Path, titles: list[str]) -> None:
    """A copy exported from ``db_path`` with actions added on the copy, as a pilot's laptop has."""
    from coopterm.domain.actions import create_action
    from coopterm.models import Challenge
    from coopterm.store import export_copy, open_database

    with open_database(db_path) as db:
        export_copy(db, copy)
    with open_database(copy) as other:
        with other.read() as session:
            challenge_id = session.exec(select(Challenge.id)).one()
        for title in titles:
            with other.write() as session:
                create_action(session, {"challenge_id": challenge_id, "title": title})


def test_an_import_while_a_writer_runs(tmp_path):
    path = tmp_path / "plan.db"
    prepare(path)
    copy = tmp_path / "laptop.db"
    titles = [f"Atelier à Monastir nº{i}" for i in range(40)]
    _field_copy(path, copy, titles)
    writer = start_writer(path, "w", 150)
    first = writer.stdout.readline()  # the import starts while the writer is writing
    env = {k: v for k, v in os.environ.items() if k != "COOPTERM_DB"}
    imports = []
    for _ in range(2):  # the second import of the same copy changes nothing: still no lock error
        imports.append(subprocess.run([str(COOPTERM), "import", str(copy), "--db", str(path)],
                                      capture_output=True, text=True, timeout=120, env=env))
    lines, _ = finish(writer)
    lines.insert(0, first.split())
    for result in imports:
        assert result.returncode == 0, result.stderr
        assert "locked" not in (result.stderr + result.stdout).lower()
    rows = live_actions(path)
    assert_all_there(rows, lines, "w", 150)
    assert sorted(t for t, _ in rows.values() if t.startswith("Atelier")) == sorted(titles)
    assert len(rows) == 150 + len(titles)


def test_two_database_objects_in_threads(tmp_path):
    from coopterm.domain.actions import create_action, update_action
    from coopterm.models import Action, Challenge
    from coopterm.store import open_database

    path = tmp_path / "plan.db"
    prepare(path)
    saved: dict[str, list[tuple]] = {"x": [], "y": []}
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def work(tag: str) -> None:
        try:
            with open_database(path, create=False) as db:
                with db.read() as session:
                    challenge_id = session.exec(select(Challenge.id)).one()
                barrier.wait(timeout=30)
                for n in range(1, 51):
                    with db.write() as session:
                        change = create_action(session, {"challenge_id": challenge_id, "title": f"{tag}-{n}"})
                    with db.write() as session:
                        update_action(session, change.id, {"challenge_id": challenge_id, "title": f"{tag}-{n}",
                                                           "progress": n, "notes": f"{tag} écrit {n}"})
                    saved[tag].append((change.id, n))
        except BaseException as exc:  # reported by the test below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(tag,)) for tag in saved]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    with open_database(path, create=False) as db, db.read() as session:
        found = {a.id: a for a in session.exec(select(Action))}
    assert len(found) == 100
    for tag, entries in saved.items():
        assert len(entries) == 50
        for action_id, n in entries:
            action = found[action_id]
            assert (action.title, action.progress, action.notes) == (f"{tag}-{n}", n, f"{tag} écrit {n}")
    # Both wrote from the same numbering: the numbers handed out are all different.
    assert len({a.number for a in found.values()}) == 100
