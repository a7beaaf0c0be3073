"""Funding years stay within the plan's period: the form starts in a year of the plan
and a year outside it is refused beside the year field, naming the period."""

from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import Input

from coopterm.config import Config
from coopterm.domain.funding import check_year, create_funding, default_year, update_funding
from coopterm.domain.plans import current_plan
from coopterm.domain.validation import FormErrors
from coopterm.models import Funding, Plan
from coopterm.ui.app import CooptermApp
from coopterm.ui.forms.funding_line import FundingForm
from tests.app.test_app_funding import open_funding
from tests.helpers import SIZE, revisions, settle, type_into

PLAN = Plan(title="Chinon – Étaules – Tenkodogo", start_date=dt.date(2016, 1, 1), end_date=dt.date(2018, 12, 31))


@pytest.mark.parametrize(("today", "year"), [
    (dt.date(2017, 5, 2), 2017),   # the plan runs: this year
    (dt.date(2026, 11, 30), 2018),  # the plan ended: its last year
    (dt.date(2015, 3, 1), 2016),   # the plan is to come: its first year
])
def test_default_year_is_a_year_of_the_plan(today, year):
    assert default_year(PLAN, today) == year


def test_a_year_outside_the_period_is_refused_with_the_period():
    check_year(PLAN, 2016)
    check_year(PLAN, 2018)
    with pytest.raises(FormErrors) as refused:
        check_year(PLAN, 2030)
    assert refused.value.errors == {
        "year": "2030 is outside the plan's period, 2016–2018: choose a year from 2016 to 2018."}


def test_writes_check_the_year(demo_db):
    """The demo plan runs 2019–2021: 2030 is refused on create and on a changed year."""
    with demo_db.read() as s:
        plan_id = current_plan(s).id
    before = revisions(demo_db, Funding)
    with pytest.raises(FormErrors) as refused, demo_db.write() as s:
        create_funding(s, plan_id, {"funder": "Région", "amount": "10", "year": "2030"})
    assert set(refused.value.errors) == {"year"} and "2019–2021" in refused.value.errors["year"]
    assert revisions(demo_db, Funding) == before
    with demo_db.write() as s:
        made = create_funding(s, plan_id, {"funder": "Région", "amount": "10", "year": "2020"})
    with pytest.raises(FormErrors), demo_db.write() as s:
        update_funding(s, made.id, {"funder": "Région", "amount": "10", "year": "2031"})


async def test_the_form_starts_in_the_plans_last_year_and_refuses_2030(demo_db, tmp_path):
    app = CooptermApp(demo_db, today=dt.date(2026, 11, 30), config=Config(path=tmp_path / "config.toml"))
    async with app.run_test(size=SIZE) as pilot:
        await open_funding(pilot, app)
        before = revisions(demo_db, Funding)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FundingForm)
        assert form.query_one("#f-year", Input).value == "2021"
        await type_into(pilot, app, "funder", "Région")
        await type_into(pilot, app, "amount", "100")
        await type_into(pilot, app, "year", "2030")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is form
        assert "2019–2021" in str(form.query_one("#e-year").render())
        assert revisions(demo_db, Funding) == before
