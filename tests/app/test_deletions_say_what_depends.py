"""Deleting says what depends on the row (``domain.dependents``), and towns and plans can be
deleted (``domain.removal``): tombstones, history, and refusals with their reason."""

from __future__ import annotations

import pytest
from sqlmodel import select

from coopterm.domain.actions import ActionQuery, fetch_actions
from coopterm.domain.dependents import what_refers_to
from coopterm.domain.indicators import tally_actions
from coopterm.domain.plans import current_plan, list_plans
from coopterm.domain.removal import delete_plan, delete_town
from coopterm.errors import InvalidInput
from coopterm.models import (
    Action,
    ActionTown,
    Challenge,
    Decision,
    Funding,
    History,
    Meeting,
    NewProject,
    Person,
    Plan,
    PlanTown,
    Town,
)
from coopterm.ui.screens.confirm import ConfirmScreen
from coopterm.ui.screens.pilots import PilotsScreen
from coopterm.ui.screens.plans import PlansScreen
from coopterm.ui.widgets.virtual_table import VirtualTable
from tests.app.test_app import open_actions
from tests.helpers import SIZE, make_app, open_screen, settle


def action_id(db, code: str):
    with db.read() as s:
        plan = current_plan(s)
        return next(r.id for r in fetch_actions(s, plan.id, ActionQuery(), 0, 100) if r.code == code)


def town_id(db, name: str):
    with db.read() as s:
        return s.exec(select(Town).where(Town.name == name)).one().id


# --- what refers to a row -------------------------------------------------------------------------


def test_an_action_names_its_project_funding_and_decisions(demo_db):
    with demo_db.read() as s:
        said = what_refers_to(s, action_id(demo_db, "1.1"))
        assert said == [
            "1 project names 1.1 as its origin (“Programme d'accueil croisé de jeunes entrepreneurs”): "
            "it stays, still naming 1.1.",
            "1 meeting decision is about 1.1: it stays, still naming 1.1.",
        ]
        assert what_refers_to(s, action_id(demo_db, "T.4")) == [
            "1 funding line is for T.4: it stays, still naming T.4.",
            "2 meeting decisions are about T.4: they stay, still naming T.4.",
        ]
        assert what_refers_to(s, action_id(demo_db, "1.2")) == []  # nothing names it
        assert what_refers_to(s, "not an id") == []


def test_a_challenge_names_what_refers_to_each_of_its_actions(demo_db):
    with demo_db.read() as s:
        plan = current_plan(s)
        c1 = s.exec(select(Challenge).where(Challenge.plan_id == plan.id, Challenge.number == 1)).one()
        said = what_refers_to(s, c1.id)
    assert said[0].startswith("1 project names 1.1 as its origin")
    assert said[1] == "2 meeting decisions are about 1.1, 1.3: they stay, still naming 1.1, 1.3."


def test_what_the_deletion_of_an_action_says_is_what_it_does(demo_db):
    from coopterm.domain.actions import delete_action

    target = action_id(demo_db, "1.1")
    with demo_db.write() as s:
        delete_action(s, target)
    with demo_db.read() as s:
        assert s.exec(select(NewProject).where(NewProject.origin_action_id == target)).one().deleted_at is None
        assert s.exec(select(Decision).where(Decision.action_id == target)).one().deleted_at is None
        assert what_refers_to(s, target) == []  # a deleted row: nothing more to say


# --- deleting a town ------------------------------------------------------------------------------


def test_delete_town_takes_its_links_and_leaves_people_and_meetings_without_it(demo_db):
    sierre = town_id(demo_db, "Sierre")
    with demo_db.read() as s:
        plan = current_plan(s)
        people = [p.id for p in s.exec(select(Person).where(Person.town_id == sierre))]
        meetings = [m.id for m in s.exec(select(Meeting).where(Meeting.town_id == sierre))]
        before = tally_actions(s, plan.id)
        history = len(s.exec(select(History)).all())
    assert people and meetings
    with demo_db.write() as s:
        change = delete_town(s, plan.id, sierre)
    with demo_db.read() as s:
        assert s.get(Town, sierre).deleted_at is not None
        for link in (PlanTown, ActionTown):
            assert all(r.deleted_at is not None for r in s.exec(select(link).where(link.town_id == sierre)))
        assert all(s.get(Person, p).town_id is None and s.get(Person, p).deleted_at is None for p in people)
        assert all(s.get(Meeting, m).town_id is None and s.get(Meeting, m).deleted_at is None for m in meetings)
        after = tally_actions(s, plan.id)
        assert len(s.exec(select(History)).all()) > history  # recorded as every write is
    assert change.changed and before + change.tally_delta == after
    with demo_db.write() as s:
        assert not delete_town(s, plan.id, sierre).changed


