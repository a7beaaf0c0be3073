"""The plans screen: switch the current plan, edit it, create one from another."""

from __future__ import annotations

from sqlmodel import select

from coopterm.domain.plans import current_plan, list_plans, plan_counts
from coopterm.models import Challenge, Plan
from coopterm.ui.forms.plan import PlanForm
from coopterm.ui.forms.plan_settings import PlanEditForm
from coopterm.ui.screens.plans import PlansScreen
from coopterm.ui.widgets.gauge import IndicatorGauge
from tests.helpers import SIZE, make_app, open_screen, settle


async def open_plans(pilot, app):
    return (await open_screen(pilot, app, "7", PlansScreen)).query_one("DataTable")


async def test_switching_the_current_plan(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_plans(pilot, app)
        assert table.row_count == 2
        table.move_cursor(row=0)  # the 2016-2018 programme, oldest first
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.title.startswith("Entrepreneuriat, Formation, Insertion")
        await pilot.press("3")
        await settle(pilot, app)
        assert app.screen.query_one("VirtualTable").row_count == 9
        await pilot.press("1")
        await settle(pilot, app)
        completion = next(g.result for g in app.screen.query(IndicatorGauge) if g.result.key == "completion_rate")
        assert completion.target is None  # that programme set no targets
    with demo_db.read() as s:
        assert current_plan(s).title.startswith("Entrepreneuriat")


async def test_editing_the_plan_and_refusing_a_bad_rhythm(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_plans(pilot, app)
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, PlanEditForm)
        form.query_one("#f-tech_group_every_weeks").value = "0"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form and "1 to 52" in str(form.query_one("#e-tech_group_every_weeks").render())
        with demo_db.read() as s:
            assert current_plan(s).tech_group_every_weeks == 6
        form.query_one("#f-tech_group_every_weeks").value = "4"
        form.query_one("#f-title").value = "Plan 2019-2021 (révisé)"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.title == "Plan 2019-2021 (révisé)"
    with demo_db.read() as s:
        plan = current_plan(s)
        assert (plan.title, plan.tech_group_every_weeks, plan.coordination_every_weeks) == (
            "Plan 2019-2021 (révisé)", 4, 8)


async def test_new_plan_with_the_challenges_and_towns_of_another(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_plans(pilot, app)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, PlanForm)
        with demo_db.read() as s:
            source = current_plan(s)
        form.query_one("#f-copy_from").value = source.id
        form.query_one("#f-title").value = "Plan 2022-2024"
        form.query_one("#f-start_date").value = "01/01/2022"
        form.query_one("#f-end_date").value = "31/12/2024"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.title == "Plan 2022-2024"
        assert table.row_count == 3
    with demo_db.read() as s:
        new = current_plan(s)
        counts = plan_counts(s, new.id)
        assert (counts.challenges, counts.actions, counts.towns) == (4, 0, 5)
        titles = sorted(c.title for c in s.exec(select(Challenge).where(Challenge.plan_id == new.id)))
        assert "ENGAGER DES ACTIONS EN MATIÈRE D'INSERTION PROFESSIONNELLE" in titles
        assert len(list_plans(s)) == 3


async def test_new_empty_plan_needs_towns(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_plans(pilot, app)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        form.query_one("#f-title").value = "Vide"
        form.query_one("#f-start_date").value = "2022-01-01"
        form.query_one("#f-end_date").value = "2022-12-31"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form and "partner town" in str(form.query_one("#e-towns").render())
        await pilot.press("escape")
        await pilot.pause()
    with demo_db.read() as s:
        assert len(s.exec(select(Plan)).all()) == 2


async def test_every_list_shows_the_plan_made_current(demo_db, tmp_path):
    """Lists opened before the switch read the new plan when shown again, not the old one."""
    from coopterm.workspace import Workspace

    data = Workspace(demo_db)
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        for key in "3456":  # each list opened once, on the current plan
            await pilot.press(key)
            await settle(pilot, app)
        table = await open_plans(pilot, app)
        table.move_cursor(row=0)
        await pilot.press("enter")
        await settle(pilot, app)
        other = app.plan
        expected = {"3": data.actions.source(other).count(), "5": data.meetings.source(other).count(),
                    "6": data.funding.source(other).count()}
        for key, count in expected.items():
            await pilot.press(key)
            await settle(pilot, app)
            assert app.screen.query_one("VirtualTable").row_count == count, key
        assert expected["3"] == 9 and expected["5"] != data.meetings.source(data.plans.rows()[1].id).count()


def count_calls(door, name, calls):
    """Replace ``door.name`` by the same method that also notes each call in ``calls``."""
    read = getattr(door, name)

    def counted(*args):
        calls.append(name)
        return read(*args)

    setattr(door, name, counted)


async def test_the_plans_and_challenges_screens_read_their_rows_once_per_change(demo_db, tmp_path):
    """A first visit (mounted, then sized) and a new terminal size lay out the rows already
    read: only a change reads the counts again (each reading costs a pass over the plan)."""
    from coopterm.ui.screens.challenges import ChallengesScreen

    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        reads: list[str] = []
        count_calls(app.data.plans, "rows", reads)
        count_calls(app.data.challenges, "summaries", reads)
        await open_plans(pilot, app)
        await open_screen(pilot, app, "2", ChallengesScreen)
        assert sorted(reads) == ["rows", "summaries"]
        await pilot.resize_terminal(SIZE[0] - 10, SIZE[1])
        await settle(pilot, app)
        assert sorted(reads) == ["rows", "summaries"]  # laid out again (tests/app/test_fits_80x24.py)
