"""What the tests share: the app on a test database at a fixed day, waiting for it to
settle, opening a screen, typing, and the state of rows a refusal must leave as it was."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import select

from coopterm.config import Config
from coopterm.ui.app import CooptermApp

TODAY = dt.date(2021, 6, 15)
"""The day the app believes it is, so due dates and gauges do not move with the calendar."""

SIZE = (100, 32)
"""The terminal of the pilot-driven tests: room for every column and key."""

SNAPSHOT_SIZE = (80, 24)
"""The terminal of the snapshots: the smallest a user is expected to have."""

KEY_NAMES = {" ": "space", "/": "slash", "@": "at", ".": "full_stop", ",": "comma", "-": "minus", ":": "colon"}
"""Characters Textual's pilot presses by name."""


def make_app(db: Any, tmp_path: Any, **kw: Any) -> CooptermApp:
    return CooptermApp(db, today=TODAY, config=Config(path=tmp_path / "config.toml"), **kw)


async def settle(pilot: Any, app: Any) -> None:
    """Let queued messages and every worker (database reads, merges) finish."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def settled(pilot: Any) -> None:
    """:func:`settle` for a snapshot, with the subtitle every snapshot shows."""
    pilot.app.sub_title = "demo.db"
    await settle(pilot, pilot.app)


def press_and_settle(*keys: str) -> Any:
    """A snapshot's ``run_before``: settle, then press each key and settle again."""
    async def run_before(pilot: Any) -> None:
        await settled(pilot)
        for key in keys:
            await pilot.press(key)
            await settled(pilot)

    return run_before


async def open_screen(pilot: Any, app: Any, key: str, screen_type: type) -> Any:
    """Press a screen's number key and return the screen once its rows are read."""
    await settle(pilot, app)
    await pilot.press(key)
    await settle(pilot, app)
    assert isinstance(app.screen, screen_type), app.screen
    return app.screen


async def type_text(pilot: Any, text: str) -> None:
    """Type ``text`` key by key, as a person does."""
    await pilot.press(*[KEY_NAMES.get(c, c) for c in text])


async def type_into(pilot: Any, app: Any, field: str, text: str) -> None:
    """Empty the form field ``field``, then type ``text`` into it."""
    widget = app.screen.query_one(f"#f-{field}")
    widget.focus()
    widget.value = ""
    if text:
        await type_text(pilot, text)
    await pilot.pause()


def gauges(app: Any) -> dict[str, Any]:
    """The dashboard's indicators as its gauges show them, by key."""
    from coopterm.ui.widgets.gauge import IndicatorGauge

    return {g.result.key: g.result for g in app.screen.query(IndicatorGauge) if g.result is not None}


def revisions(db: Any, *models: type) -> list[list[tuple]]:
    """Every row of ``models`` with its revision and deletion: equal before and after
    means nothing was written."""
    with db.read() as s:
        return [sorted((r.id, r.revision, r.deleted_at) for r in s.exec(select(m))) for m in models]


def file_contents(path: Any, *, skip: Any = ()) -> dict[str, list[tuple]]:
    """Every table of a database file but ``skip``, rows sorted: what two files that hold
    the same data agree on, read with the plain ``sqlite3`` module (no coopterm code)."""
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {n: sorted(conn.execute(f"SELECT * FROM {n}").fetchall(), key=repr)
                for n in names if n not in skip and not n.startswith("sqlite_")}
    finally:
        conn.close()
