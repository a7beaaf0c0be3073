"""The plans and défis screens at 80×24: period and counts whole, titles cut only where the
room ends; wider terminals give titles more room, never cut headers."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from coopterm.i18n import set_language
from coopterm.ui.screens.challenges import ChallengesScreen
from coopterm.ui.screens.plans import PlansScreen
from tests.helpers import SNAPSHOT_SIZE, make_app, open_screen, settle


def visible_lines(app) -> list[str]:
    """The table's lines as the terminal shows them (the header first)."""
    table = app.screen.query_one(DataTable)
    return [strip.text for strip in table.render_lines(table.region.reset_offset)][: table.row_count + 1]


@pytest.mark.parametrize("lang", ["fr", "en"])
async def test_plans_show_period_and_counts_at_80x24(demo_db, tmp_path, lang):
    set_language(lang)
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        screen = await open_screen(pilot, app, "7", PlansScreen)
        header, *rows = visible_lines(app)
        period, challenges, actions = (("Période", "Défis", "Fiches") if lang == "fr"
                                       else ("Period", "Challenges", "Actions"))
        assert period in header and challenges in header and actions in header, header
        for plan in app.data.plans.rows():
            line = next(line for line in rows if plan.title[:10] in line)
            assert line.rstrip().endswith(f"{plan.challenges}  {' ' * (len(challenges) - len(str(plan.challenges)))}"
                                          f"{plan.actions}"), line
            assert "→" in line and len(line) <= SNAPSHOT_SIZE[0]
        assert screen.query_one(DataTable).size.width <= SNAPSHOT_SIZE[0]


async def test_plan_titles_take_the_room_of_a_wide_terminal(demo_db, tmp_path):
    set_language("en")
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await open_screen(pilot, app, "7", PlansScreen)
        header, *rows = visible_lines(app)
        assert "Challenges" in header
        assert all(plan.title in "\n".join(rows) for plan in app.data.plans.rows())  # whole, no "…"
        await pilot.resize_terminal(*SNAPSHOT_SIZE)
        await settle(pilot, app)
        header, *rows = visible_lines(app)
        assert "Challenges" in header and "…" in "\n".join(rows)


@pytest.mark.parametrize(("size", "cut"), [((80, 24), True), ((120, 40), False)])
async def test_challenge_titles_are_cut_only_where_the_room_ends(demo_db, tmp_path, size, cut):
    set_language("fr")
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=size) as pilot:
        await open_screen(pilot, app, "2", ChallengesScreen)
        header, *rows = visible_lines(app)
        assert "Avancement" in header
        assert any("…" in row for row in rows) is cut
        for row in rows:  # a cut title runs up to the next column: no room is left unused
            if "…" in row:
                assert header.index("Fiches") - row.index("…") <= 3, (header, row)


@pytest.mark.parametrize(("size", "kind_shown"), [((80, 24), False), ((120, 40), True)])
async def test_meeting_titles_keep_their_room_at_80_columns(demo_db, tmp_path, size, kind_shown):
    """At 80 columns the kind and the number of attendees give way (the detail shows both)
    so that a title reads as more than its first words; from 100 columns they are back."""
    from coopterm.ui.screens.meetings import MeetingsScreen

    set_language("fr")
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=size) as pilot:
        screen = await open_screen(pilot, app, "5", MeetingsScreen)
        keys = [column.key for column in screen.table.columns]
        assert ("kind" in keys) is kind_shown and ("attendees" in keys) is kind_shown
        assert keys[-1] == "title"
        text = "\n".join(strip.text for strip in screen.table.render_lines(screen.table.region.reset_offset))
        assert "Groupe de suivi technique n°" in text, text
        if not kind_shown:
            await pilot.resize_terminal(120, 40)
            await settle(pilot, app)
            assert "kind" in [column.key for column in screen.table.columns]