# --- deleting a plan ------------------------------------------------------------------------------


def test_delete_plan_refuses_the_current_one_and_takes_everything_of_another(demo_db):
    with demo_db.read() as s:
        current = current_plan(s)
        other = next(p for p in list_plans(s) if p.id != current.id)
        towns = len(s.exec(select(Town).where(Town.deleted_at.is_(None))).all())
    with pytest.raises(InvalidInput) as refused, demo_db.write() as s:
        delete_plan(s, current.id)
    assert "current plan" in str(refused.value)
    with demo_db.write() as s:
        assert delete_plan(s, other.id).changed
    with demo_db.read() as s:
        assert s.get(Plan, other.id).deleted_at is not None
        for model in (Challenge, Meeting, Funding, NewProject, PlanTown):
            assert all(r.deleted_at is not None for r in s.exec(select(model).where(model.plan_id == other.id)))
        ids = [c.id for c in s.exec(select(Challenge).where(Challenge.plan_id == other.id))]
        assert all(a.deleted_at is not None for a in s.exec(select(Action).where(Action.challenge_id.in_(ids))))
        assert len(s.exec(select(Town).where(Town.deleted_at.is_(None))).all()) == towns  # shared: they stay
        assert [p.id for p in list_plans(s)] == [current.id]
    with pytest.raises(InvalidInput) as refused, demo_db.write() as s:
        delete_plan(s, current.id)
    assert "only plan" in str(refused.value)


# --- the screens -----------------------------------------------------------------------------------


async def test_deleting_an_action_asks_and_names_what_refers_to_it(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_actions(pilot, app)
        table.cursor_row = next(i for i in range(table.row_count) if table.get_row(i).code == "T.4")
        await pilot.pause()
        await pilot.press("delete")
        await settle(pilot, app)
        assert isinstance(app.screen, ConfirmScreen)
        question = app.screen.question
        assert question.startswith("Delete action T.4")
        assert "1 funding line is for T.4: it stays, still naming T.4." in question
        assert "2 meeting decisions are about T.4" in question


async def test_delete_removes_a_town_after_saying_what_it_takes(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, app, "4", PilotsScreen)
        await pilot.press("t")
        await settle(pilot, app)
        towns = screen.query_one("#towns-table", VirtualTable)
        towns.cursor_row = next(i for i in range(towns.row_count) if towns.get_row(i).name == "Sierre")
        await pilot.pause()
        await pilot.press("delete")
        await settle(pilot, app)
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen.question.startswith("Delete the town Sierre?")
        assert "2 people work there: they stay, with no town." in app.screen.question
        await pilot.press("y")
        await settle(pilot, app)
        assert towns.row_count == 4 and "Sierre" not in [towns.get_row(i).name for i in range(4)]
    with demo_db.read() as s:
        assert s.exec(select(Town).where(Town.name == "Sierre")).one().deleted_at is not None


async def test_delete_on_the_plans_screen(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, app, "7", PlansScreen)
        table = app.screen.query_one("DataTable")
        await pilot.press("delete")  # the cursor is on the current plan: refused, with the reason
        await settle(pilot, app)
        assert isinstance(app.screen, PlansScreen)
        assert any("current plan" in str(n.message) for n in app._notifications)
        table.move_cursor(row=0)  # the 2016–2018 programme
        await pilot.press("delete")
        await settle(pilot, app)
        assert isinstance(app.screen, ConfirmScreen)
        assert "Deleted with it: 4 challenges, 9 actions" in app.screen.question
        await pilot.press("y")
        await settle(pilot, app)
        assert table.row_count == 1
    with demo_db.read() as s:
        assert len(list_plans(s)) == 1


def test_the_challenge_question_adds_what_refers_to_its_actions(demo_db):
    from coopterm.workspace import Workspace

    space = Workspace(demo_db)
    with demo_db.read() as s:
        plan = current_plan(s)
        c1 = s.exec(select(Challenge).where(Challenge.plan_id == plan.id, Challenge.number == 1)).one()
    question = space.challenges.delete_question(plan.id, c1.id)
    assert question.splitlines()[1].startswith("1 project names 1.1 as its origin")
