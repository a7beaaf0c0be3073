"""Snapshot tests: what the user sees on each screen, in French and in English, at 80×24.

The demo copy gets fixed change times and the app a fixed date, so a snapshot only
changes when the interface does.  Update after an intended change with
``pytest tests/test_snapshots.py --snapshot-update`` and look at the report.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from coopterm.config import Config
from coopterm.i18n import set_language
from coopterm.store import open_database
from coopterm.ui.app import CooptermApp

SIZE = (80, 24)
TODAY = dt.date(2021, 6, 15)
FIXED = "2021-06-14 09:30:00.000000"


@pytest.fixture
def demo_db(tmp_path):
    from coopterm.demo import create_demo_database

    path = create_demo_database(tmp_path / "demo.db")
    conn = sqlite3.connect(path)
    for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN "
                                 "('meta', 'alembic_version')"):
        conn.execute(f"UPDATE {table} SET created_at = ?, updated_at = ?", (FIXED, FIXED))
    conn.commit()
    conn.close()
    db = open_database(path)
    yield db
    db.close()


async def settled(pilot) -> None:
    pilot.app.sub_title = "demo.db"
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def press_and_settle(*keys):
    async def run_before(pilot) -> None:
        await settled(pilot)
        for key in keys:
            await pilot.press(key)
            await settled(pilot)

    return run_before


async def form_with_error(pilot) -> None:
    await settled(pilot)
    await pilot.press("3")
    await settled(pilot)
    await pilot.press("e")
    await pilot.pause()
    pilot.app.screen.query_one("#f-progress").value = "150"
    await pilot.press("ctrl+s")
    await pilot.pause()
    pilot.app.screen.query_one("#f-progress").scroll_visible(animate=False)
    await pilot.pause()


SCREENS = {
    "dashboard": press_and_settle(),
    "challenges": press_and_settle("2"),
    "actions": press_and_settle("3"),
    "form_error": form_with_error,
}


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen(snap_compare, demo_db, tmp_path, lang, screen):
    set_language(lang)  # before the app exists: its key labels are translated when it is made
    app = CooptermApp(demo_db, today=TODAY, config=Config(path=tmp_path / "config.toml"))
    assert snap_compare(app, terminal_size=SIZE, run_before=SCREENS[screen])
