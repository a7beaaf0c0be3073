"""A process killed with SIGKILL in the middle of its writes loses nothing it reported saved.

``reliability_writer.py`` creates and changes actions in a loop and prints a line
only after each commit has returned.  The test kills it at a random moment, 24
times on the same file, restarting it each time.  After every kill the file must
pass ``PRAGMA integrity_check``, open with ``open_database``, and hold every
change whose line was printed (the commit had returned, so it must be on disk:
WAL with ``synchronous=FULL``).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

WRITER = Path(__file__).with_name("reliability_writer.py")
KILLS = 24


def prepare(path: Path) -> None:
    """A file with a current plan and one défi, as the writer expects."""
    from coopterm.domain.plans import set_current_plan
    from coopterm.models import Challenge, Plan
    from coopterm.store import open_database

    with open_database(path) as db, db.write() as session:
        plan = Plan(title="Plan de coopération", start_date=dt.date(2019, 1, 1), end_date=dt.date(2021, 12, 31))
        session.add(plan)
        session.flush()
        set_current_plan(session, plan.id)
        session.add(Challenge(plan_id=plan.id, number=1, title="Défi écriture"))


def start_writer(path: Path, tag: str, count: int | None = None) -> subprocess.Popen:
    args = [sys.executable, str(WRITER), str(path), tag] + ([str(count)] if count is not None else [])
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=Path(__file__).parents[2])


class Lines:
    """Reads a process's stdout in a thread, so the test can wait for the first commit."""

    def __init__(self, proc: subprocess.Popen) -> None:
        self.lines: list[str] = []
        self.first = threading.Event()
        self._thread = threading.Thread(target=self._read, args=(proc,), daemon=True)
        self._thread.start()

    def _read(self, proc: subprocess.Popen) -> None:
        for line in proc.stdout:
            if line.endswith("\n"):  # a line cut by the kill was not fully reported
                self.lines.append(line.split())
                self.first.set()
        self.first.set()

    def join(self) -> list[list[str]]:
        self._thread.join(timeout=30)
        return self.lines


def committed(lines: list[list[str]], tag: str) -> tuple[dict[str, int], dict[str, int]]:
    """From the writer's lines: created action id -> n, and action id -> highest notes n reported."""
    created: dict[str, int] = {}
    notes: dict[str, int] = {}
    for kind, action_id, n in lines:
        if kind == "C":
            created[action_id] = int(n)
        else:
            notes[action_id] = max(notes.get(action_id, 0), int(n))
    return created, notes


def check_file(path: Path, tag: str, created: dict[str, int], notes: dict[str, int]) -> int:
    """Integrity, open_database, and every reported change present; returns the action count."""
    from coopterm.store import open_database

    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()
    with open_database(path, create=False) as db:
        with db.engine.connect() as c:
            rows = {r[0]: (r[1], r[2]) for r in c.exec_driver_sql(
                "SELECT id, title, notes FROM action WHERE deleted_at IS NULL")}
    missing = [i for i in created if i not in rows]
    assert not missing, f"{len(missing)} committed actions lost, e.g. {missing[:3]}"
    for action_id, n in created.items():
        assert rows[action_id][0] == f"{tag}-{n}"
    for action_id, n in notes.items():
        value = rows[action_id][1]
        # The notes hold the last change reported, or one made after it whose line
        # the kill cut off: never an older one.
        assert value.startswith(f"{tag}-") and int(value.rsplit("-", 1)[1]) >= n, (action_id, value, n)
    return len(rows)


def test_sigkill_at_random_moments_loses_no_reported_commit(tmp_path):
    path = tmp_path / "plan.db"
    prepare(path)
    rng = random.Random(int.from_bytes(os.urandom(4), "big"))
    all_created: dict[str, int] = {}
    all_notes: dict[str, int] = {}
    deadline = time.monotonic() + 120
    for round_ in range(KILLS):
        assert time.monotonic() < deadline, "the crash rounds took too long"
        proc = start_writer(path, "w")
        reader = Lines(proc)
        # Most kills land in the middle of the writes; one in four while the
        # writer is still starting up and opening the file.
        if round_ % 4:
            assert reader.first.wait(timeout=30), proc.stderr.read() if proc.poll() is not None else "no commit"
        time.sleep(rng.uniform(0, 0.25))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        assert proc.returncode == -signal.SIGKILL, proc.stderr.read()  # killed, not failed on its own
        proc.stderr.close()
        created, notes = committed(reader.join(), "w")
        proc.stdout.close()
        all_created.update(created)
        for action_id, n in notes.items():
            all_notes[action_id] = max(all_notes.get(action_id, 0), n)
        count = check_file(path, "w", all_created, all_notes)
        assert count >= len(all_created)
    assert len(all_created) >= KILLS  # the writer did commit between kills
