"""The change history in the detail panes of actions (3) and meetings (5), driven by keys."""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid

import pytest
from sqlmodel import select

from coopterm.config import Config
from coopterm.i18n import set_language
from coopterm.models import Action, History, Meeting
from coopterm.ui.app import CooptermApp
from coopterm.ui.screens.actions import ActionsScreen
from coopterm.ui.screens.meetings import MeetingsScreen
from coopterm.ui.widgets.history_view import HISTORY_LIMIT, HistoryPane
from coopterm.ui.widgets.virtual_table import VirtualTable
from coopterm.vocabulary import ActionStatus
from tests.helpers import SIZE, SNAPSHOT_SIZE, TODAY, make_app, settle, settled

OTHER_REPLICA = uuid.UUID("5d1e0a4c-9b7f-4e2a-8c31-0f6b2d9e7a10")



def pane_text(app, selector: str) -> str:
    pane = app.screen.query_one(selector, HistoryPane)
    return str(pane.query_one(".history-lines").render())


async def test_history_of_an_action_edited_through_the_app(demo_db, tmp_path, utc_clock, monkeypatch):
    monkeypatch.setattr("coopterm.store.history.device_name", lambda: "laptop-sierre")
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("3")
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, ActionsScreen)
        pane = screen.query_one("#action-history", HistoryPane)
        assert not pane.display  # hidden until asked for: cursor moves stay one query
        # Find the postponed action, then move the cursor to it.
        table = screen.query_one(VirtualTable)
        index = next(i for i in range(table.row_count) if table.get_row(i).status is ActionStatus.POSTPONED)
        table.cursor_row = index
        row = table.current_row
        await pilot.press("s")  # postponed -> in progress
        await settle(pilot, app)
        await pilot.press("plus")  # progress +10
        await settle(pilot, app)
        await pilot.press("h")
        await settle(pilot, app)
        assert pane.display
        text = pane_text(app, "#action-history")
        with demo_db.read() as s:
            action = s.get(Action, row.id)
            assert action.status is ActionStatus.IN_PROGRESS
        lines = text.splitlines()
        # Newest first: the progress change, then the status change, both made on this copy.
        assert "this copy" in lines[0] and "changed" in lines[0]
        assert lines[1].strip() == f"Progress: {row.progress} → {action.progress}"
        assert "this copy" in lines[2]
        assert lines[3].strip() == "Status: postponed → in progress"
        assert text.index("Progress:") < text.index("Status:")
        # The time shown is the recorded one, in local time (UTC here).
        with demo_db.read() as s:
            recorded = s.exec(select(History.at).where(History.row_id == row.id)
                              .order_by(History.at.desc(), History.id.desc())).first()
        at = recorded.replace(tzinfo=dt.timezone.utc) if recorded.tzinfo is None else recorded
        assert lines[0].startswith(f"{at:%Y-%m-%d %H:%M}  this copy")
        await pilot.press("h")
        await settle(pilot, app)
        assert not pane.display


async def test_action_history_is_bounded_and_follows_the_cursor(demo_db, tmp_path, utc_clock):
    with demo_db.read() as s:
        first = s.exec(select(Action).where(Action.deleted_at.is_(None))).first()
        target = first.id
    from coopterm.domain.actions import set_progress

    for value in range(1, HISTORY_LIMIT + 4):
        with demo_db.write() as s:
            set_progress(s, target, value)
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("3")
        await settle(pilot, app)
        await pilot.press("h")
        await settle(pilot, app)
        table = app.screen.query_one(VirtualTable)
        index = next(i for i in range(table.row_count) if table.get_row(i).id == target)
        table.cursor_row = index
        await settle(pilot, app)
        app.screen.pane.show(table.current_row)
        text = pane_text(app, "#action-history")
        progress_lines = [line for line in text.splitlines() if line.strip().startswith("Progress:")]
        assert len(progress_lines) == HISTORY_LIMIT
        assert progress_lines[0].strip().endswith(f"→ {HISTORY_LIMIT + 3}")
        other = next(i for i in range(table.row_count) if i != index)
        table.cursor_row = other
        await settle(pilot, app)
        app.screen.pane.show(table.current_row)
        assert f"→ {HISTORY_LIMIT + 3}" not in pane_text(app, "#action-history")


async def test_meeting_history_shows_its_decisions(demo_db, tmp_path, utc_clock):
    from coopterm.domain.meetings import meeting_form_context, save_meeting

    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("5")
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, MeetingsScreen)
        row = screen.query_one(VirtualTable).current_row
        with demo_db.write() as s:
            context = meeting_form_context(s, app.plan_id, row.id, TODAY)
            values = dict(context.values)
            values["title"] = "Comité de pilotage revu"
            save_meeting(s, app.plan_id, row.id, values)
        app.plan_changed(None)
        await settle(pilot, app)
        await pilot.press("h")
        await settle(pilot, app)
        pane = screen.query_one("#meeting-history", HistoryPane)
        assert pane.display
        text = pane_text(app, "#meeting-history")
        first = text.splitlines()
        assert "changed" in first[0] and "this copy" in first[0]
        assert first[1].strip() == f"Title: {row.title} → Comité de pilotage revu"
        assert "Comité de pilotage revu" in str(pane.border_title)
        with demo_db.read() as s:
            assert s.get(Meeting, row.id).title == "Comité de pilotage revu"


# --- snapshots ---------------------------------------------------------------------------------


@pytest.fixture
def history_db(frozen_demo_db):
    """The frozen demo, with action T.1 changed twice: once here, once on a lead's laptop, at fixed times."""
    from coopterm.domain.actions import set_progress
    from coopterm.models import Challenge

    db = frozen_demo_db
    with db.read() as s:
        t1 = next(a.id for a in s.exec(select(Action).where(Action.number == 1))
                  if s.get(Challenge, a.challenge_id).transversal)
    with db.write() as s:
        set_progress(s, t1, 80)  # below 100 %: the done action is in progress again
    with db.write() as s:
        set_progress(s, t1, 90)
    conn = sqlite3.connect(db.path)
    rows = conn.execute("SELECT id FROM history WHERE at > '2021-06-14 09:30:00.000000' ORDER BY at, id").fetchall()
    assert len(rows) == 2
    conn.execute("UPDATE history SET at = '2021-06-15 08:12:00.000000', device = 'mairie-sierre' WHERE id = ?",
                 rows[0])
    conn.execute("UPDATE history SET at = '2021-06-15 10:47:00.000000', device = 'laptop-sierre', "
                 "replica_id = ? WHERE id = ?", (OTHER_REPLICA.hex, rows[1][0]))
    conn.commit()
    conn.close()
    return db


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_action_history_snapshot(snap_compare, history_db, tmp_path, utc_clock, lang):
    set_language(lang)
    app = CooptermApp(history_db, today=TODAY, config=Config(path=tmp_path / "config.toml"))

    async def run_before(pilot) -> None:
        await settled(pilot)
        await pilot.press("3")
        await settled(pilot)
        await pilot.press("h")
        await settled(pilot)

    assert snap_compare(app, terminal_size=SNAPSHOT_SIZE, run_before=run_before)
