"""The app driven like a person uses it: keys in, screens and the database checked."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from sqlmodel import select

from coopterm.config import load_config
from coopterm.i18n import set_language
from coopterm.models import Action, Challenge
from coopterm.ui.app import CooptermApp
from coopterm.ui.forms.action import ActionForm
from coopterm.ui.forms.challenge import ChallengeForm
from coopterm.ui.forms.plan import PlanForm
from coopterm.ui.screens.actions import ActionsScreen
from coopterm.ui.screens.challenges import ChallengesScreen
from coopterm.ui.screens.confirm import ConfirmScreen
from coopterm.ui.screens.dashboard import DashboardScreen
from coopterm.ui.screens.first_run import FirstRunScreen
from coopterm.ui.screens.keys_help import KeysScreen
from coopterm.ui.widgets.virtual_table import VirtualTable
from coopterm.vocabulary import ActionStatus
from tests.helpers import SIZE, TODAY, gauges, make_app, open_screen, settle


def rows(db, model, *conditions):
    with db.read() as s:
        return s.exec(select(model).where(*conditions)).all()


def snapshot(db) -> list[tuple]:
    """Every action's business fields, to prove a refusal changed nothing."""
    with db.read() as s:
        return sorted((a.id, a.title, a.status, a.progress, a.deleted_at, a.revision) for a in s.exec(select(Action)))


# --- the shell -------------------------------------------------------------------------

async def test_opens_on_the_dashboard_with_the_four_gauges(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert isinstance(app.screen, DashboardScreen)
        values = gauges(app)
        assert list(values) == ["completion_rate", "satisfaction_rate", "multilateral_share", "new_projects"]
        assert values["completion_rate"].value == pytest.approx(800 / 11)
        assert app.title.startswith("Plan d'action multilatéral")
        assert str(demo_db.path) in app.sub_title


async def test_number_keys_switch_screens_and_q_quits(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("2")
        await settle(pilot, app)
        assert isinstance(app.screen, ChallengesScreen)
        await pilot.press("3")
        await settle(pilot, app)
        assert isinstance(app.screen, ActionsScreen)
        assert app.screen.query_one(VirtualTable).row_count == 11
        await pilot.press("1")
        await settle(pilot, app)
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("q")
    assert app.return_code == 0


async def test_question_mark_lists_every_key_of_the_screen(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("3")
        await settle(pilot, app)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, KeysScreen)
        described = dict(app.screen.rows)
        assert described["/"] == "Filter" and described["s"] == "Next status" and described["q"] == "Quit"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ActionsScreen)


async def test_palette_lists_the_commands_of_every_screen(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Challenges: New challenge" in titles
        assert "Actions: New action" in titles and "Actions: Filter by town" in titles
        assert "Go to Actions" in titles and "Change theme" in titles


async def test_palette_command_runs_on_its_screen(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "Actions: New action")
        command.callback()
        await settle(pilot, app)
        assert isinstance(app.screen, ActionForm)


async def test_theme_choice_is_remembered(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        app.theme = "nord"
        await pilot.pause()
    assert load_config(tmp_path / "config.toml").theme == "nord"
    again = CooptermApp(demo_db, today=TODAY, config=load_config(tmp_path / "config.toml"))
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot, again)
        assert again.theme == "nord"


async def test_french_interface(demo_db, tmp_path):
    set_language("fr")
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("question_mark")
        await pilot.pause()
        described = dict(app.screen.rows)
        assert described["1"] == "Tableau de bord" and described["3"] == "Fiches-actions"


# --- first run ------------------------------------------------------------------------------

async def test_first_run_offers_the_demo(db, tmp_path):
    app = make_app(db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert isinstance(app.screen, FirstRunScreen)
        await pilot.press("d")
        await settle(pilot, app)
        assert isinstance(app.screen, DashboardScreen)
        assert gauges(app)["completion_rate"].target == 90


async def test_first_run_creates_a_plan_and_refuses_bad_input(db, tmp_path):
    from coopterm.domain.plans import list_plans

    app = make_app(db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, PlanForm)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PlanForm)
        assert "required" in str(app.screen.query_one("#e-title").render())
        with db.read() as s:
            assert list_plans(s) == []
        form = app.screen
        form.query_one("#f-title").value = "Plan 2024-2026"
        form.query_one("#f-start_date").value = "01/01/2024"
        form.query_one("#f-end_date").value = "31/12/2023"
        form.query_one("#f-towns").value = "Sierre (Suisse), Monastir"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "before its start" in str(form.query_one("#e-end_date").render())
        form.query_one("#f-end_date").value = "31/12/2026"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, DashboardScreen)
        assert gauges(app)["completion_rate"].value is None  # no action yet: no data, not 0 %
    with db.read() as s:
        (plan,) = list_plans(s)
        assert (plan.title, plan.end_date) == ("Plan 2024-2026", dt.date(2026, 12, 31))


# --- défis ------------------------------------------------------------------------------------

async def test_create_edit_and_delete_a_challenge(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("2")
        await settle(pilot, app)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ChallengeForm)
        assert app.screen.query_one("#f-number").value == "4"
        await pilot.press("ctrl+s")  # empty title
        await pilot.pause()
        assert isinstance(app.screen, ChallengeForm)
        assert len(rows(demo_db, Challenge)) == 8  # 4 + 4 of the earlier plan: nothing added
        await pilot.press(*"Ouvrir la coopération aux jeunes")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, ChallengesScreen)
        table = app.screen.query_one("DataTable")
        assert table.row_count == 5
        table.move_cursor(row=4)
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#f-title").value = "Ouvrir la coopération à la jeunesse"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert [c.title for c in rows(demo_db, Challenge, Challenge.title.startswith("Ouvrir"))] == [
            "Ouvrir la coopération à la jeunesse"
        ]
        table.move_cursor(row=4)
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot, app)
        assert table.row_count == 4
    (gone,) = rows(demo_db, Challenge, Challenge.title.startswith("Ouvrir"))
    assert gone.deleted_at is not None  # a tombstone, not an erased row


