"""Snapshots of what issue 14 fixed at 80×24, in French and in English: the plans screen
(period and counts whole), the keys help (Textual's own keys in the user's language) and
the command palette (its placeholder).  Every screen's footer keeps 1–7, ? and q.

Update after an intended change with ``pytest tests/app/test_snapshots_80x24.py --snapshot-update``.
"""

from __future__ import annotations

import pytest

from coopterm.config import Config
from coopterm.i18n import set_language
from coopterm.ui.app import CooptermApp
from tests.helpers import SNAPSHOT_SIZE, TODAY, press_and_settle

SCREENS = {
    "plans": press_and_settle("7"),
    "keys_help": press_and_settle("3", "question_mark"),
    "palette": press_and_settle("ctrl+p"),
}


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen(snap_compare, frozen_demo_db, tmp_path, lang, screen):
    set_language(lang)  # before the app exists: its key labels are translated when it is made
    app = CooptermApp(frozen_demo_db, today=TODAY, config=Config(path=tmp_path / "config.toml"))
    assert snap_compare(app, terminal_size=SNAPSHOT_SIZE, run_before=SCREENS[screen])
