"""The funding and projects screen (key 6) driven from the keyboard, and its snapshots."""

from __future__ import annotations

import pytest
from sqlmodel import select

from coopterm.config import Config
from coopterm.i18n import set_language
from coopterm.models import Funding, Indicator, Measurement, NewProject, NewProjectTown
from coopterm.ui.app import CooptermApp
from coopterm.ui.forms.funding_line import FundingForm
from coopterm.ui.forms.indicator import ManualIndicatorForm
from coopterm.ui.forms.measurement import MeasurementForm
from coopterm.ui.forms.project import ProjectForm
from coopterm.ui.forms.target import TargetForm
from coopterm.ui.screens.confirm import ConfirmScreen
from coopterm.ui.screens.dashboard import DashboardScreen
from coopterm.ui.screens.funding import FundingScreen
from coopterm.ui.widgets.picker import Picker
from coopterm.ui.widgets.virtual_table import VirtualTable
from coopterm.vocabulary import IndicatorStatus
from tests.helpers import (
    SIZE,
    TODAY,
    gauges,
    make_app,
    open_screen,
    press_and_settle,
    revisions,
    settle,
    settled,
    type_into,
)


async def pick(pilot, app, field: str, *names: str) -> None:
    """Choose each name in a picker from the keyboard: type to filter, enter to toggle."""
    picker = app.screen.query_one(f"#f-{field}", Picker)
    for name in names:
        picker.focus()
        picker._filter.value = ""
        await pilot.press(*name)
        await pilot.press("enter")
        await pilot.pause()


async def open_funding(pilot, app) -> FundingScreen:
    return await open_screen(pilot, app, "6", FundingScreen)


# --- funding --------------------------------------------------------------------------------


async def test_funding_list_with_totals(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_funding(pilot, app)
        assert screen.table("funding").row_count == 11
        totals = str(screen.query_one("#funding-totals").render())
        assert "Total: €193,000" in totals
        assert "2019" in totals and "Ville de Saint-Étienne" in totals and "T.4" in totals


async def test_add_a_contribution_from_the_keyboard(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_funding(pilot, app)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, FundingForm)
        await pilot.press(*"Région")
        await type_into(pilot, app, "amount", "17 100,50")
        await type_into(pilot, app, "year", "2021")
        await pick(pilot, app, "action_id", "T.3")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is screen
        with demo_db.read() as s:
            row = s.exec(select(Funding).where(Funding.funder == "Région")).one()
        assert (row.amount_cents, row.year) == (1_710_050, 2021) and row.action_id is not None
        assert screen.table("funding").row_count == 12
        assert "€17,100.50" in str(screen.query_one("#funding-totals").render())


async def test_refused_amount_saves_nothing_and_escape_leaves(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_funding(pilot, app)
        before = revisions(demo_db, Funding)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"MEAE")
        await type_into(pilot, app, "amount", "17,100")
        await type_into(pilot, app, "year", "1800")
        await pilot.press("ctrl+s")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FundingForm)
        assert "decimals" in str(form.query_one("#e-amount").render())
        assert "1900" in str(form.query_one("#e-year").render())
        assert revisions(demo_db, Funding) == before
        await type_into(pilot, app, "amount", "-3")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "negative" in str(form.query_one("#e-amount").render())
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, FundingScreen)
        assert revisions(demo_db, Funding) == before


async def test_edit_then_delete_a_contribution(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_funding(pilot, app)
        first = screen.table("funding").current_row
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, FundingForm)
        await type_into(pilot, app, "amount", "14500")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        with demo_db.read() as s:
            assert s.get(Funding, first.id).amount_cents == 1_450_000
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot, app)
        with demo_db.read() as s:
            assert s.get(Funding, first.id).deleted_at is not None
        assert screen.table("funding").row_count == 10


# --- projects ----------------------------------------------------------------------------------


async def test_new_multilateral_project_moves_the_dashboard_gauge(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert gauges(app)["new_projects"].value == 2
        screen = await open_funding(pilot, app)
        await pilot.press("p")
        await pilot.pause()
        assert screen.table("projects").row_count == 2
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ProjectForm)
        await pilot.press(*"Festival")
        await pick(pilot, app, "towns", "Sierre", "Monastir", "Katowice")
        await pick(pilot, app, "origin_action_id", "1.1")
        await type_into(pilot, app, "started_on", "01/06/2021")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is screen
        assert screen.table("projects").row_count == 3
        with demo_db.read() as s:
            project = s.exec(select(NewProject).where(NewProject.title == "Festival")).one()
            links = s.exec(select(NewProjectTown).where(NewProjectTown.project_id == project.id)).all()
        assert project.scope.value == "multilateral" and len(links) == 3 and project.origin_action_id
        await pilot.press("1")
        await settle(pilot, app)
        assert isinstance(app.screen, DashboardScreen)
        assert gauges(app)["new_projects"].value == 3
        assert gauges(app)["new_projects"].details == {"bilateral": 1, "multilateral": 2}


async def test_bilateral_project_with_three_towns_is_refused(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_funding(pilot, app)
        await pilot.press("p", "n")
        await pilot.pause()
        before = revisions(demo_db, NewProject, NewProjectTown)
        await pilot.press(*"Jumelage")
        app.screen.query_one("#f-scope").value = "bilateral"
        await pick(pilot, app, "towns", "Sierre", "Monastir", "Katowice")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ProjectForm)
        assert "exactly 2" in str(app.screen.query_one("#e-towns").render())
        assert revisions(demo_db, NewProject, NewProjectTown) == before
        await pilot.press("escape")
        await settle(pilot, app)
        assert revisions(demo_db, NewProject, NewProjectTown) == before


