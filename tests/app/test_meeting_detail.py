"""Issue 14 at the keyboard: the read-only detail of a meeting (Enter), meeting times typed
and shown in local time with their zone, and the new plan form's vision, rhythm, zone and
targets, in both languages."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select

from coopterm.config import Config
from coopterm.domain.plans import current_plan
from coopterm.i18n import set_language
from coopterm.models import Decision, Indicator, Meeting, Plan, Town
from coopterm.ui.app import CooptermApp
from coopterm.ui.forms.meeting import MeetingForm
from coopterm.ui.forms.plan import PlanForm
from coopterm.ui.forms.plan_settings import PlanEditForm
from coopterm.ui.forms.town import TownForm
from coopterm.ui.screens.meetings import MeetingsScreen
from coopterm.ui.screens.pilots import PilotsScreen
from coopterm.ui.screens.plans import PlansScreen
from coopterm.ui.widgets.picker import Picker
from coopterm.ui.widgets.virtual_table import VirtualTable
from tests.helpers import SIZE, SNAPSHOT_SIZE, TODAY, make_app, open_screen, press_and_settle, settle


def zoned(db) -> None:
    """The demo plan in Paris time, Tamatave in Madagascar's (as the demo itself now names them)."""
    with db.write() as s:
        plan = current_plan(s)
        plan.time_zone = "Europe/Paris"
        s.add(plan)
        tamatave = s.exec(select(Town).where(Town.name == "Tamatave")).one()
        tamatave.time_zone = "Indian/Antananarivo"
        s.add(tamatave)


def text_of(widget) -> str:
    rendered = widget.render()
    return getattr(rendered, "plain", str(rendered))


def detail_text(app) -> str:
    return text_of(app.screen.query_one("#meeting-detail").query_one("Literal"))


async def test_enter_shows_the_meeting_read_only_and_e_still_edits(demo_db, tmp_path):
    zoned(demo_db)
    with demo_db.write() as s:  # a decision in brackets must read as typed, never as markup
        meeting = s.exec(select(Meeting).where(Meeting.deleted_at.is_(None))
                         .order_by(Meeting.starts_at.desc())).first()
        s.add(Decision(meeting_id=meeting.id, text="Relire [b]le[/b] budget [/]"))
        meeting_id = meeting.id
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, app, "5", MeetingsScreen)
        table = screen.query_one(VirtualTable)
        assert table.current_row.id == meeting_id
        assert not screen.query_one("#meeting-detail").display
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.screen is screen and screen.query_one("#meeting-detail").display
        shown = detail_text(app)
        row = table.current_row
        local = row.local_start
        assert f"{local:%H:%M} {local.tzname()}" in shown and "Europe/Paris" in shown
        assert row.town_name in shown and "Relire [b]le[/b] budget [/]" in shown
        assert "Attendees:" in shown and "Decisions:" in shown and "Survey:" in shown
        await pilot.press("down")
        await settle(pilot, app)
        following = table.current_row
        assert following.id != meeting_id and following.title in detail_text(app)
        await pilot.press("enter")
        await settle(pilot, app)
        assert not screen.query_one("#meeting-detail").display
        await pilot.press("e")
        await settle(pilot, app)
        assert isinstance(app.screen, MeetingForm) and app.screen.meeting_id == following.id


async def test_a_time_typed_in_a_town_is_read_in_that_towns_zone(demo_db, tmp_path):
    """14:00 in Saint-Étienne (the plan's Paris time) in July is 12:00 UTC; the label says so,
    and follows the town chosen: Tamatave reads it on Madagascar's clocks."""
    zoned(demo_db)
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, app, "5", MeetingsScreen)
        await pilot.press("n")
        await settle(pilot, app)
        form = app.screen
        assert isinstance(form, MeetingForm)
        label = form.query_one("#l-time")
        assert text_of(label) == "Time (HH:MM, Europe/Paris)"
        towns = form.query_one("#f-town_id", Picker)
        names = {name: town for town, name in towns.choices}
        towns.toggle(names["Tamatave"])
        await pilot.pause()
        assert text_of(label) == "Time (HH:MM, Indian/Antananarivo)"
        towns.toggle(names["Saint-Étienne"])
        await pilot.pause()
        assert text_of(label) == "Time (HH:MM, Europe/Paris)"
        for name, value in {"title": "Forum d'été", "date": "2021-07-14", "time": "14:00"}.items():
            form.query_one(f"#f-{name}").value = value
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, MeetingsScreen)
    with demo_db.read() as s:
        saved = s.exec(select(Meeting).where(Meeting.title == "Forum d'été")).one()
    assert saved.starts_at.astimezone(dt.timezone.utc) == dt.datetime(2021, 7, 14, 12, 0, tzinfo=dt.timezone.utc)


