"""SQLite failures in the middle of a session reach the user as one sentence, with nothing changed.

A full disk, a lock another program holds for longer than the busy timeout, a
read-only or damaged file and text SQLite cannot store are noticed by SQLite only
when a statement runs.  ``Database.read`` and ``Database.write`` turn them into
:class:`CooptermError` messages; the app shows them and keeps the form as typed.
"""

from __future__ import annotations

import sqlite3

import pytest
from sqlmodel import select

from coopterm.errors import CooptermError, DatabaseRefused, InvalidInput
from coopterm.models import Action
from tests.helpers import make_app, settle


def action_titles(db) -> list[str]:
    with db.read() as session:
        return sorted(a.title for a in session.exec(select(Action)))


def damage_the_actions_page(path):
    """Overwrite the root page of the action table, as a failing disk might; returns ``path``."""
    conn = sqlite3.connect(path)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'action'").fetchone()[0]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    with open(path, "r+b") as fh:
        fh.seek((root - 1) * size)
        fh.write(b"\xa5" * size)
    return path


@pytest.mark.parametrize(("error", "key"), [
    (sqlite3.OperationalError("database or disk is full"), "db.disk_full"),
    (sqlite3.OperationalError("database is locked"), "db.busy"),
    (sqlite3.OperationalError("attempt to write a readonly database"), "db.read_only"),
    (sqlite3.DatabaseError("database disk image is malformed"), "db.damaged_detail"),
    (sqlite3.OperationalError("disk I/O error"), "db.io_error"),
])
def test_a_failure_mid_write_is_one_sentence_and_changes_nothing(demo_db, error, key):
    before = action_titles(demo_db)
    with pytest.raises(CooptermError) as refused:
        with demo_db.write() as session:
            session.get(Action, session.exec(select(Action.id)).first()).title = "Changé"
            session.flush()
            raise error
    assert refused.value.key == key
    assert str(demo_db.path) in str(refused.value) or key == "db.text_not_unicode"
    assert action_titles(demo_db) == before


def test_an_error_that_is_a_bug_stays_a_bug(demo_db):
    """A constraint broken by our own code is not dressed up as a user's problem."""
    with pytest.raises(sqlite3.IntegrityError):
        with demo_db.write():
            raise sqlite3.IntegrityError("UNIQUE constraint failed: action.id")


def test_a_lock_held_too_long_is_refused_in_words(tmp_path, monkeypatch):
    """For real: another program holds the write lock past the busy timeout."""
    import coopterm.store.database as database
    from coopterm.demo import create_demo_database
    from coopterm.domain.actions import update_action

    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 200)
    path = create_demo_database(tmp_path / "demo.db")
    with database.open_database(path) as db:
        before = action_titles(db)
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(CooptermError) as refused:
                with db.write() as session:
                    action = session.exec(select(Action)).first()
                    update_action(session, action.id, {"title": "Changé pendant le verrou",
                                                       "challenge_id": action.challenge_id})
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert refused.value.key == "db.busy"
        assert "database is locked" not in str(refused.value) and "0.2 seconds" in str(refused.value)
        assert action_titles(db) == before


def test_text_sqlite_cannot_store_is_refused(demo_db):
    with pytest.raises(InvalidInput) as refused:
        with demo_db.write() as session:
            session.get(Action, session.exec(select(Action.id)).first()).title = "Forum \udc80"
    assert refused.value.key == "db.text_not_unicode"


def test_a_damaged_page_is_found_when_the_file_is_verified(tmp_path):
    from coopterm.demo import create_demo_database
    from coopterm.store import open_database

    path = create_demo_database(tmp_path / "demo.db")
    open_database(path, verify=False).close()  # the app's way: open at once, verify beside the work
    damage_the_actions_page(path)
    with open_database(path, verify=False) as db, pytest.raises(DatabaseRefused) as refused:
        db.verify()
    assert refused.value.key == "db.damaged_detail"
    with pytest.raises(DatabaseRefused):
        open_database(path)


