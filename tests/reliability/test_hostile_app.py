"""Every screen of the app, on a plan whose every text is hostile (tests/hostile.py).

The app is driven with Textual's pilot and, at each stop, what it would send to the
terminal is taken from the compositor: the exact bytes a real terminal receives.
At every stop: no exception, no control character but the ones Textual itself
writes (cursor moves and colours), and the data's words where they belong.
"""

from __future__ import annotations

import re

import pytest

from coopterm.store import open_database
from coopterm.text import printable
from tests.helpers import make_app, settle
from tests.hostile import CONTROL, GROUPS, grouped, write_hostile_plan

SIZE = (120, 40)
_TEXTUAL_SEQUENCES = re.compile(r"\x1b\[[0-9;:?]*[A-Za-z]")
"""What Textual's own renderer writes: cursor positions and colours (CSI … letter)."""


def terminal_bytes(app) -> str:
    """What a terminal would receive for a full repaint of the current screen."""
    return app.screen._compositor.render_full_update().render_segments(app.console)


def seen_text(raw: str) -> str:
    return _TEXTUAL_SEQUENCES.sub("", raw)


def needle(text: str) -> str:
    """A piece of the hostile text a table cell of the narrowest screen still shows whole."""
    return printable(text)[:10].strip()


@pytest.mark.parametrize("group", list(GROUPS))
async def test_every_screen_shows_hostile_text_literally(group: str, tmp_path) -> None:
    text = grouped(group)
    db = open_database(write_hostile_plan(tmp_path / "hostile.db", text))
    app = make_app(db, tmp_path)
    shown: dict[str, str] = {}

    async with app.run_test(size=SIZE) as pilot:
        async def look(where: str, *keys: str) -> None:
            for key in keys:
                await pilot.press(key)
            await settle(pilot, app)
            raw = terminal_bytes(app)
            visible = seen_text(raw)
            bad = CONTROL.search(visible)
            assert bad is None, f"{where}: control {bad.group()!r} reaches the terminal"
            shown[where] = visible

        await look("dashboard")
        await look("challenges", "2")
        await look("challenge form", "e")
        await look("challenge number taken", "ctrl+a", "backspace", "backspace", "0", "ctrl+s")
        await look("back to challenges", "escape")
        await look("actions", "3")
        await look("action detail and history", "h")
        detail = app.screen.query_one("#action-detail").render()
        flat = getattr(detail, "plain", str(detail)).replace("\n", " ")
        assert printable(text)[:80].replace("\n", " ") in flat  # every character there, controls as pictures
        await look("action form", "enter")
        await look("action form refused", "escape")
        await look("pilots", "4")
        await look("person form", "e")
        await look("back to pilots", "escape")
        await look("towns", "t")
        await look("town form", "e")
        await look("back to towns", "escape", "t")
        await look("meetings", "5")
        await look("meeting history", "h")
        await look("meeting form", "e")
        await look("back to meetings", "escape")
        await look("funding", "6")
        await look("funding form", "e")
        await look("back to funding", "escape")
        await look("projects", "p")
        await look("indicators", "i")
        await look("plans", "7")
        await look("plan form", "e")
        await look("back to plans", "escape")
        await look("keys", "question_mark")
        await look("palette", "escape", "ctrl+p")
        await look("back", "escape")
        app.action_review_conflicts()
        await look("conflicts")
        await pilot.press("q")

    db.close()
    piece = needle(text)
    for where in ("dashboard", "challenges", "actions", "action detail and history", "pilots", "towns",
                  "meetings", "funding", "projects", "indicators", "plans", "conflicts"):
        assert piece in shown[where], f"{where}: {piece!r} is not shown"


async def test_controls_pasted_into_a_form_are_not_saved(demo_db, tmp_path) -> None:
    """An ESC sequence pasted into a title, a NUL and a lone carriage return in the notes:
    the title keeps its words without the controls, the notes keep their lines and tabs."""
    from sqlmodel import select
    from textual.widgets import TextArea

    from coopterm.models import Action
    from coopterm.ui.forms.action import ActionForm
    from coopterm.ui.screens.actions import ActionsScreen

    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("3")
        await settle(pilot, app)
        await pilot.press("n")
        await settle(pilot, app)
        form = app.screen
        assert isinstance(form, ActionForm)
        form.query_one("#f-title").value = "Jumeler \x1b]0;pwned\x07deux\u202e incubateurs\x9b"
        form.query_one("#f-notes", TextArea).text = "Ligne 1\r\nLigne\t2\x00\rLigne 3\x1b[2J"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, ActionsScreen)
    with demo_db.read() as session:
        saved = session.exec(select(Action).where(Action.title.startswith("Jumeler"))).one()
    assert saved.title == "Jumeler ]0;pwneddeux incubateurs"
    assert saved.notes == "Ligne 1\nLigne\t2\nLigne 3[2J"
