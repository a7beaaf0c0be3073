"""What every pilot-driven app test does: make the app on a test database, let it settle."""

from __future__ import annotations

import datetime as dt

from coopterm.config import Config
from coopterm.ui.app import CooptermApp

TODAY = dt.date(2021, 6, 15)
"""The day the app believes it is, so due dates and gauges do not move with the calendar."""


def make_app(db, tmp_path, **kw) -> CooptermApp:
    return CooptermApp(db, today=TODAY, config=Config(path=tmp_path / "config.toml"), **kw)


async def settle(pilot, app) -> None:
    """Let queued messages and every worker (database reads, merges) finish."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
