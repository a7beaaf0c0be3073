"""The pilots screen driven from the keyboard: people, their actions, deletion that asks
what to do with the actions, partner towns; plus its snapshots in French and English."""

from __future__ import annotations

import pytest
from sqlmodel import select

from coopterm.config import Config
from coopterm.domain.actions import ActionQuery, fetch_actions
from coopterm.i18n import set_language
from coopterm.models import ActionPilot, MeetingAttendee, Person, PlanTown, Town
from coopterm.ui.app import CooptermApp
from coopterm.ui.forms.person import PersonForm
from coopterm.ui.forms.town import TownForm
from coopterm.ui.screens.choose import ChooseScreen
from coopterm.ui.screens.confirm import ConfirmScreen
from coopterm.ui.screens.pilots import LeadsQuestion, PilotsScreen
from coopterm.ui.widgets.virtual_table import VirtualTable
from tests.helpers import SIZE, SNAPSHOT_SIZE, TODAY, make_app, open_screen, settle, settled, type_text


async def open_pilots(pilot, app) -> PilotsScreen:
    screen = await open_screen(pilot, app, "4", PilotsScreen)
    await pilot.pause(0.1)
    return screen


def people_table(app) -> VirtualTable:
    return app.screen.query_one("#people-table", VirtualTable)


def names(app) -> list[str]:
    table = people_table(app)
    return [table.get_row(i).name for i in range(table.row_count)]


def person_id(db, name):
    with db.read() as s:
        return s.exec(select(Person.id).where(Person.name == name, Person.deleted_at.is_(None))).one()


def pilots_by_code(db) -> dict[str, tuple[str, ...]]:
    from coopterm.domain.plans import current_plan

    with db.read() as s:
        plan = current_plan(s)
        return {r.code: r.pilots for r in fetch_actions(s, plan.id, ActionQuery(), 0, 100)}


def state(db) -> list:
    """People, their links and towns with revisions: what a refusal or a cancel must not change."""
    with db.read() as s:
        return [sorted((r.id, r.revision, r.deleted_at) for r in s.exec(select(m)))
                for m in (Person, ActionPilot, MeetingAttendee, Town, PlanTown)]


async def choose_person(pilot, app, name: str) -> None:
    """Select ``name`` in the table with the filter, then leave the filter."""
    await pilot.press("slash")
    await type_text(pilot, name)
    await pilot.press("enter")
    await settle(pilot, app)
    await pilot.pause(0.1)
    assert people_table(app).current_row.name.startswith(name)


# --- the list -----------------------------------------------------------------------------------


async def test_key_4_and_the_palette_reach_the_screen(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("4")
        await settle(pilot, app)
        assert isinstance(app.screen, PilotsScreen)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for command in ("New lead", "Edit lead", "Delete lead", "Filter leads", "Add partner town",
                        "Edit partner town"):
            assert f"Leads: {command}" in titles
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "Leads: Add partner town")
        command.callback()
        await settle(pilot, app)
        assert isinstance(app.screen, TownForm)


