"""The hub and sync from the command line, in subprocesses, as a coordinator runs them; and what
a sync that is killed, or whose hub stops, leaves behind: nothing lost, the next sync completes it."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from sqlmodel import select

from coopterm.models import Action, Conflict
from coopterm.store import export_copy, open_database
from coopterm.store.sync import sync
from tests.cli.test_cli import SCRIPT, run
from tests.hub.test_sync import retitle
from tests.postgres import PostgresServer
from tests.store.test_merge import content


def start(*args: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in ("COOPTERM_DB", "LC_ALL", "LC_MESSAGES")}
    env["LANG"] = "C.UTF-8"
    return subprocess.Popen([str(SCRIPT), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env)


def intact(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA quick_check").fetchone() == ("ok",)
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()


def all_titles(path: Path) -> set[str]:
    """Every action title the file holds, live or kept in a review item."""
    with open_database(path) as db, db.read() as s:
        titles = {a.title for a in s.exec(select(Action))}
        for conflict in s.exec(select(Conflict)):
            for values in (conflict.kept_values, conflict.other_values):
                title = json.loads(values).get("title")
                if title:
                    titles.add(title)
    return titles


def test_a_coordinator_sets_up_a_hub_and_syncs_from_the_command_line(postgres_server, pg_database, demo_db,
                                                                      tmp_path):
    url = postgres_server.libpq_url(pg_database)
    made = run("--lang", "fr", "hub", "init", url)
    assert made.returncode == 0, made.stderr
    assert "Hub prêt" in made.stdout
    assert run("hub", "init", url).returncode == 1  # not empty any more
    export_copy(demo_db, tmp_path / "a.db")
    sent = run("sync", url, "--db", str(tmp_path / "a.db"), "--json")
    assert sent.returncode == 0, sent.stderr
    assert json.loads(sent.stdout)["sent"] > 0
    open_database(tmp_path / "b.db").close()
    got = run("--lang", "fr", "sync", url, "--db", str(tmp_path / "b.db"))
    assert got.returncode == 0, got.stderr
    assert "changements reçus" in got.stdout
    again = run("sync", "--db", str(tmp_path / "b.db"))  # the hub is remembered
    assert again.returncode == 0 and "0 changes received, 0 sent" in again.stdout
    granted = run("hub", "grant", url, f"adel_{pg_database}", "pilot", "--person", "Adel Janeb")
    assert granted.returncode == 0, granted.stderr
    assert f"adel_{pg_database}" in granted.stdout and "pilot" in granted.stdout
    assert content(tmp_path / "a.db") == content(tmp_path / "b.db")


@pytest.mark.parametrize(("args", "words"), [
    (("sync", "--db", "{db}"), "never synced"),
    (("sync", "mysql://hub/plan", "--db", "{db}"), "PostgreSQL"),
    (("sync", "postgresql://coord:secret@127.0.0.1:1/plan", "--db", "{db}"), "password"),
    (("sync", "postgresql://coord@127.0.0.1:1/plan", "--db", "{db}"), "stopped"),
    (("hub", "grant", "postgresql://coord@127.0.0.1:1/plan", "x", "admin"), "invalid choice"),
])
def test_wrong_hub_arguments_are_refused_in_plain_words(demo_db, tmp_path, args, words):
    export_copy(demo_db, tmp_path / "a.db")
    before = content(tmp_path / "a.db")
    result = run(*(a.format(db=tmp_path / "a.db") for a in args))
    assert result.returncode in (1, 2) and words in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert content(tmp_path / "a.db") == before


def two_laptops_on_a_hub(url: str, demo_db, folder: Path) -> None:
    """A hub made with the command line, a.db (the demo) and b.db (empty) synced with it."""
    assert run("hub", "init", url).returncode == 0
    export_copy(demo_db, folder / "a.db")
    open_database(folder / "b.db").close()
    for path in ("a.db", "b.db"):
        assert run("sync", url, "--db", str(folder / path)).returncode == 0


def test_killed_syncs_lose_nothing_and_the_next_one_completes_them(postgres_server, pg_database, demo_db,
                                                                  tmp_path):
    """SIGKILL at a random moment of 20 syncs, each with work both ways: the file stays
    whole, and once syncs run to the end both laptops hold the same plan and every title."""
    two_laptops_on_a_hub(postgres_server.libpq_url(pg_database), demo_db, tmp_path)
    timing = time.perf_counter()
    assert run("sync", "--db", str(tmp_path / "a.db")).returncode == 0
    full = time.perf_counter() - timing
    rng = random.Random(20261130)
    last_written: dict[object, str] = {}  # per action, the title written last (B writes after A)
    killed = 0
    for round_ in range(20):
        with open_database(tmp_path / "a.db") as a, open_database(tmp_path / "b.db") as b:
            for db, side in ((a, "A"), (b, "B")):
                title = f"{side} {round_}"
                last_written[retitle(db, rng.randrange(8), title)] = title
            sync(b)  # work for A's pull
        process = start("sync", "--db", str(tmp_path / "a.db"))
        time.sleep(rng.uniform(0.0, full * 1.5))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            killed += 1
        process.wait()
        intact(tmp_path / "a.db")
    print(f"{killed} of 20 syncs killed (a full one takes {full:.2f} s)")
    assert killed >= 10  # most of them were cut short
    for path in ("a.db", "b.db", "a.db"):
        result = run("sync", "--db", str(tmp_path / path))
        assert result.returncode == 0, result.stderr
    assert content(tmp_path / "a.db") == content(tmp_path / "b.db")
    with open_database(tmp_path / "a.db") as a, a.read() as s:
        live = {action.id: action.title for action in s.exec(select(Action))}
    assert {action: live[action] for action in last_written} == last_written  # the latest edit of each
    assert {"A 19", "B 19"} <= all_titles(tmp_path / "a.db")  # and the last concurrent pair, one for review


def test_a_hub_that_stops_mid_sync_loses_nothing(demo_db, tmp_path):
    """The server stopped (immediately, as in a crash) while a laptop syncs: the sync says
    so, the file is whole, and once the hub is back the next sync completes."""
    server = PostgresServer(durable=True).start()  # it is crashed on purpose: what it acknowledged stays
    try:
        database = server.new_database()
        url = server.libpq_url(database)
        assert run("hub", "init", url).returncode == 0
        export_copy(demo_db, tmp_path / "a.db")
        open_database(tmp_path / "b.db").close()
        process = start("sync", url, "--db", str(tmp_path / "a.db"))
        time.sleep(0.8)
        server._run("pg_ctl", "-D", str(server.data), "-m", "immediate", "-w", "stop")
        out, err = process.communicate(timeout=60)
        assert process.returncode in (0, 1), err
        assert "Traceback" not in err
        if process.returncode == 1:
            assert "stopped" in err or "refused" in err
        intact(tmp_path / "a.db")
        server.start_again()
        for path in ("a.db", "b.db"):
            result = run("sync", url, "--db", str(tmp_path / path))
            assert result.returncode == 0, result.stderr
        assert content(tmp_path / "a.db") == content(tmp_path / "b.db")
    finally:
        server.stop()


def test_two_laptops_syncing_at_once_both_arrive(postgres_server, pg_database, demo_db, tmp_path):
    two_laptops_on_a_hub(postgres_server.libpq_url(pg_database), demo_db, tmp_path)
    with open_database(tmp_path / "a.db") as a, open_database(tmp_path / "b.db") as b:
        retitle(a, 1, "En même temps A")
        retitle(b, 2, "En même temps B")
    both = [start("sync", "--db", str(tmp_path / p)) for p in ("a.db", "b.db")]
    for process in both:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    for path in ("a.db", "b.db"):
        assert run("sync", "--db", str(tmp_path / path)).returncode == 0
    assert content(tmp_path / "a.db") == content(tmp_path / "b.db")
    assert {"En même temps A", "En même temps B"} <= all_titles(tmp_path / "a.db")
