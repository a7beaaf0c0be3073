"""Importing a copy from the app (palette → path → what it brings → merge) and reviewing conflicts."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
import time
from pathlib import Path

import pytest
from sqlmodel import select

from coopterm.config import Config
from coopterm.i18n import set_language
from coopterm.models import Action, Conflict
from coopterm.store import export_copy, open_database
from coopterm.ui.app import CooptermApp
from coopterm.ui.screens.confirm import ChoiceScreen
from coopterm.ui.screens.conflicts import ConflictsScreen
from coopterm.ui.screens.path_prompt import PathPrompt
from coopterm.ui.widgets.virtual_table import VirtualTable
from tests.helpers import SIZE, SNAPSHOT_SIZE, TODAY, make_app, settle, settled

LOCAL_TITLE = "Titre revu à Sierre"
OTHER_TITLE = "Titre revu à Monastir"



def fingerprint(path: Path) -> dict[str, str | None]:
    out = {}
    for p in (path, Path(f"{path}-wal")):
        out[p.name] = hashlib.sha256(p.read_bytes()).hexdigest() if p.exists() else None
    return out


def first_action_id(db):
    with db.read() as s:
        return s.exec(select(Action).where(Action.deleted_at.is_(None)).order_by(Action.id)).first().id


def edit_two_copies(db, folder: Path) -> tuple[Path, object]:
    """A copy made with export, edited on "a lead's laptop" (the same action as here, plus a new one),
    then the same two fields of the action edited here: two conflicts (one per field), which this
    copy wins (its changes are later)."""
    copy = folder / "laptop.db"
    export_copy(db, copy)
    shared = first_action_id(db)
    with open_database(copy) as other:
        with other.write() as s:
            action = s.get(Action, shared)
            action.progress, action.title = 60, OTHER_TITLE
            s.add(Action(challenge_id=action.challenge_id, number=90, title="Nouvelle action à Katowice"))
    time.sleep(0.01)  # the local change comes strictly later on the wall clock too
    with db.write() as s:
        action = s.get(Action, shared)
        action.progress, action.title = 55, LOCAL_TITLE
    return copy, shared


@pytest.fixture
def field_copy(demo_db, tmp_path):
    return edit_two_copies(demo_db, tmp_path)


def notifications(app) -> list[str]:
    return [n.message for n in app._notifications]


async def open_import(pilot, app) -> PathPrompt:
    await settle(pilot, app)
    command = next(c for c in app.get_system_commands(app.screen) if c.title == "Import a copy…")
    command.callback()
    await settle(pilot, app)
    assert isinstance(app.screen, PathPrompt)
    return app.screen


async def submit_path(pilot, app, text: str) -> None:
    app.screen.query_one("#path-input").value = text
    await pilot.press("enter")
    await settle(pilot, app)


def question_text(app) -> str:
    return str(app.screen.query_one("#question").render())


async def test_import_through_the_palette_then_take_the_other_version(demo_db, field_copy, tmp_path):
    copy, shared = field_copy
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_import(pilot, app)
        before = fingerprint(demo_db.path)
        await submit_path(pilot, app, str(copy))
        # The dry run's findings, asked before anything changes.
        assert isinstance(app.screen, ChoiceScreen)
        question = question_text(app)
        assert "Merge laptop.db into this database?" in question
        assert "Action: added: 1, conflicts: 2" in question  # the title and the progress, each its own
        assert "Conflicts: 2." in question
        assert fingerprint(demo_db.path) == before
        with demo_db.read() as s:
            assert s.exec(select(Action).where(Action.title == "Nouvelle action à Katowice")).first() is None
        await pilot.press("y")
        await settle(pilot, app)
        # Merged: the new action is here, the conflicts are open, and their review is on screen.
        with demo_db.read() as s:
            assert s.exec(select(Action).where(Action.title == "Nouvelle action à Katowice")).one()
            action = s.get(Action, shared)
            assert (action.progress, action.title) == (55, LOCAL_TITLE)  # the later changes won
            assert [c.resolution for c in s.exec(select(Conflict))] == [None, None]
        done = next(m for m in notifications(app) if "laptop.db merged" in m)
        backup = Path(done.split("before the merge: ")[1])
        assert backup.exists() and backup.parent == demo_db.path.parent
        assert any("Conflicts to review: 2" in m for m in notifications(app))
        screen = app.screen
        assert isinstance(screen, ConflictsScreen)
        assert screen.query_one(VirtualTable).row_count == 2
        if [f.label for f in screen.current.fields] != ["Title"]:
            await pilot.press("down")
            await settle(pilot, app)
        compared = screen.current
        assert {f.label: (f.kept, f.other) for f in compared.fields} == {"Title": (LOCAL_TITLE, OTHER_TITLE)}
        # o, then confirm: the other title goes into the plan, and the progress stays as it is.
        await pilot.press("o")
        await settle(pilot, app)
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("y")
        await settle(pilot, app)
        assert app.screen is screen
        with demo_db.read() as s:
            action = s.get(Action, shared)
            assert (action.progress, action.title) == (55, OTHER_TITLE)
            assert sorted(str(c.resolution) for c in s.exec(select(Conflict))) == ["None", "took_other"]
        assert screen.query_one(VirtualTable).row_count == 1
        assert [f.label for f in screen.current.fields] == ["Progress"]
        await pilot.press("k")
        await settle(pilot, app)
        assert screen.has_class("-empty")
        assert screen.query_one("#conflicts-empty").display
        await pilot.press("escape")
        await settle(pilot, app)
        assert not isinstance(app.screen, ConflictsScreen)
        # The actions screen shows the plan as it is now.
        await pilot.press("3")
        await settle(pilot, app)
        titles = [app.screen.query_one(VirtualTable).get_row(i).title
                  for i in range(app.screen.query_one(VirtualTable).row_count)]
        assert OTHER_TITLE in titles and LOCAL_TITLE not in titles


async def test_escape_on_the_take_question_changes_nothing_and_k_keeps(demo_db, field_copy, tmp_path):
    from coopterm.store.merge import merge_copy

    copy, shared = field_copy
    merge_copy(demo_db, copy)
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "Review conflicts")
        command.callback()
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, ConflictsScreen)
        await pilot.press("o")
        await settle(pilot, app)
        await pilot.press("escape")
        await settle(pilot, app)
        with demo_db.read() as s:
            assert [c.resolution for c in s.exec(select(Conflict))] == [None, None]
            assert s.get(Action, shared).title == LOCAL_TITLE
        await pilot.press("k")
        await settle(pilot, app)
        await pilot.press("k")
        await settle(pilot, app)
        with demo_db.read() as s:
            assert [c.resolution for c in s.exec(select(Conflict))] == ["kept", "kept"]
            action = s.get(Action, shared)
            assert (action.progress, action.title) == (55, LOCAL_TITLE)
        assert screen.query_one("#conflicts-empty").display
        assert str(screen.query_one("#conflicts-title").render()) == "Conflicts to review: 0"


async def test_a_foreign_file_is_refused_and_the_database_is_untouched(demo_db, tmp_path):
    foreign = tmp_path / "budget.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE budget (line TEXT, amount INTEGER)")
    conn.commit()
    conn.close()
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_import(pilot, app)
        before = fingerprint(demo_db.path)
        files_before = sorted(p.name for p in tmp_path.iterdir())
        await submit_path(pilot, app, str(foreign))
        assert not isinstance(app.screen, (PathPrompt, ChoiceScreen))
        errors = [n for n in app._notifications if n.severity == "error"]
        assert len(errors) == 1 and "budget.db" in errors[0].message
        assert fingerprint(demo_db.path) == before
        assert sorted(p.name for p in tmp_path.iterdir()) == files_before  # no backup either


async def test_the_path_prompt_says_what_is_wrong_and_escape_cancels(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        prompt = await open_import(pilot, app)
        error = prompt.query_one("#path-error")
        await submit_path(pilot, app, "   ")
        assert app.screen is prompt and error.display
        assert str(error.render()) == "Type the path of the copy's file first."
        await submit_path(pilot, app, str(tmp_path / "nowhere.db"))
        assert app.screen is prompt
        assert str(error.render()) == f"There is no file {tmp_path / 'nowhere.db'}: check the name and the folder."
        await submit_path(pilot, app, str(tmp_path))
        assert app.screen is prompt
        assert str(error.render()).startswith(f"{tmp_path} is a folder")
        await pilot.press("escape")
        await settle(pilot, app)
        assert not isinstance(app.screen, PathPrompt)
        assert not [n for n in app._notifications if n.severity == "error"]


async def test_a_copy_with_nothing_new_changes_nothing(demo_db, tmp_path):
    copy = tmp_path / "same.db"
    export_copy(demo_db, copy)
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_import(pilot, app)
        await submit_path(pilot, app, str(copy))
        assert not isinstance(app.screen, ChoiceScreen)
        assert any("brings nothing new" in m for m in notifications(app))


async def test_no_conflicts_to_review(demo_db, tmp_path):
    set_language("fr")
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert "Importer une copie…" in [c.title for c in app.get_system_commands(app.screen)]
        app.action_review_conflicts()
        await settle(pilot, app)
        assert app.screen.query_one("#conflicts-empty").display
        assert str(app.screen.query_one("#conflicts-empty").render()) == "Aucun conflit à revoir"
        await pilot.press("k", "o")  # nothing to answer: nothing happens
        await settle(pilot, app)
        assert isinstance(app.screen, ConflictsScreen)


# --- snapshot ----------------------------------------------------------------------------------


@pytest.fixture
def conflict_db(frozen_demo_db):
    """The frozen demo with what merging two edited copies leaves to review, each side made at
    a fixed time: the title and the progress of one action changed on both copies (one record
    per field, as the merge writes them), and two actions created with one number."""
    from tests.conflict_records import add_conflict, revision, twin_action

    db = frozen_demo_db
    shared = first_action_id(db)
    with db.read() as s:
        action, replica = s.get(Action, shared), s.info["replica_id"]
    kept = revision(dt.datetime(2021, 6, 15, 10, 47, tzinfo=dt.timezone.utc), replica)
    other = revision(dt.datetime(2021, 6, 15, 8, 12, tzinfo=dt.timezone.utc))
    found = dt.datetime(2021, 6, 15, 11, 0, tzinfo=dt.timezone.utc)
    add_conflict(db, "edit", "action", shared, {"title": action.title}, {"title": OTHER_TITLE},
                 kept_revision=kept, other_revision=other, found=found)
    add_conflict(db, "edit", "action", shared, {"progress": action.progress}, {"progress": 60},
                 kept_revision=kept, other_revision=other, found=found + dt.timedelta(seconds=1))
    twin = twin_action(db, action.challenge_id, action.number, "Forum des jeunes")
    add_conflict(db, "same_number", "action", twin, {"number": action.number},
                 {"number": action.number, "same_as": shared.hex}, kept_revision=kept,
                 other_revision=other, found=found + dt.timedelta(seconds=2))
    return db


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_conflict_review_snapshot(snap_compare, conflict_db, tmp_path, utc_clock, lang):
    set_language(lang)
    app = CooptermApp(conflict_db, today=TODAY, config=Config(path=tmp_path / "config.toml"))

    async def run_before(pilot) -> None:
        await settled(pilot)
        pilot.app.action_review_conflicts()
        await settled(pilot)

    assert snap_compare(app, terminal_size=SNAPSHOT_SIZE, run_before=run_before)


async def test_the_progress_report_is_written_from_the_palette(demo_db, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "Write the progress report…")
        command.callback()
        await settle(pilot, app)
        assert isinstance(app.screen, PathPrompt)
        assert app.screen.query_one("#path-input").value == str(tmp_path / "progress-report-2021-06-15.html")
        await submit_path(pilot, app, str(tmp_path / "missing" / "r.html"))
        assert isinstance(app.screen, PathPrompt)  # the folder does not exist: said at once
        assert "does not exist" in str(app.screen.query_one("#path-error").render())
        await submit_path(pilot, app, str(tmp_path / "rapport.html"))
        assert not isinstance(app.screen, PathPrompt)
        html = (tmp_path / "rapport.html").read_text(encoding="utf-8")
        assert "Plan d'action multilatéral" in html.replace("&#x27;", "'")
        assert any("Report written" in m for m in notifications(app))
        # A database name is refused by the report itself, and the file is left as it was.
        before = fingerprint(demo_db.path)
        command.callback()
        await settle(pilot, app)
        await submit_path(pilot, app, str(demo_db.path))
        assert fingerprint(demo_db.path) == before
        assert any("database" in m for m in notifications(app)[-1:])


async def test_an_existing_report_is_replaced_only_after_confirmation(demo_db, tmp_path, monkeypatch):
    from coopterm.ui.screens.confirm import ConfirmScreen

    monkeypatch.chdir(tmp_path)
    earlier = tmp_path / "notes.html"
    earlier.write_text("my notes", encoding="utf-8")
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "Write the progress report…")
        command.callback()
        await settle(pilot, app)
        await submit_path(pilot, app, str(earlier))
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot, app)
        assert earlier.read_text(encoding="utf-8") == "my notes"
        command.callback()
        await settle(pilot, app)
        await submit_path(pilot, app, str(earlier))
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot, app)
        assert "Plan d'action multilatéral" in earlier.read_text(encoding="utf-8").replace("&#x27;", "'")