async def test_the_form_stays_as_typed_when_the_save_is_refused(tmp_path, monkeypatch):
    """In the app: ctrl+s while another program holds the lock; a message, the form open with
    what was typed, nothing saved; once the lock is gone, ctrl+s saves it."""
    import coopterm.store.database as database
    from coopterm.demo import create_demo_database
    from coopterm.ui.screens.actions import ActionForm

    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 200)
    path = create_demo_database(tmp_path / "demo.db")
    with database.open_database(path) as db:
        app = make_app(db, tmp_path)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot, app)
            await pilot.press("3")
            await settle(pilot, app)
            await pilot.press("n")
            await settle(pilot, app)
            form = app.screen
            assert isinstance(form, ActionForm)
            form.query_one("#f-title").value = "Atelier tenu pendant le verrou"
            other = sqlite3.connect(path, isolation_level=None)
            other.execute("BEGIN IMMEDIATE")
            try:
                await pilot.press("ctrl+s")
                await settle(pilot, app)
                assert app.screen is form
                assert form.query_one("#f-title").value == "Atelier tenu pendant le verrou"
                messages = [n.message for n in app._notifications]
                assert any("locked by another program" in m for m in messages), messages
            finally:
                other.execute("ROLLBACK")
                other.close()
            assert "Atelier tenu pendant le verrou" not in action_titles(db)
            await pilot.press("ctrl+s")
            await settle(pilot, app)
            assert app.screen is not form
            assert "Atelier tenu pendant le verrou" in action_titles(db)


async def test_an_unexpected_failure_while_opening_is_said_not_hidden(tmp_path):
    """An opener that fails for a reason nobody foresaw (once: two threads importing SQLAlchemy
    at the same moment) ends the app with a sentence, instead of an empty dashboard for ever."""
    from coopterm.config import Config
    from coopterm.ui.app import CooptermApp

    def opener():
        raise ImportError("cannot import name 'AdaptedConnection' from partially initialized module")

    app = CooptermApp(opener=opener, config=Config(path=tmp_path / "config.toml"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
    assert app.return_code == 1
    assert app.open_error is not None and app.open_error.key == "app.open_failed"
    assert "partially initialized" in str(app.open_error)


def test_closing_the_database_interrupts_a_verify_still_reading(tmp_path, monkeypatch):
    """Quitting the app must not wait for the background check of a big file on a slow key.

    The file has a damaged page, so a check that ran to its end would refuse it; the
    check is held at its first step until the database is closed, and then gives up.
    """
    import threading

    import coopterm.store.database as database
    from coopterm.demo import create_demo_database

    path = damage_the_actions_page(create_demo_database(tmp_path / "demo.db"))
    db = database.open_database(path, verify=False)

    started, release = threading.Event(), threading.Event()
    real_connect = sqlite3.connect

    def held_connect(*args, **kwargs):
        held = real_connect(*args, **kwargs)

        def hold() -> int:
            started.set()
            release.wait(10)
            return 0

        held.set_progress_handler(hold, 1)
        return held

    monkeypatch.setattr(database.sqlite3, "connect", held_connect)
    outcome: list[object] = []

    def check() -> None:
        try:
            db.verify()
            outcome.append("returned")
        except CooptermError as refused:
            outcome.append(refused)

    thread = threading.Thread(target=check)
    thread.start()
    assert started.wait(10)
    db.close()
    release.set()
    thread.join(10)
    assert outcome == ["returned"]


async def test_a_key_whose_write_is_refused_shows_the_sentence_and_the_app_goes_on(tmp_path, monkeypatch):
    """`+` (progress +10) while another program holds the lock: a message, nothing changed,
    and the next key works (before, the refusal ended the app with a traceback)."""
    import coopterm.store.database as database
    from coopterm.demo import create_demo_database

    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 200)
    path = create_demo_database(tmp_path / "demo.db")
    with database.open_database(path) as db:
        def progress() -> list[int]:
            with db.read() as session:
                return sorted((a.id.hex, a.progress) for a in session.exec(select(Action)))

        before = progress()
        app = make_app(db, tmp_path)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot, app)
            await pilot.press("3")
            await settle(pilot, app)
            other = sqlite3.connect(path, isolation_level=None)
            other.execute("BEGIN IMMEDIATE")
            try:
                await pilot.press("minus")
                await settle(pilot, app)
            finally:
                other.execute("ROLLBACK")
                other.close()
            assert app.is_running
            assert any("locked by another program" in n.message for n in app._notifications)
            assert progress() == before
            await pilot.press("minus")
            await settle(pilot, app)
            assert progress() != before
