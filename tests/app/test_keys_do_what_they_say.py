"""Keys that do what they say: the saved row becomes the selected one, confirmation dialogs
answer to arrows, Enter, y/o/n, ``o`` reverses the sort, a refused save shows no toast over the
form, and the cursor follows the form's order."""

from __future__ import annotations

from textual.widgets import Button

from coopterm.i18n import set_language
from coopterm.models import Action, Funding
from coopterm.ui.forms.base import FormScreen
from coopterm.ui.forms.challenge import ChallengeForm
from coopterm.ui.forms.funding_line import FundingForm
from coopterm.ui.forms.measurement import MeasurementForm
from coopterm.ui.screens.actions import ActionsScreen
from coopterm.ui.screens.confirm import ConfirmScreen
from tests.app.test_app import open_actions, rows
from tests.app.test_app_funding import open_funding
from tests.helpers import SIZE, make_app, settle, type_into


def detail_text(app) -> str:
    return str(app.screen.query_one("#action-detail").render())


async def test_a_new_action_becomes_the_selected_row_and_its_detail_shows(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_actions(pilot, app)
        assert table.current_row.code == "T.1"
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("#f-title").value = "Jumeler deux incubateurs"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, ActionsScreen)
        assert table.current_row.title == "Jumeler deux incubateurs"
        assert "Jumeler deux incubateurs" in detail_text(app)


async def test_delete_after_adding_a_funding_line_proposes_the_new_line(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_funding(pilot, app)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, FundingForm)
        await type_into(pilot, app, "funder", "Zzz Fondation")
        await type_into(pilot, app, "amount", "100")
        await type_into(pilot, app, "year", "2020")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert screen.table("funding").current_row.funder == "Zzz Fondation"
        await pilot.press("delete")
        await settle(pilot, app)
        assert isinstance(app.screen, ConfirmScreen) and "Zzz Fondation" in app.screen.question
        await pilot.press("y")
        await settle(pilot, app)
    assert [f.deleted_at is not None for f in rows(demo_db, Funding, Funding.funder == "Zzz Fondation")] == [True]


async def test_confirmation_arrows_move_between_buttons_and_enter_presses_the_focused_one(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_actions(pilot, app)
        doomed = table.current_row
        await pilot.press("delete")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, ConfirmScreen) and dialog.focused.id == "no"
        await pilot.press("left")
        assert dialog.focused.id == "yes"
        await pilot.press("right")
        assert dialog.focused.id == "no"
        await pilot.press("enter")  # "No": nothing deleted, and it says so
        await settle(pilot, app)
        assert isinstance(app.screen, ActionsScreen)
        assert any("Nothing deleted" in n.message for n in app._notifications)
        await pilot.press("delete")
        await settle(pilot, app)
        await pilot.press("left", "enter")  # "Yes, delete"
        await settle(pilot, app)
        assert table.row_count == 10
    assert rows(demo_db, Action, Action.id == doomed.id)[0].deleted_at is not None


async def test_o_answers_yes_and_n_no_in_french(demo_db, tmp_path):
    set_language("fr")
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_actions(pilot, app)
        await pilot.press("delete")
        await settle(pilot, app)
        assert app.screen.query_one("#no", Button).label.plain == "Non"
        await pilot.press("n")
        await settle(pilot, app)
        assert table.row_count == 11
        await pilot.press("delete")
        await settle(pilot, app)
        await pilot.press("o")
        await settle(pilot, app)
        assert table.row_count == 10


async def test_o_reverses_the_sorted_column_then_moves_to_the_next(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_actions(pilot, app)
        screen = app.screen
        seen = []
        for _ in range(4):
            await pilot.press("o")
            await settle(pilot, app)
            seen.append((screen.query_state.sort, screen.query_state.descending))
        assert seen == [("code", True), ("title", False), ("title", True), ("status", False)]
        assert (table.sort_key, table.sort_descending) == ("status", False)


async def new_challenge_form(pilot, app) -> ChallengeForm:
    """The défis screen (2), then a new défi (n): the form, as it opens."""
    await settle(pilot, app)
    await pilot.press("2")
    await settle(pilot, app)
    await pilot.press("n")
    await pilot.pause()
    assert isinstance(app.screen, ChallengeForm)
    return app.screen


async def test_a_refused_save_shows_its_reasons_in_the_form_without_a_toast(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        form = await new_challenge_form(pilot, app)
        await pilot.press("ctrl+s")  # no title
        await settle(pilot, app)
        assert app.screen is form
        assert list(app._notifications) == []
        assert form.query_one("#e-title").has_class("-shown")
        refusal = form.query_one("#form-refusal")
        assert refusal.has_class("-shown") and "Nothing was saved" in str(refusal.render())


async def test_the_challenge_form_starts_in_its_first_field_the_title(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        form = await new_challenge_form(pilot, app)
        assert form.focused.id == "f-title" and form.field_names[0] == "title"


async def test_the_measurement_form_starts_in_the_date(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_funding(pilot, app)
        await pilot.press("i", "n")
        await pilot.pause()
        await pilot.press(*"Visiteurs")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        await pilot.press("end")
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, MeasurementForm)
        assert form.focused.id == "f-measured_on" and form.field_names[0] == "measured_on"


async def test_the_field_with_the_cursor_is_scrolled_into_view(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_actions(pilot, app)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        towns = form.query_one("#f-towns")
        scroller = form.query_one(".form-fields")
        for child in towns.query("*"):
            if child.can_focus:
                child.focus()
                break
        await pilot.pause()
        top, height = scroller.scroll_offset.y, scroller.scrollable_content_region.height
        region = towns.virtual_region
        assert top <= region.y and region.y + region.height <= top + height


async def test_typing_in_a_choice_list_reaches_that_lists_own_filter(demo_db, tmp_path):
    """Tab through the action form into the pilots' list, then the towns' list: letters typed
    in each list filter that list, never the other one."""
    from coopterm.ui.widgets.picker import Picker

    set_language("fr")
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_actions(pilot, app)
        await pilot.press("n")
        await settle(pilot, app)
        pilots, towns = app.screen.query_one("#f-pilots", Picker), app.screen.query_one("#f-towns", Picker)
        async def tab_into_list(picker: Picker) -> None:
            for _ in range(12):  # title, number, status… then each list's filter, then the list
                if app.focused in picker.walk_children() and app.focused is not picker._filter:
                    return
                await pilot.press("tab")

        await tab_into_list(pilots)
        await pilot.press("k", "a")
        await settle(pilot, app)
        assert (pilots.filter_text, towns.filter_text) == ("ka", "")
        await tab_into_list(towns)
        await pilot.press("m", "o")
        await settle(pilot, app)
        assert (pilots.filter_text, towns.filter_text) == ("ka", "mo")
        assert app.focused is towns._filter and towns.visible_ids
