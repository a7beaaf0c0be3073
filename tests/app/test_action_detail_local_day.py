"""The action detail's "latest meeting" is the day the meeting was held on its own clocks (issue 14):
a meeting at 01:00 in Tamatave (UTC+3) started at 22:00 UTC the evening before."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import col, select

from coopterm.domain.plans import current_plan
from coopterm.i18n import set_language
from coopterm.models import Action, Challenge, Decision, Meeting, Town
from coopterm.ui.screens.actions import ActionsScreen
from coopterm.ui.widgets.virtual_table import VirtualTable
from tests.helpers import SIZE, make_app, open_screen, settle


def move_latest_meeting_of_t3_to_tamatave(db) -> None:
    """The newest meeting that discussed T.3 becomes the technical group of Tamatave held on
    1 June 2021 at 01:00 local time (31 May 22:00 UTC)."""
    with db.write() as s:
        plan = current_plan(s)
        action = s.exec(select(Action).join(Challenge, col(Challenge.id) == col(Action.challenge_id))
                        .where(Challenge.plan_id == plan.id, Challenge.number == 0, Action.number == 3)).one()
        meeting = s.exec(select(Meeting).join(Decision, col(Decision.meeting_id) == col(Meeting.id))
                         .where(Decision.action_id == action.id).order_by(col(Meeting.starts_at).desc())).first()
        tamatave = s.exec(select(Town).where(Town.name == "Tamatave")).one()
        assert tamatave.time_zone == "Indian/Antananarivo"
        meeting.town_id, meeting.remote = tamatave.id, False
        meeting.starts_at = dt.datetime(2021, 5, 31, 22, 0, tzinfo=dt.timezone.utc)
        s.add(meeting)


@pytest.mark.parametrize(("lang", "local_day", "utc_day"), [("en", "2021-06-01", "2021-05-31"),
                                                           ("fr", "01/06/2021", "31/05/2021")])
async def test_the_last_meeting_line_gives_the_local_day(demo_db, tmp_path, lang, local_day, utc_day):
    move_latest_meeting_of_t3_to_tamatave(demo_db)
    set_language(lang)
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        table = (await open_screen(pilot, app, "3", ActionsScreen)).query_one(VirtualTable)
        await pilot.press("slash", *"forum")
        await settle(pilot, app)
        await pilot.press("enter")  # back to the table
        await settle(pilot, app)
        assert table.get_row(0).code == "T.3"
        detail = str(app.screen.query_one("#action-detail").render())
    assert local_day in detail and utc_day not in detail