async def test_the_new_plan_form_asks_for_vision_rhythm_zone_and_targets(demo_db, tmp_path, monkeypatch):
    monkeypatch.setenv("TZ", "Africa/Ouagadougou")
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, app, "7", PlansScreen)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, PlanForm)
        assert form.query_one("#f-towns").placeholder == "Katowice (Poland), Monastir (Tunisia)"
        assert form.value("time_zone") == "Africa/Ouagadougou"  # this machine's
        assert (form.value("tech_group_every_weeks"), form.value("coordination_every_weeks")) == ("6", "8")
        for name, value in {"title": "Chinon – Étaules – Tenkodogo", "start_date": "2016-01-01",
                            "end_date": "2018-12-31", "towns": "Chinon (France), Tenkodogo (Burkina Faso)",
                            "tech_group_every_weeks": "10", "target_completion_rate": "80",
                            "target_new_projects": "2"}.items():
            form.query_one(f"#f-{name}").value = value
        form.query_one("#f-vision").text = "Trois villes, une coopération"
        form.query_one("#f-time_zone").value = "Mars/Olympus"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form and "Mars/Olympus" in text_of(form.query_one("#e-time_zone"))
        form.query_one("#f-time_zone").value = "Europe/Paris"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.title == "Chinon – Étaules – Tenkodogo"
    with demo_db.read() as s:
        plan = current_plan(s)
        targets = {i.key: i.target for i in s.exec(select(Indicator).where(Indicator.plan_id == plan.id))}
        assert s.get(Plan, plan.id).time_zone == "Europe/Paris"
    assert (plan.vision, plan.tech_group_every_weeks, plan.coordination_every_weeks) == (
        "Trois villes, une coopération", 10, 8)
    assert targets == {"completion_rate": 80, "new_projects": 2}


async def test_the_french_new_plan_form_speaks_french(demo_db, tmp_path):
    set_language("fr")
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, app, "7", PlansScreen)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.query_one("#f-towns").placeholder == "Katowice (Pologne), Monastir (Tunisie)"
        labels = " ".join(text_of(label) for label in app.screen.query(".field-label"))
        assert "Fuseau horaire" in labels and "Cible — Taux de réalisation" in labels


async def test_the_plan_and_a_town_name_their_zones_and_the_list_follows(demo_db, tmp_path):
    """The plan's settings take Europe/Paris (an unknown zone refused beside its field), the
    town form gives Tamatave Madagascar's; the meetings list then writes CET/CEST and EAT."""
    with demo_db.write() as s:  # the demo as a file made before zones: every time in UTC
        plan = current_plan(s)
        plan.time_zone = "UTC"
        s.add(plan)
        for town in s.exec(select(Town)):
            town.time_zone = ""
            s.add(town)
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, app, "7", PlansScreen)
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, PlanEditForm) and form.value("time_zone") == "UTC"
        form.query_one("#f-time_zone").value = "Europe/Pariss"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form and "Europe/Pariss" in text_of(form.query_one("#e-time_zone"))
        form.query_one("#f-time_zone").value = "Europe/Paris"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        screen = await open_screen(pilot, app, "4", PilotsScreen)
        await pilot.press("t")
        await settle(pilot, app)
        towns = screen.query_one("#towns-table", VirtualTable)
        towns.cursor_row = next(i for i in range(towns.row_count) if towns.get_row(i).name == "Tamatave")
        await pilot.press("e")
        await settle(pilot, app)
        assert isinstance(app.screen, TownForm) and app.screen.value("time_zone") == ""
        app.screen.query_one("#f-time_zone").value = "Indian/Antananarivo"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        meetings = (await open_screen(pilot, app, "5", MeetingsScreen)).query_one(VirtualTable)
        rows = [meetings.get_row(i) for i in range(12)]
    with demo_db.read() as s:
        assert current_plan(s).time_zone == "Europe/Paris"
    assert {r.local_start.tzname() for r in rows if r.town_name == "Tamatave"} == {"EAT"}
    assert {r.local_start.tzname() for r in rows if r.town_name != "Tamatave"} <= {"CET", "CEST"}


# --- at 80×24, in both languages ----------------------------------------------------------------


SCREENS = {
    "meeting_detail": press_and_settle("5", "enter"),
    "new_plan_form": press_and_settle("7", "n"),
}


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen(snap_compare, frozen_demo_db, tmp_path, monkeypatch, lang, screen):
    """The meetings in Paris and Madagascar time with the detail of the latest one; the new
    plan form as it opens (this machine's zone pinned to Paris)."""
    monkeypatch.setenv("TZ", "Europe/Paris")
    zoned(frozen_demo_db)
    set_language(lang)
    app = CooptermApp(frozen_demo_db, today=TODAY, config=Config(path=tmp_path / "config.toml"))
    assert snap_compare(app, terminal_size=SNAPSHOT_SIZE, run_before=SCREENS[screen])