async def test_enter_on_a_challenge_opens_its_actions(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("2")
        await settle(pilot, app)
        app.screen.query_one("DataTable").move_cursor(row=2)  # défi 2
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, ActionsScreen)
        table = app.screen.query_one(VirtualTable)
        assert table.row_count == 2
        assert [table.get_row(i).code for i in range(2)] == ["2.1", "2.2"]
        assert "challenge" in str(app.screen.query_one("#filter-summary").render())


# --- actions ---------------------------------------------------------------------------------------

async def open_actions(pilot, app) -> VirtualTable:
    return (await open_screen(pilot, app, "3", ActionsScreen)).query_one(VirtualTable)


async def test_filter_as_you_type_and_escape_clears(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_actions(pilot, app)
        await pilot.press("slash", *"forum")
        await pilot.pause()
        assert table.row_count == 1 and table.get_row(0).code == "T.3"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("slash", *"Monsiol")  # a pilot
        await pilot.pause()
        assert sorted(table.get_row(i).code for i in range(table.row_count)) == ["1.2", "T.3"]
        await pilot.press("escape")
        await pilot.press("slash", *"Tamatave")  # a town
        await pilot.pause()
        assert 0 < table.row_count < 11
        assert all("Tamatave" in table.get_row(i).towns for i in range(table.row_count))
        await pilot.press("escape")
        await pilot.pause()
        assert table.row_count == 11
        assert not app.screen.query_one("#filter-summary").display


async def test_quick_filter_by_status(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_actions(pilot, app)
        await app.screen.run_action("filter_status")
        await pilot.pause()
        await pilot.press(*"postponed", "enter")
        await pilot.pause()
        assert table.row_count == 1 and table.get_row(0).code == "2.2"
        assert "status postponed" in str(app.screen.query_one("#filter-summary").render())


async def test_new_action_moves_the_gauges(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_actions(pilot, app)
        before = len(rows(demo_db, Action))
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ActionForm)
        form.query_one("#f-title").value = "Jumeler deux incubateurs"
        form.query_one("#f-status").value = "done"
        form.query_one("#f-progress").value = "100"
        form.query_one("#f-due_date").value = "30/09/2021"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, ActionsScreen)
        assert table.row_count == 12
        assert len(rows(demo_db, Action)) == before + 1
        await pilot.press("1")
        await settle(pilot, app)
        assert gauges(app)["completion_rate"].value == pytest.approx(900 / 12)


async def test_invalid_form_saves_nothing_and_says_why(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_actions(pilot, app)
        before = snapshot(demo_db)
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        form.query_one("#f-title").value = "   "
        form.query_one("#f-progress").value = "4,5"
        form.query_one("#f-start_date").value = "31/02/2021"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "required" in str(form.query_one("#e-title").render())
        assert "whole number" in str(form.query_one("#e-progress").render())
        assert "Invalid date" in str(form.query_one("#e-start_date").render())
        form.query_one("#f-start_date").value = "01/06/2021"
        form.query_one("#f-due_date").value = "01/05/2021"
        form.query_one("#f-title").value = "ok"
        form.query_one("#f-progress").value = "50"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "before the start" in str(form.query_one("#e-due_date").render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ActionsScreen)
    assert snapshot(demo_db) == before


async def test_escape_leaves_the_data_unchanged(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_actions(pilot, app)
        before = snapshot(demo_db)
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#f-title").value = "Changed but not saved"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ActionsScreen)
    assert snapshot(demo_db) == before


async def test_next_status_and_progress_keys(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_actions(pilot, app)
        table.cursor_row = 3  # T.4, in progress at 70 %
        await pilot.pause()
        assert table.current_row.code == "T.4"
        await pilot.press("plus")
        await settle(pilot, app)
        assert table.current_row.progress == 80
        await pilot.press("minus", "minus")
        await settle(pilot, app)
        assert table.current_row.progress == 60
        await pilot.press("s")
        await settle(pilot, app)
        assert table.current_row.status is ActionStatus.DONE
        await pilot.press("1")
        await settle(pilot, app)
        assert gauges(app)["completion_rate"].value == pytest.approx(900 / 11)


async def test_delete_asks_then_leaves_a_tombstone(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_actions(pilot, app)
        doomed = table.current_row
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("escape")  # "no"
        await pilot.pause()
        assert table.row_count == 11
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot, app)
        assert table.row_count == 10
    (row,) = rows(demo_db, Action, Action.id == doomed.id)
    assert row.deleted_at is not None


async def test_sorting_by_column(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_actions(pilot, app)
        table.sort_by("progress")
        await settle(pilot, app)
        progresses = [table.get_row(i).progress for i in range(11)]
        assert progresses == sorted(progresses)
        table.sort_by("progress")
        await settle(pilot, app)
        assert [table.get_row(i).progress for i in range(11)] == sorted(progresses, reverse=True)


# --- live ----------------------------------------------------------------------------------------------

async def test_change_by_another_connection_reaches_the_dashboard(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path, watch_interval=0.1)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert gauges(app)["completion_rate"].value == pytest.approx(800 / 11)
        other = sqlite3.connect(demo_db.path)
        other.execute("UPDATE action SET status = 'done', progress = 100 WHERE status = 'postponed'")
        other.commit()
        other.close()
        for _ in range(40):
            await pilot.pause(0.05)
            await app.workers.wait_for_complete()
            if gauges(app)["completion_rate"].value == pytest.approx(900 / 11):
                break
        assert gauges(app)["completion_rate"].value == pytest.approx(900 / 11)


@pytest.mark.parametrize(
    ("action", "typed", "codes"),
    [
        ("filter_challenge", "PÉPINIÈRE", ["1.1", "1.2", "1.3"]),
        ("filter_pilot", "monsiol", ["1.2", "T.3"]),
        ("filter_town", "Tamatave", None),
    ],
)
async def test_quick_filters_by_challenge_pilot_and_town(demo_db, tmp_path, action, typed, codes):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_actions(pilot, app)
        await app.screen.run_action(action)
        await pilot.pause()
        await pilot.press(*typed, "enter")
        await settle(pilot, app)
        found = sorted(table.get_row(i).code for i in range(table.row_count))
        if codes is not None:
            assert found == codes
        else:
            assert found and all("Tamatave" in table.get_row(i).towns for i in range(table.row_count))
        await pilot.press("escape")
        await pilot.pause()
        assert table.row_count == 11


async def test_pilots_are_picked_in_order_from_a_filtered_list(demo_db, tmp_path):
    from coopterm.domain.actions import action_detail

    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_actions(pilot, app)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        form.query_one("#f-title").value = "Atelier commun"
        form.query_one("#f-pilots").focus()
        await pilot.press(*"pyka", "enter")
        await pilot.press(*["backspace"] * 4, *"leila", "enter")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, ActionsScreen)
        await pilot.press("slash", *"Atelier commun")
        await pilot.pause()
        assert table.row_count == 1
        with demo_db.read() as s:
            detail = action_detail(s, table.get_row(0).id)
        assert [name for _, name in detail.pilots] == ["Robert Pyka", "Leïla Benabdelghani"]


async def test_action_detail_shows_the_meetings_that_discussed_it(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_actions(pilot, app)
        await pilot.press("slash", *"forum")
        await settle(pilot, app)
        await pilot.press("enter")  # back to the table
        await pilot.pause(0.2)
        await settle(pilot, app)
        detail = str(app.screen.query_one("#action-detail").render())
        assert table.get_row(0).code == "T.3"
        assert "Meetings: " in detail and "decisions: " in detail
        assert "Latest decision" in detail
