"""Snapshot tests: what the user sees on each screen, in French and in English, at 80×24.

The demo copy gets fixed change times and the app a fixed date, so a snapshot only
changes when the interface does.  Update after an intended change with
``pytest tests/app --snapshot-update`` and look at the report.
"""

from __future__ import annotations

import pytest

from coopterm.config import Config
from coopterm.i18n import set_language
from coopterm.ui.app import CooptermApp
from tests.helpers import TODAY, press_and_settle, settled

SIZE = (80, 24)


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
def test_screen(snap_compare, frozen_demo_db, tmp_path, lang, screen):
    set_language(lang)  # before the app exists: its key labels are translated when it is made
    app = CooptermApp(frozen_demo_db, today=TODAY, config=Config(path=tmp_path / "config.toml"))
    assert snap_compare(app, terminal_size=SIZE, run_before=SCREENS[screen])