async def test_people_with_their_load_and_the_actions_they_lead(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_pilots(pilot, app)
        assert len(names(app)) == 14 and names(app)[0] == "Adel Janeb"
        gilles = next(people_table(app).get_row(i) for i in range(14)
                      if people_table(app).get_row(i).name == "Gilles Chabré")
        assert (gilles.town, gilles.load, gilles.led) == ("Saint-Étienne", 1, 1)
        await choose_person(pilot, app, "Gilles")
        detail = str(screen.query_one("#person-detail").render())
        assert "Gilles Chabré — Saint-Étienne" in detail
        assert "T.4" in detail and "in progress" in detail and "1 open" in detail


async def test_filter_as_you_type_and_escape_clears(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_pilots(pilot, app)
        await pilot.press("slash")
        await type_text(pilot, "sierre")
        await settle(pilot, app)
        assert names(app) == ["Laurent Dupont", "Philippe Frossard"]  # by town
        assert "2 people" in str(screen.query_one("#people-filter-summary").render())
        await pilot.press("escape")
        await settle(pilot, app)
        assert len(names(app)) == 14
        assert screen.query_one("#people-filter").value == ""


# --- create and edit -------------------------------------------------------------------------------


async def test_invalid_email_is_refused_with_nothing_saved_then_saved_when_fixed(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_pilots(pilot, app)
        before = state(demo_db)
        await pilot.press("n")
        await settle(pilot, app)
        form = app.screen
        assert isinstance(form, PersonForm)
        await type_text(pilot, "Zoe Martin")
        form.query_one("#f-email").value = "zoe@ville"
        form.query_one("#f-organisation").value = "Ville de Sierre"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "is not an email address" in str(form.query_one("#e-email").render())
        assert state(demo_db) == before
        form.query_one("#f-email").value = "zoe@sierre.ch"
        form.query_one("#f-phone").value = "+41 27 452 01 11"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, PilotsScreen)
        assert "Zoe Martin" in names(app)
    with demo_db.read() as s:
        zoe = s.exec(select(Person).where(Person.name == "Zoe Martin")).one()
        assert (zoe.email, zoe.phone, zoe.organisation, zoe.town_id) == (
            "zoe@sierre.ch", "+41 27 452 01 11", "Ville de Sierre", None)


async def test_edit_a_person_with_a_town_from_the_picker_and_escape_changes_nothing(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_pilots(pilot, app)
        await choose_person(pilot, app, "Adel Janeb")
        before = state(demo_db)
        await pilot.press("e")
        await settle(pilot, app)
        assert isinstance(app.screen, PersonForm)
        app.screen.query_one("#f-role").value = "Brouillon"
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, PilotsScreen)
        assert state(demo_db) == before
        await pilot.press("enter")  # enter edits too
        await settle(pilot, app)
        form = app.screen
        form.query_one("#f-role").value = "Chef de projet"
        form.query_one("#f-town_id").focus()
        await type_text(pilot, "sierre")
        await pilot.press("enter")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, PilotsScreen)
    with demo_db.read() as s:
        adel = s.get(Person, person_id(demo_db, "Adel Janeb"))
        assert adel.role == "Chef de projet"
        assert s.get(Town, adel.town_id).name == "Sierre"


# --- delete ------------------------------------------------------------------------------------------


async def test_delete_with_another_lead_keeps_the_order_without_duplicates(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_pilots(pilot, app)
        await choose_person(pilot, app, "Jean-Christophe Peyre")
        await pilot.press("delete")
        await settle(pilot, app)
        assert isinstance(app.screen, LeadsQuestion)
        assert app.screen.question == ("Jean-Christophe Peyre leads 1 action: 2.1.\n"
                                       "They attended 29 meetings: the attendance stays on record.")
        await pilot.press("r")
        await settle(pilot, app)
        assert isinstance(app.screen, ChooseScreen)
        await type_text(pilot, "robert")
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, PilotsScreen)
        await pilot.press("escape")
        await choose_person(pilot, app, "Aleksandra Monsiol")
        await pilot.press("delete")
        await settle(pilot, app)
        await pilot.press("r")
        await settle(pilot, app)
        await type_text(pilot, "robert")
        await pilot.press("enter")
        await settle(pilot, app)
        await pilot.press("escape")
        await settle(pilot, app)
        assert "Aleksandra Monsiol" not in names(app) and len(names(app)) == 12
        robert = next(people_table(app).get_row(i) for i in range(12)
                      if people_table(app).get_row(i).name == "Robert Pyka")
        assert robert.led == 3
    pilots = pilots_by_code(demo_db)
    assert pilots["2.1"] == ("Robert Pyka", "Michèle Thomassery")  # in Jean-Christophe's place
    assert pilots["T.3"] == ("Robert Pyka",)  # Robert already led it: once
    assert pilots["1.2"] == ("Robert Pyka",)
    with demo_db.read() as s:
        gone = s.exec(select(Person).where(Person.name == "Aleksandra Monsiol")).one()
        assert gone.deleted_at is not None
        assert s.exec(select(MeetingAttendee).where(MeetingAttendee.person_id == gone.id,
                                                    MeetingAttendee.deleted_at.is_(None))).all()


async def test_delete_leaving_the_actions_without_this_lead(demo_db, tmp_path):
    set_language("fr")
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_pilots(pilot, app)
        await choose_person(pilot, app, "Nejib")
        await pilot.press("delete")
        await settle(pilot, app)
        assert app.screen.question == ("Nejib Slama pilote 1 fiche-action : 3.2.\n"
                                       "Présence à 29 réunions : elles restent inscrites.")
        await pilot.press("l")
        await settle(pilot, app)
        assert isinstance(app.screen, PilotsScreen)
    assert pilots_by_code(demo_db)["3.2"] == ("Leïla Benabdelghani",)


async def test_escape_on_the_question_or_the_choice_changes_nothing(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_pilots(pilot, app)
        await choose_person(pilot, app, "Sigol")
        before = state(demo_db)
        await pilot.press("delete")
        await settle(pilot, app)
        assert "leads 2 actions: T.1, T.2" in app.screen.question
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, PilotsScreen)
        await pilot.press("delete")
        await settle(pilot, app)
        await pilot.press("r")
        await settle(pilot, app)
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, PilotsScreen)
        assert state(demo_db) == before
        assert people_table(app).current_row.name == "Sigolène Saunier-Hrustic"