# --- indicators ------------------------------------------------------------------------------


async def test_a_target_change_moves_the_gauge_status(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert gauges(app)["completion_rate"].status is IndicatorStatus.AT_RISK
        screen = await open_funding(pilot, app)
        await pilot.press("i")
        await pilot.pause()
        assert screen.table("indicators").current_row.id == "completion_rate"
        before = revisions(demo_db, Indicator)
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TargetForm)
        await type_into(pilot, app, "target", "beaucoup")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, TargetForm) and revisions(demo_db, Indicator) == before
        await type_into(pilot, app, "target", "70")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert screen.table("indicators").current_row.status is IndicatorStatus.REACHED
        await pilot.press("1")
        await settle(pilot, app)
        assert gauges(app)["completion_rate"].status is IndicatorStatus.REACHED
        assert gauges(app)["completion_rate"].target == 70


async def test_manual_indicator_with_two_measurements_on_the_dashboard(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_funding(pilot, app)
        await pilot.press("i", "n")
        await pilot.pause()
        assert isinstance(app.screen, ManualIndicatorForm)
        before = revisions(demo_db, Indicator)
        await pilot.press(*"Visiteurs")
        await type_into(pilot, app, "target", "-1")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ManualIndicatorForm)
        assert "negative" in str(app.screen.query_one("#e-target").render())
        assert revisions(demo_db, Indicator) == before
        await type_into(pilot, app, "target", "500")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        table = screen.table("indicators")
        assert table.row_count == 5
        await pilot.press("end")
        await pilot.pause()
        for date, value in (("2021-05-01", "495,5"), ("01/03/2021", "120")):
            await pilot.press("m")
            await pilot.pause()
            assert isinstance(app.screen, MeasurementForm)
            await type_into(pilot, app, "measured_on", date)
            await type_into(pilot, app, "value", value)
            await pilot.press("ctrl+s")
            await settle(pilot, app)
        # a refused measurement: nothing saved
        await pilot.press("m")
        await pilot.pause()
        await type_into(pilot, app, "value", "beaucoup")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MeasurementForm)
        await pilot.press("escape")
        await settle(pilot, app)
        with demo_db.read() as s:
            assert len(s.exec(select(Measurement)).all()) == 2
        assert table.current_row.value == 495.5
        assert "Measurements: 2;" in str(screen.query_one("#indicator-detail").render())
        await pilot.press("1")
        await settle(pilot, app)
        shown = list(gauges(app).values())
        assert len(shown) == 5 and shown[4].key.startswith("manual:")
        assert shown[4].label == "Visiteurs" and shown[4].value == 495.5 and shown[4].target == 500


async def test_sections_switch_and_palette_commands(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_funding(pilot, app)
        for key, section in (("p", "projects"), ("i", "indicators"), ("f", "funding")):
            await pilot.press(key)
            await pilot.pause()
            assert screen.section == section
            assert isinstance(app.focused, VirtualTable) and app.focused.id == f"{section}-table"
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Funding and projects: New contribution", "Funding and projects: New project",
                "Funding and projects: Show indicators"} <= set(titles)
        command = next(c for c in app.get_system_commands(app.screen) if c.title.endswith("New manual indicator"))
        command.callback()
        await settle(pilot, app)
        assert isinstance(app.screen, ManualIndicatorForm)


# --- snapshots ------------------------------------------------------------------------------------


async def funding_form_with_error(pilot) -> None:
    await settled(pilot)
    await pilot.press("6")
    await settled(pilot)
    await pilot.press("n")
    await pilot.pause()
    pilot.app.screen.query_one("#f-funder").value = "Région"
    pilot.app.screen.query_one("#f-amount").value = "17,100"
    await pilot.press("ctrl+s")
    await pilot.pause()


async def project_form_with_error(pilot) -> None:
    await settled(pilot)
    await pilot.press("6")
    await settled(pilot)
    await pilot.press("p", "n")
    await pilot.pause()
    pilot.app.screen.query_one("#f-title").value = "Jumelage"
    pilot.app.screen.query_one("#f-scope").value = "bilateral"
    await pilot.press("ctrl+s")
    await pilot.pause()


SCREENS = {
    "funding": press_and_settle("6"),
    "projects": press_and_settle("6", "p"),
    "indicators": press_and_settle("6", "i"),
    "funding_form_error": funding_form_with_error,
    "project_form_error": project_form_with_error,
}


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen(snap_compare, frozen_demo_db, tmp_path, lang, screen):
    set_language(lang)
    app = CooptermApp(frozen_demo_db, today=TODAY, config=Config(path=tmp_path / "config.toml"))
    assert snap_compare(app, terminal_size=(80, 24), run_before=SCREENS[screen])


async def test_a_hidden_section_is_read_when_it_is_shown(demo_db, tmp_path):
    """The funding screen opens on the contributions: the indicators (which recount the
    whole plan) are read when their section is shown, and again after a change only then."""
    from tests.app.test_app_plans import count_calls

    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        reads: list[str] = []
        count_calls(app.data.indicators, "rows", reads)
        screen = await open_funding(pilot, app)
        assert reads == [] and screen.table("funding").row_count > 0
        await pilot.press("i")
        await settle(pilot, app)
        assert reads == ["rows"] and screen.table("indicators").row_count > 0
        await pilot.press("f")
        await settle(pilot, app)
        app.plan_changed(None)
        await settle(pilot, app)
        assert reads == ["rows"]
        await pilot.press("i")
        await settle(pilot, app)
        assert reads == ["rows", "rows"]
