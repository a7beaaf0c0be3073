"""The app stays alive and listening: a toast past its time, keys typed while the file opens."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time

import pytest
from textual.notifications import Notification
from textual.widgets._toast import Toast

from coopterm.store import open_database
from coopterm.ui.screens.actions import ActionsScreen
from coopterm.ui.screens.dashboard import DashboardScreen
from coopterm.ui.screens.meetings import MeetingsScreen
from coopterm.ui.timers import SHORTEST_DELAY
from tests.helpers import SIZE, make_app, settle

# A toast mounted after its notification's life ran out: Toast.__init__ reads
# time_left (negative here, as the clock had moved on), Toast._on_mount starts a
# timer with it.  The notification is "raised" five seconds ago, which is exactly
# what a clock past its end looks like to the toast, on every run.
_EXPIRED_TOAST = """
import sys, time
from textual.app import App
from textual.notifications import Notification
from textual.widgets._toast import Toast

if sys.argv[1] == "guarded":
    from coopterm.ui.timers import guard_timers
    guard_timers()

class Probe(App):
    def on_mount(self):
        expired = Notification("saved", timeout=1, raised_at=time.time() - 5)
        self.mount(Toast(expired))
        self.set_timer(0.3, lambda: self.exit(0))

Probe().run(headless=True)
print("alive")
"""


def _run_probe(mode: str, patience: float) -> subprocess.CompletedProcess[str] | None:
    """The probe's result, or None when it froze (still running after ``patience`` seconds;
    it needs about one when it does not)."""
    try:
        return subprocess.run([sys.executable, "-c", textwrap.dedent(_EXPIRED_TOAST), mode],
                              capture_output=True, text=True, timeout=patience)
    except subprocess.TimeoutExpired:
        return None


def test_the_guard_keeps_an_expired_toast_from_freezing_the_app() -> None:
    done = _run_probe("guarded", patience=30)
    assert done is not None, "the guarded app froze"
    assert done.returncode == 0 and "alive" in done.stdout, done.stderr


def test_textual_still_freezes_without_the_guard() -> None:
    """The bug ui/timers.py works around, reproduced as it was met.  When this fails,
    Textual has fixed it: remove ui/timers.py and this test."""
    assert _run_probe("unguarded", patience=5) is None


async def test_an_expired_toast_in_the_app_is_simply_not_shown(demo_db, tmp_path) -> None:
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        expired = Notification("saved", timeout=1, raised_at=time.time() - 5)
        toast = Toast(expired)
        await app.screen.mount(toast)
        assert toast._timeout < 0  # what froze Textual 8.2.8
        await pilot.pause(SHORTEST_DELAY * 20)
        await settle(pilot, app)
        assert not toast.is_attached
        await pilot.press("5")  # and the app still answers keys
        await settle(pilot, app)
        assert isinstance(app.screen, MeetingsScreen)


async def test_a_screen_key_typed_while_the_file_opens_is_kept(tmp_path) -> None:
    """``3`` pressed before the gauges filled used to do nothing."""
    from coopterm.demo import create_demo_database

    path = create_demo_database(tmp_path / "demo.db")
    release = threading.Event()

    def slow_opener():  # a file on a slow USB key
        assert release.wait(10)
        return open_database(path, create=False, verify=False)

    app = make_app(None, tmp_path, opener=slow_opener)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.db is None and isinstance(app.screen, DashboardScreen)
        await pilot.press("3")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)  # nothing to show yet
        release.set()
        await settle(pilot, app)
        for _ in range(50):
            if isinstance(app.screen, ActionsScreen):
                break
            await pilot.pause(0.05)
        assert isinstance(app.screen, ActionsScreen)
        assert app.screen.table.row_count == 11
    app.db.close()


@pytest.mark.parametrize("delay", [-0.00005, 0, float("nan")])
async def test_timers_asked_for_no_time_fire_at_once(delay: float, demo_db, tmp_path) -> None:
    app = make_app(demo_db, tmp_path)
    fired = threading.Event()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        app.set_timer(delay, fired.set)
        await pilot.pause(SHORTEST_DELAY * 20)
        assert fired.is_set()
