"""The meetings screen driven from the keyboard, and its snapshots at 80×24."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select

from coopterm.config import Config
from coopterm.domain import zones
from coopterm.i18n import set_language
from coopterm.models import Decision, Meeting, MeetingAttendee, Town
from coopterm.ui.app import CooptermApp
from coopterm.ui.forms.meeting import DecisionRow, MeetingForm
from coopterm.ui.forms.period import PeriodForm
from coopterm.ui.screens.choose import ChooseScreen
from coopterm.ui.screens.confirm import ConfirmScreen
from coopterm.ui.screens.dashboard import DashboardScreen
from coopterm.ui.screens.meetings import MeetingsScreen
from coopterm.ui.widgets.gauge import IndicatorGauge
from coopterm.ui.widgets.picker import Picker
from coopterm.ui.widgets.rhythm import RhythmPanel
from coopterm.ui.widgets.virtual_table import VirtualTable
from coopterm.vocabulary import MeetingKind
from tests.helpers import SIZE, SNAPSHOT_SIZE, TODAY, make_app, open_screen, press_and_settle, settle

DEMO_MEETINGS = 153


async def open_meetings(pilot, app) -> MeetingsScreen:
    return await open_screen(pilot, app, "5", MeetingsScreen)


def state(db) -> list[tuple]:
    """Every meeting, attendee and decision row with its revision, to prove nothing changed."""
    with db.read() as s:
        return sorted(
            (type(r).__name__, r.id.hex, r.revision, r.deleted_at)
            for model in (Meeting, MeetingAttendee, Decision) for r in s.exec(select(model))
        )


def table(app) -> VirtualTable:
    return app.screen.query_one(VirtualTable)


def town_id(db, name):
    with db.read() as s:
        return s.exec(select(Town.id).where(Town.name == name)).one()


def fill(form, **values) -> None:
    for name, value in values.items():
        form.query_one(f"#f-{name}").value = value


def satisfaction_gauge(app):
    return next(g.result for g in app.screen.query(IndicatorGauge) if g.result.key == "satisfaction_rate")


# --- the list ----------------------------------------------------------------------------------


async def test_key_5_lists_meetings_newest_first_with_the_rhythm(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_meetings(pilot, app)
        assert table(app).row_count == DEMO_MEETINGS
        rows = [table(app).get_row(i) for i in range(5)]
        assert [r.starts_at for r in rows] == sorted((r.starts_at for r in rows), reverse=True)
        panel = screen.query_one(RhythmPanel)
        assert panel.due and not panel.plan_over
        assert any(d.kind is MeetingKind.COORDINATION for d in panel.due)


async def test_filters_by_kind_town_period_and_text_and_escape_clears(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_meetings(pilot, app)
        await pilot.press("K")
        await pilot.pause()
        assert isinstance(app.screen, ChooseScreen)
        app.screen.query_one(Picker).toggle("forum")
        await settle(pilot, app)
        assert table(app).row_count == 3
        summary = str(screen.query_one("#filter-summary").render())
        assert "forum" in summary and "3" in summary
        await pilot.press("escape")
        await settle(pilot, app)
        assert table(app).row_count == DEMO_MEETINGS
        assert not screen.query_one("#filter-summary").display

        await pilot.press("T")
        await pilot.pause()
        app.screen.query_one(Picker).toggle(town_id(demo_db, "Sierre"))
        await settle(pilot, app)
        sierre = table(app).row_count
        assert 0 < sierre < DEMO_MEETINGS
        assert all(table(app).get_row(i).town_name == "Sierre" for i in range(sierre))
        assert "Sierre" in str(screen.query_one("#filter-summary").render())

        await pilot.press("P")
        await pilot.pause()
        assert isinstance(app.screen, PeriodForm)
        fill(app.screen, date_from="01/01/2020", date_to="2019-01-01")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PeriodForm)  # refused: the end before the start
        fill(app.screen, date_from="01/01/2020", date_to="31/12/2020")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        in_2020 = table(app).row_count
        assert 0 < in_2020 < sierre
        assert all(table(app).get_row(i).starts_at.year == 2020 for i in range(in_2020))

        await pilot.press("escape", "slash")
        await pilot.press(*"forum annuel")
        await settle(pilot, app)
        assert table(app).row_count == 2
        await pilot.press("enter", "escape")
        await settle(pilot, app)
        assert table(app).row_count == DEMO_MEETINGS


async def test_palette_and_keys(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Meetings: New meeting", "Meetings: Next meeting", "Meetings: Filter by period",
                "Meetings: Filter by kind", "Meetings: Filter by town"} <= set(titles)
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "Meetings: New meeting")
        command.callback()
        await settle(pilot, app)
        assert isinstance(app.screen, MeetingForm)


# --- the form ------------------------------------------------------------------------------------


async def test_record_a_meeting_with_decisions_and_survey_moves_the_satisfaction_gauge(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        before = satisfaction_gauge(app)
        await open_meetings(pilot, app)
        await pilot.press("n")
        await settle(pilot, app)
        form = app.screen
        assert isinstance(form, MeetingForm)
        fill(form, title="Coordination extraordinaire", date="20/06/2021", time="14:30",
             survey_very_satisfied="0", survey_satisfied="0", survey_not_very_satisfied="10",
             survey_not_satisfied="10")
        attendees = form.query_one("#f-attendees", Picker)
        for choice_id, _ in attendees.choices[:3]:
            attendees.toggle(choice_id)
        form.query_one("#f-remote").value = True
        form.query_one("#f-minutes").text = "Ligne 1\nLigne 2"
        for n in range(2):
            await pilot.press("ctrl+n")
            await pilot.pause()
            await pilot.press(*f"D{n}")
            row = list(form.query(DecisionRow))[-1]
            picker = row.query_one(Picker)
            picker.toggle(picker.choices[n][0])
        await pilot.press("ctrl+n", "ctrl+r")  # a third row, removed again
        await pilot.pause()
        assert len(form.query(DecisionRow)) == 2
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, MeetingsScreen)
        with demo_db.read() as s:
            meeting = s.exec(select(Meeting).where(Meeting.title == "Coordination extraordinaire")).one()
            decisions = s.exec(select(Decision).where(Decision.meeting_id == meeting.id)).all()
            attendees_saved = s.exec(select(MeetingAttendee).where(MeetingAttendee.meeting_id == meeting.id)).all()
        assert meeting.remote and meeting.minutes == "Ligne 1\nLigne 2"
        # a remote meeting is typed on the plan's clocks: 14:30 in Paris (CEST) is 12:30 UTC
        assert meeting.starts_at == dt.datetime(2021, 6, 20, 12, 30, tzinfo=dt.timezone.utc)
        assert sorted(d.text for d in decisions) == ["D0", "D1"] and all(d.action_id for d in decisions)
        assert len(attendees_saved) == 3
        await pilot.press("1")
        await settle(pilot, app)
        assert isinstance(app.screen, DashboardScreen)
        after = satisfaction_gauge(app)
        assert after.value < before.value
        assert after.details["responses"] == before.details["responses"] + 20


async def test_remote_and_town_is_refused_and_nothing_saved(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_meetings(pilot, app)
        before = state(demo_db)
        await pilot.press("n")
        await settle(pilot, app)
        form = app.screen
        fill(form, title="Réunion")
        form.query_one("#f-remote").value = True
        form.query_one("#f-town_id", Picker).toggle(town_id(demo_db, "Monastir"))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "not both" in str(form.query_one("#e-remote").render())
        assert state(demo_db) == before


async def test_half_filled_survey_is_refused_and_nothing_saved(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_meetings(pilot, app)
        before = state(demo_db)
        await pilot.press("n")
        await settle(pilot, app)
        form = app.screen
        fill(form, title="Réunion", survey_very_satisfied="4", survey_satisfied="2")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "all four" in str(form.query_one("#e-survey").render())
        fill(form, survey_not_very_satisfied="1", survey_not_satisfied="-1")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "whole number" in str(form.query_one("#e-survey_not_satisfied").render())
        assert state(demo_db) == before
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, MeetingsScreen)
        assert state(demo_db) == before


async def test_edit_with_e_and_escape_changes_nothing(demo_db, tmp_path):
    """``e`` edits (Enter shows the read-only detail since issue 14: test_meeting_detail.py)."""
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_meetings(pilot, app)
        before = state(demo_db)
        first = table(app).current_row
        await pilot.press("e")
        await settle(pilot, app)
        form = app.screen
        assert isinstance(form, MeetingForm) and form.meeting_id == first.id
        assert form.value("title") == first.title
        fill(form, title="Changé")
        await pilot.press("escape")
        await settle(pilot, app)
        assert state(demo_db) == before
        await pilot.press("e")
        await settle(pilot, app)
        fill(app.screen, title="Changé")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert table(app).current_row.title == "Changé"


async def test_delete_asks_then_leaves_tombstones(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_meetings(pilot, app)
        row = table(app).current_row
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        await settle(pilot, app)
        assert table(app).row_count == DEMO_MEETINGS
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot, app)
        assert table(app).row_count == DEMO_MEETINGS - 1
    with demo_db.read() as s:
        meeting = s.get(Meeting, row.id)
        links = s.exec(select(MeetingAttendee).where(MeetingAttendee.meeting_id == row.id)).all()
    assert meeting.deleted_at is not None and links and all(a.deleted_at is not None for a in links)


async def test_next_meeting_prefills_and_creates_only_on_save(demo_db, tmp_path):
    with demo_db.write() as s:  # an open decision on the latest coordination
        latest = s.exec(select(Meeting).where(Meeting.kind == MeetingKind.COORDINATION)
                        .order_by(Meeting.starts_at.desc())).first()
        s.add(Decision(meeting_id=latest.id, text="Relancer les financeurs", done=False))
        s.add(Decision(meeting_id=latest.id, text="Déjà fait", done=True))
        latest_id, latest_start = latest.id, latest.starts_at
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_meetings(pilot, app)
        await pilot.press("K")
        await pilot.pause()
        app.screen.query_one(Picker).toggle("coordination")
        await settle(pilot, app)
        assert table(app).current_row.id == latest_id
        before, coordinations = state(demo_db), table(app).row_count
        await pilot.press("x")
        await settle(pilot, app)
        form = app.screen
        assert isinstance(form, MeetingForm) and form.meeting_id is None
        local = zones.to_local(latest_start, "Europe/Paris")  # a remote call: on the plan's clocks
        expected = local.date() + dt.timedelta(weeks=8)
        assert form.value("date") == expected.isoformat() and form.value("time") == local.strftime("%H:%M") == "14:00"
        agenda = form.query_one("#f-agenda").text
        assert "- Relancer les financeurs" in agenda and "Déjà fait" not in agenda
        assert form.query_one("#f-remote").value is True
        await pilot.press("escape")
        await settle(pilot, app)
        assert state(demo_db) == before  # escape: no meeting created
        await pilot.press("x")
        await settle(pilot, app)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert table(app).row_count == coordinations + 1
    with demo_db.read() as s:
        created = s.exec(select(Meeting).where(Meeting.starts_at == latest_start + dt.timedelta(weeks=8))).one()
        assert "Relancer les financeurs" in created.agenda and created.kind == MeetingKind.COORDINATION


# --- snapshots ---------------------------------------------------------------------------------



async def form_with_error(pilot) -> None:
    await press_and_settle("5", "n")(pilot)
    form = pilot.app.screen
    form.query_one("#f-title").value = "Réunion"
    form.query_one("#f-remote").value = True
    form.query_one("#f-town_id").toggle(form.query_one("#f-town_id").choices[0][0])
    await pilot.press("ctrl+s")
    await pilot.pause()
    form.query_one("#f-remote").scroll_visible(animate=False, top=True)
    await pilot.pause()


SCREENS = {
    "meetings": press_and_settle("5"),
    "meeting_form": press_and_settle("5", "e"),
    "meeting_form_error": form_with_error,
}


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen(snap_compare, frozen_demo_db, tmp_path, lang, screen):
    set_language(lang)
    app = CooptermApp(frozen_demo_db, today=TODAY, config=Config(path=tmp_path / "config.toml"))
    assert snap_compare(app, terminal_size=SNAPSHOT_SIZE, run_before=SCREENS[screen])