async def test_delete_someone_who_leads_nothing_asks_a_plain_question(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_pilots(pilot, app)
        await pilot.press("n")
        await settle(pilot, app)
        await type_text(pilot, "Temp")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        await choose_person(pilot, app, "Temp")
        await pilot.press("delete")
        await settle(pilot, app)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot, app)
        assert names(app) == []
    with demo_db.read() as s:
        assert s.exec(select(Person).where(Person.name == "Temp")).one().deleted_at is not None


# --- towns ---------------------------------------------------------------------------------------------


async def test_towns_list_add_reuse_and_edit(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_pilots(pilot, app)
        await pilot.press("t")
        await settle(pilot, app)
        towns = screen.query_one("#towns-table", VirtualTable)
        assert towns.row_count == 5 and towns.get_row(0).name == "Katowice"
        before = state(demo_db)
        await pilot.press("n")
        await settle(pilot, app)
        assert isinstance(app.screen, TownForm)
        await type_text(pilot, "sierre")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "already a partner town" in str(app.screen.query_one("#e-name").render())
        assert state(demo_db) == before
        app.screen.query_one("#f-name").value = "Geneve"
        app.screen.query_one("#f-country").value = "Suisse"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert [towns.get_row(i).name for i in range(towns.row_count)][:2] == ["Geneve", "Katowice"]
        await pilot.press("home")
        await pilot.press("e")
        await settle(pilot, app)
        assert app.screen.query_one("#f-name").value == "Geneve"
        app.screen.query_one("#f-name").value = "Genève"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert towns.get_row(0).name == "Genève" and towns.row_count == 6
        await pilot.press("t")
        await settle(pilot, app)
        assert people_table(app).has_focus
    with demo_db.read() as s:
        assert len(s.exec(select(Town).where(Town.name == "Genève")).all()) == 1


# --- snapshots -------------------------------------------------------------------------------------------


async def snap_pilots(pilot) -> None:
    await open_pilots(pilot, pilot.app)
    await pilot.press("down", "down")
    await pilot.pause(0.2)
    await settled(pilot)


async def snap_form_error(pilot) -> None:
    await open_pilots(pilot, pilot.app)
    await pilot.press("e")
    await settled(pilot)
    form = pilot.app.screen
    form.query_one("#f-email").value = "adel.janeb@monastir"
    await pilot.press("ctrl+s")
    await pilot.pause()
    form.query_one("#f-email").scroll_visible(animate=False)
    await settled(pilot)


async def snap_towns(pilot) -> None:
    await open_pilots(pilot, pilot.app)
    await pilot.press("t")
    await settled(pilot)


SNAPSHOTS = {"pilots": snap_pilots, "pilots_form_error": snap_form_error, "towns": snap_towns}


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("screen", list(SNAPSHOTS))
def test_screen(snap_compare, frozen_demo_db, tmp_path, lang, screen):
    set_language(lang)  # before the app exists: its key labels are translated when it is made
    app = CooptermApp(frozen_demo_db, today=TODAY, config=Config(path=tmp_path / "config.toml"))

    async def run_before(pilot) -> None:
        await settled(pilot)
        await SNAPSHOTS[screen](pilot)

    assert snap_compare(app, terminal_size=SNAPSHOT_SIZE, run_before=run_before)
