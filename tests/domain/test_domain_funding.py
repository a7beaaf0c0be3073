"""Funding, new projects and manual indicators: parsing, checked writes, reads and the dashboard."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select

from coopterm import present
from coopterm.domain.actions import action_choices
from coopterm.domain.dashboard import load_dashboard
from coopterm.domain.funding import (
    count_funding,
    create_funding,
    delete_funding,
    fetch_funding,
    funding_index,
    funding_totals,
    known_funders,
    parse_amount,
    update_funding,
)
from coopterm.domain.indicators import indicator_settings, tally_projects
from coopterm.domain.keys import computed_indicator_id
from coopterm.domain.manual_indicators import (
    add_measurement,
    create_manual_indicator,
    delete_manual_indicator,
    indicator_rows,
    manual_id,
    manual_results,
    parse_number,
    set_computed_target,
    update_manual_indicator,
)
from coopterm.domain.persons import town_choices
from coopterm.domain.plans import current_plan
from coopterm.domain.projects import (
    count_projects,
    create_project,
    delete_project,
    fetch_projects,
    update_project,
)
from coopterm.domain.validation import FormErrors
from coopterm.i18n import set_language
from coopterm.models import Funding, Indicator, Measurement, NewProject, NewProjectTown, Plan
from coopterm.store import open_database
from coopterm.vocabulary import IndicatorStatus
from tests.helpers import TODAY


@pytest.fixture
def demo_db(tmp_path):
    from coopterm.demo import create_demo_database

    path = create_demo_database(tmp_path / "demo.db")
    with open_database(path) as database:
        yield database


@pytest.fixture
def plan_id(demo_db):
    with demo_db.read() as s:
        return current_plan(s).id


def towns(db, plan_id):
    with db.read() as s:
        return dict((name, tid) for tid, name in town_choices(s, plan_id))


def everything(db, model):
    with db.read() as s:
        return sorted((r.id, r.deleted_at, r.revision) for r in s.exec(select(model)))


# --- amounts -------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "cents"), [
    ("17100", 1_710_000), ("17 100", 1_710_000), ("17100,50", 1_710_050), ("17100.50", 1_710_050),
    ("17 100,50", 1_710_050), ("17\u202f100,5", 1_710_050), ("17\u00a0100 €", 1_710_000), ("0", 0),
    ("0,01", 1), ("12,", 1200), (1234, 1234),
])
def test_amounts_are_read_as_exact_cents(text, cents):
    assert parse_amount(text) == cents
    assert isinstance(parse_amount(text), int)


@pytest.mark.parametrize(("text", "reason"), [
    ("", "required"), ("   ", "required"), ("-5", "negative"), ("-0,50", "negative"),
    ("17,100", "decimals"), ("1.234", "decimals"), ("10,555", "decimals"),
    ("abc", "not a number"), ("12 euros", "not a number"), ("1e5", "not a number"), ("1.234,50", "not a number"),
])
def test_amounts_refused_with_a_reason(text, reason):
    with pytest.raises(FormErrors) as refused:
        parse_amount(text)
    message = refused.value.errors["amount"]
    expected = {"required": "required", "negative": "negative", "decimals": "decimals",
                "not a number": "number of euros"}[reason]
    assert expected in message


def test_euros_are_written_the_way_each_language_writes_them():
    set_language("fr")
    assert present.money(1_710_000) == "17\u202f100\u00a0€"
    assert present.money(1_710_050) == "17\u202f100,50\u00a0€"
    set_language("en")
    assert present.money(1_710_000) == "€17,100"  # English: the sign before, as the report writes it
    assert present.money(5) == "€0.05"


# --- funding ---------------------------------------------------------------------------------


def test_create_update_delete_funding_and_totals(demo_db, plan_id):
    with demo_db.read() as s:
        before = funding_totals(s, plan_id)
        action = action_choices(s, plan_id)[0][0]
    assert before.total == 19_300_000
    with demo_db.write() as s:
        change = create_funding(s, plan_id, {"funder": " Région AURA ", "amount": "17 100,50", "year": "2021",
                                             "action_id": [action], "note": "n"})
    assert change.changed
    with demo_db.read() as s:
        row = s.get(Funding, change.id)
        assert (row.funder, row.amount_cents, row.year, row.action_id) == ("Région AURA", 1_710_050, 2021, action)
        totals = funding_totals(s, plan_id)
        assert totals.total == 19_300_000 + 1_710_050
        assert dict(totals.by_year)[2021] == 6_500_000 + 1_710_050
        assert dict(totals.by_funder)["Région AURA"] == 1_710_050
        assert "Région AURA" in known_funders(s, plan_id)
        index = funding_index(s, plan_id, change.id)
        assert fetch_funding(s, plan_id, index, 1)[0].id == change.id
    with demo_db.write() as s:
        same = update_funding(s, change.id, {"funder": "Région AURA", "amount": "17100.50", "year": 2021,
                                             "action_id": action, "note": "n"})
    assert not same.changed
    with demo_db.write() as s:
        update_funding(s, change.id, {"funder": "Région AURA", "amount": "100", "year": "2020", "action_id": []})
    with demo_db.read() as s:
        row = s.get(Funding, change.id)
        assert (row.amount_cents, row.year, row.action_id) == (10_000, 2020, None)
    with demo_db.write() as s:
        delete_funding(s, change.id)
    with demo_db.read() as s:
        assert s.get(Funding, change.id).deleted_at is not None  # a tombstone, not erased
        assert count_funding(s, plan_id) == 11
        assert funding_totals(s, plan_id).total == 19_300_000


@pytest.mark.parametrize(("data", "fields"), [
    ({"funder": "", "amount": "10", "year": "2021"}, {"funder"}),
    ({"funder": "X", "amount": "dix", "year": "2021"}, {"amount"}),
    ({"funder": "X", "amount": "10", "year": "1899"}, {"year"}),
    ({"funder": "X", "amount": "10", "year": "2021,5"}, {"year"}),
    ({"funder": "X", "amount": "10", "year": ""}, {"year"}),
    ({"funder": "", "amount": "-1", "year": "3000"}, {"funder", "amount", "year"}),
    ({"funder": "X", "amount": "10", "year": "2021", "action_id": "not-an-id"}, {"action_id"}),
])
def test_refused_funding_saves_nothing(demo_db, plan_id, data, fields):
    before = everything(demo_db, Funding)
    with pytest.raises(FormErrors) as refused:
        with demo_db.write() as s:
            create_funding(s, plan_id, data)
    assert set(refused.value.errors) == fields
    assert everything(demo_db, Funding) == before


def test_funding_of_an_action_of_another_plan_is_refused(demo_db, plan_id):
    with demo_db.read() as s:
        other = next(p for p in s.exec(select(Plan)) if p.id != plan_id)
        foreign = action_choices(s, other.id)[0][0]
    with pytest.raises(FormErrors) as refused:
        with demo_db.write() as s:
            create_funding(s, plan_id, {"funder": "X", "amount": "1", "year": "2020", "action_id": [foreign]})
    assert set(refused.value.errors) == {"action_id"}


# --- new projects ----------------------------------------------------------------------------


def test_bilateral_project_with_three_towns_is_refused(demo_db, plan_id):
    t = towns(demo_db, plan_id)
    before = everything(demo_db, NewProject), everything(demo_db, NewProjectTown)
    with pytest.raises(FormErrors) as refused:
        with demo_db.write() as s:
            create_project(s, plan_id, {"title": "P", "scope": "bilateral",
                                        "towns": [t["Sierre"], t["Monastir"], t["Katowice"]]})
    assert "exactly 2" in refused.value.errors["towns"]
    with pytest.raises(FormErrors) as refused:
        with demo_db.write() as s:
            create_project(s, plan_id, {"title": "", "scope": "multilateral", "towns": [t["Sierre"], t["Monastir"]],
                                        "started_on": "31/02/2021"})
    assert set(refused.value.errors) == {"title", "towns", "started_on"}
    assert (everything(demo_db, NewProject), everything(demo_db, NewProjectTown)) == before


def test_project_towns_are_tombstoned_and_revived_not_duplicated(demo_db, plan_id):
    t = towns(demo_db, plan_id)
    with demo_db.read() as s:
        origin = action_choices(s, plan_id)[2][0]
    three = [t["Sierre"], t["Monastir"], t["Katowice"]]
    with demo_db.write() as s:
        change = create_project(s, plan_id, {"title": "Réseau", "scope": "multilateral", "towns": three,
                                             "origin_action_id": [origin], "started_on": "01/05/2021"})
    with demo_db.read() as s:
        assert tally_projects(s, plan_id).multilateral == 2
        row = next(r for r in fetch_projects(s, plan_id, 0, 10) if r.id == change.id)
        assert row.towns == ("Katowice", "Monastir", "Sierre") and row.origin_code
        assert row.started_on == dt.date(2021, 5, 1)
    with demo_db.write() as s:
        update_project(s, change.id, {"title": "Réseau", "scope": "bilateral", "towns": three[:2]})
    with demo_db.write() as s:
        update_project(s, change.id, {"title": "Réseau", "scope": "multilateral", "towns": three})
    with demo_db.read() as s:
        links = s.exec(select(NewProjectTown).where(NewProjectTown.project_id == change.id)).all()
        assert len(links) == 3 and all(link.deleted_at is None for link in links)
        assert tally_projects(s, plan_id).bilateral == 1
    with demo_db.write() as s:
        delete_project(s, change.id)
    with demo_db.read() as s:
        assert count_projects(s, plan_id) == 2
        links = s.exec(select(NewProjectTown).where(NewProjectTown.project_id == change.id)).all()
        assert all(link.deleted_at is not None for link in links)


# --- indicators --------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "value"), [("12", 12.0), ("12,5", 12.5), ("12.5", 12.5), ("1 000", 1000.0),
                                             ("90 %", 90.0), ("", None)])
def test_numbers_accept_the_french_decimal_comma(text, value):
    assert parse_number(text, "target") == value


@pytest.mark.parametrize("text", ["abc", "12,5,1", "1e3", "--1"])
def test_numbers_refuse_text(text):
    with pytest.raises(FormErrors):
        parse_number(text, "target")


def test_a_target_change_moves_the_status(demo_db, plan_id):
    def completion():
        with demo_db.read() as s:
            return next(r for r in indicator_rows(s, plan_id, TODAY) if r.id == "completion_rate")

    assert completion().status is IndicatorStatus.AT_RISK  # 72.7 % against 90 %
    for bad in ("beaucoup", "-5"):
        before = everything(demo_db, Indicator)
        with pytest.raises(FormErrors):
            with demo_db.write() as s:
                set_computed_target(s, plan_id, "completion_rate", bad)
        assert everything(demo_db, Indicator) == before
    with demo_db.write() as s:
        assert set_computed_target(s, plan_id, "completion_rate", "70").changed
    assert completion().status is IndicatorStatus.REACHED and completion().target == 70
    with demo_db.write() as s:
        set_computed_target(s, plan_id, "completion_rate", "")
    assert completion().status is IndicatorStatus.NO_TARGET and completion().target is None


def test_target_of_a_computed_indicator_without_a_row(db, plan):
    with db.write() as s:
        change = set_computed_target(s, plan.id, "new_projects", "4")
    with db.read() as s:
        row = s.get(Indicator, change.id)
        assert (row.key, row.computed, row.target) == ("new_projects", True, 4.0)
        rows = indicator_rows(s, plan.id, TODAY)
    assert [r.id for r in rows] == ["completion_rate", "satisfaction_rate", "multilateral_share", "new_projects"]
    assert rows[3].target == 4


def test_a_computed_indicator_s_row_has_the_id_of_its_plan_and_key(db, plan):
    """Two copies giving the same indicator a target write the same row (merged as one)."""
    with db.write() as s:
        change = set_computed_target(s, plan.id, "new_projects", "4")
    assert change.id == computed_indicator_id(plan.id, "new_projects")
    assert computed_indicator_id(plan.id, "new_projects") != computed_indicator_id(plan.id, "completion_rate")


def test_a_second_row_for_one_computed_indicator_is_refused(db, plan):
    """A plan has one row per computed indicator, whatever made it: the unique index on
    (plan, key) refuses a second one (files from before derived ids held two after a merge;
    migration 0007 made them one, tests/store/test_migration_0007.py), and the target stays."""
    import sqlalchemy.exc

    with db.write() as s:
        set_computed_target(s, plan.id, "new_projects", "4")
    with pytest.raises(sqlalchemy.exc.IntegrityError, match="UNIQUE"):
        with db.write() as s:  # a row as an older coopterm made it: a random id
            s.add(Indicator(plan_id=plan.id, key="new_projects", computed=True, label="Nouveaux projets",
                            unit="", target=7.0, position=102))
    with db.write() as s:
        change = set_computed_target(s, plan.id, "new_projects", "9")
    with db.read() as s:
        assert change.id == computed_indicator_id(plan.id, "new_projects")
        assert indicator_settings(s, plan.id)["new_projects"].target == 9


def test_manual_indicator_value_is_its_latest_measurement_by_date(demo_db, plan_id):
    with demo_db.write() as s:
        change = create_manual_indicator(s, plan_id, {"label": "Visiteurs du forum", "unit": "pers.",
                                                      "baseline_value": "80", "baseline_date": "01/01/2019",
                                                      "target": "500"})
    indicator_id = change.id
    with demo_db.read() as s:
        [result] = manual_results(s, s.get(Plan, plan_id), TODAY)
    assert result.key == f"manual:{indicator_id.hex}" and result.value is None
    assert result.status is IndicatorStatus.NO_DATA
    with demo_db.write() as s:
        add_measurement(s, indicator_id, {"measured_on": "2021-05-01", "value": "495,5"})
    with demo_db.write() as s:  # recorded later, but measured earlier: not the latest
        add_measurement(s, indicator_id, {"measured_on": "01/03/2021", "value": "120"})
    with demo_db.read() as s:
        data = load_dashboard(s, plan_id, TODAY)
    manual = data.all_indicators[4]
    assert [r.key for r in data.all_indicators[:4]] == ["completion_rate", "satisfaction_rate",
                                                         "multilateral_share", "new_projects"]
    assert manual.value == 495.5 and manual.target == 500 and manual.details == {"measurements": 2}
    # level trajectory: 495.5 >= 500 x (1 - 10 % x remaining share) on 15/06/2021
    assert manual.status is IndicatorStatus.ON_TRACK
    with demo_db.write() as s:
        update_manual_indicator(s, indicator_id, {"label": "Visiteurs du forum", "target": "600"})
    with demo_db.read() as s:
        [result] = manual_results(s, s.get(Plan, plan_id), TODAY)
    assert result.status is IndicatorStatus.AT_RISK
    assert manual_id(result.key) == indicator_id
    with demo_db.write() as s:
        delete_manual_indicator(s, indicator_id)
    with demo_db.read() as s:
        assert manual_results(s, s.get(Plan, plan_id), TODAY) == []
        assert all(m.deleted_at is not None for m in s.exec(select(Measurement)))


def test_refused_manual_indicator_and_measurement_save_nothing(demo_db, plan_id):
    before = everything(demo_db, Indicator)
    with pytest.raises(FormErrors) as refused:
        with demo_db.write() as s:
            create_manual_indicator(s, plan_id, {"label": " ", "target": "-3", "baseline_value": "x",
                                                 "baseline_date": "hier"})
    assert set(refused.value.errors) == {"label", "target", "baseline_value", "baseline_date"}
    assert everything(demo_db, Indicator) == before
    with demo_db.write() as s:
        indicator_id = create_manual_indicator(s, plan_id, {"label": "L"}).id
    for data, fields in (({"measured_on": "", "value": "3"}, {"measured_on"}),
                         ({"measured_on": "2021-01-01", "value": "trois"}, {"value"}),
                         ({"measured_on": "32/01/2021", "value": ""}, {"measured_on", "value"})):
        with pytest.raises(FormErrors) as refused:
            with demo_db.write() as s:
                add_measurement(s, indicator_id, data)
        assert set(refused.value.errors) == fields
    assert everything(demo_db, Measurement) == []
