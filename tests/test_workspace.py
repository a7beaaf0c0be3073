"""The workspace driven as a screen drives it, without Textual: list, filter, page, form,
save, refused save, delete, and the panels beside the lists — on a copy of the demo plan.

Each call opens one session (a read is one snapshot, a write one transaction);
``sessions`` counts them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from contextlib import contextmanager

import pytest

from coopterm.domain.actions import ActionQuery
from coopterm.domain.meetings import MeetingQuery
from coopterm.domain.validation import FormErrors
from coopterm.vocabulary import ActionStatus
from coopterm.workspace import Workspace

TODAY = dt.date(2021, 6, 14)


class CountingDatabase:
    """The open file, counting the sessions the workspace opens on it."""

    def __init__(self, db) -> None:
        self.db = db
        self.reads = self.writes = 0

    def __getattr__(self, name: str):
        return getattr(self.db, name)

    @contextmanager
    def read(self):
        self.reads += 1
        with self.db.read() as session:
            yield session

    @contextmanager
    def write(self):
        self.writes += 1
        with self.db.write() as session:
            yield session


@pytest.fixture
def sessions(demo_db) -> CountingDatabase:
    return CountingDatabase(demo_db)


@pytest.fixture
def ws(sessions) -> Workspace:
    return Workspace(sessions)  # type: ignore[arg-type]


@pytest.fixture
def plan_id(ws):
    return ws.plans.current().id


def all_rows(source) -> list:
    return list(source.fetch(0, source.count()))


# --- actions ------------------------------------------------------------------------------


def test_the_actions_list_pages_and_filters_a_window_at_a_time(ws, sessions, plan_id):
    source = ws.actions.source(plan_id)
    before = sessions.reads
    count = source.count()
    first, rest = source.fetch(0, 4), source.fetch(4, count)
    assert sessions.reads == before + 3  # one read session per question the table asks
    assert count == 11 and [r.id for r in [*first, *rest]] == [r.id for r in all_rows(source)]

    done = ws.actions.source(plan_id, ActionQuery(status=ActionStatus.DONE))
    assert 0 < done.count() < count and all(r.status is ActionStatus.DONE for r in all_rows(done))
    forum = ws.actions.source(plan_id, ActionQuery(text="forum"))
    assert forum.count() >= 1 and all("forum" in r.title.lower() for r in all_rows(forum))

    pilot, label = ws.actions.filter_choices(plan_id, "pilot")[0]
    assert ws.actions.filter_label(plan_id, "pilot", pilot) == label
    led = all_rows(ws.actions.source(plan_id, ActionQuery(pilot_id=pilot)))
    assert led and all(label.split(" — ")[0] in r.pilots for r in led)


def test_an_action_is_created_refused_edited_and_deleted_through_its_form(ws, sessions, plan_id):
    assert ws.actions.can_create(plan_id)
    context = ws.actions.form(plan_id, None)
    assert context.challenges and context.people and context.towns and context.values["title"] == ""
    pilot = context.people[0][0]

    before = sessions.writes
    change = ws.actions.save(plan_id, None, {**context.values, "title": "Un atelier commun", "pilots": [pilot]})
    assert sessions.writes == before + 1
    source = ws.actions.source(plan_id, ActionQuery(text="atelier commun"))
    (row,) = all_rows(source)
    assert change is not None and ws.actions.source(plan_id).count() == 12

    edit = ws.actions.form(plan_id, row.id)
    assert edit.values["title"] == "Un atelier commun" and edit.values["pilots"] == [pilot]
    with pytest.raises(FormErrors) as refused:
        ws.actions.save(plan_id, row.id, {**edit.values, "title": "", "progress": "140"})
    assert {"title", "progress"} <= set(refused.value.errors)
    assert ws.actions.form(plan_id, row.id).values == edit.values  # the refused save wrote nothing

    ws.actions.advance_status(row.id)
    ws.actions.set_progress(row.id, 40)
    (row,) = all_rows(source)
    assert (row.status, row.progress) == (ActionStatus.IN_PROGRESS, 40)

    ws.actions.delete(row.id)
    assert source.count() == 0 and ws.actions.source(plan_id).count() == 11
    assert ws.actions.panel(row.id) is None


def test_the_action_panel_is_one_read_with_its_meetings_and_history_on_demand(ws, sessions, plan_id):
    rows = all_rows(ws.actions.source(plan_id))
    before = sessions.reads
    panels = [ws.actions.panel(r.id, history_limit=5) for r in rows]
    assert sessions.reads == before + len(rows)
    assert all(p is not None and p.history is not None and len(p.history) <= 5 for p in panels)
    assert any(p.meetings for p in panels)
    assert panels[0].detail.code == rows[0].code
    assert ws.actions.panel(rows[0].id).history is None  # not asked for: not read


# --- meetings -------------------------------------------------------------------------------


def test_meetings_list_form_next_meeting_and_delete(ws, plan_id):
    source = ws.meetings.source(plan_id)
    count = source.count()
    newest = source.fetch(0, 1)[0]
    assert count == 153 and newest.starts_at >= source.fetch(1, 1)[0].starts_at
    town = ws.towns.choices(plan_id)[0][0]
    in_town = ws.meetings.source(plan_id, MeetingQuery(town_id=town))
    assert 0 < in_town.count() < count

    values = ws.meetings.next_values(newest.id)
    context = ws.meetings.form(plan_id, None, TODAY, values)
    assert context.values["kind"] == newest.kind.value and context.people
    with pytest.raises(FormErrors):
        ws.meetings.save(plan_id, None, {**context.values, "date": "31/02/2021"})
    assert source.count() == count

    ws.meetings.save(plan_id, None, context.values)
    assert source.count() == count + 1
    created = source.fetch(0, 1)[0]
    assert created.id != newest.id and ws.meetings.label(created.id)
    entries, label = ws.meetings.history(created.id, 10)
    assert entries and created.title in label

    ws.meetings.delete(created.id)
    assert source.count() == count
    due, over = ws.meetings.rhythm(plan_id, TODAY)
    assert due and over is False


# --- people and towns -------------------------------------------------------------------------


def test_people_are_found_saved_refused_and_deleted_with_their_actions_handed_over(ws, plan_id):
    source = ws.people.source(plan_id)
    assert source.count() == 14
    context = ws.people.form(plan_id, None)
    assert context.values["name"] == "" and context.towns

    with pytest.raises(FormErrors) as refused:
        ws.people.save(plan_id, None, {**context.values, "name": "Zoé Zed", "email": "pas une adresse"})
    assert "email" in refused.value.errors and source.count() == 14

    ws.people.save(plan_id, None, {**context.values, "name": "Zoé Zed", "town_id": context.towns[0][0]})
    zoe = all_rows(ws.people.source(plan_id, "zoé"))[0]
    assert source.count() == 15 and source.index_of(zoe.id) == 14  # sorted by name: last
    assert ws.people.detail(zoe.id, plan_id).name == "Zoé Zed"

    leader = next(r for r in all_rows(source) if r.led)
    deletion = ws.people.deletion(leader.id)
    assert deletion.leads and deletion.replacements and leader.name in deletion.question
    ws.people.delete(plan_id, leader.id, zoe.id)
    assert source.count() == 14 and source.index_of(leader.id) is None
    assert ws.people.detail(zoe.id, plan_id).actions  # the actions went to Zoé


def test_towns_are_listed_and_saved(ws, plan_id):
    towns = ws.towns.rows(plan_id)
    assert len(towns) == 5
    assert ws.towns.form(None) == {"name": "", "country": "", "time_zone": ""}
    ws.towns.save(plan_id, towns[0].id, {"name": towns[0].name, "country": "Ailleurs"})
    assert ws.towns.rows(plan_id)[0].country == "Ailleurs"


# --- funding, projects, indicators ------------------------------------------------------------


def test_a_contribution_is_saved_located_totalled_and_deleted(ws, plan_id):
    source = ws.funding.source(plan_id)
    count, total = source.count(), ws.funding.totals(plan_id).total
    context = ws.funding.form(plan_id, None, TODAY)
    assert context.funders and context.actions and context.values["year"] == "2021"

    with pytest.raises(FormErrors):
        ws.funding.save(plan_id, None, {**context.values, "funder": "Région", "amount": "beaucoup"})
    assert source.count() == count

    ws.funding.save(plan_id, None, {**context.values, "funder": "Région", "amount": "1000"})
    assert source.count() == count + 1 and ws.funding.totals(plan_id).total == total + 100_000
    row = next(r for r in all_rows(source) if r.funder == "Région")
    assert source.fetch(source.index_of(row.id), 1)[0].id == row.id

    ws.funding.delete(row.id)
    assert source.count() == count and ws.funding.totals(plan_id).total == total


def test_a_project_is_saved_and_deleted(ws, plan_id):
    source = ws.projects.source(plan_id)
    context = ws.projects.form(plan_id, None)
    assert context.towns and context.actions
    with pytest.raises(FormErrors):  # the scope says multilateral: three towns at least
        ws.projects.save(plan_id, None, {**context.values, "title": "Une coopérative", "scope": "multilateral",
                                         "towns": [context.towns[0][0]], "origin_action_id": [], "started_on": ""})
    assert source.count() == 2
    ws.projects.save(plan_id, None, {**context.values, "title": "Une coopérative", "scope": "multilateral",
                                     "towns": [town for town, _ in context.towns[:3]], "origin_action_id": [],
                                     "started_on": ""})
    row = next(r for r in all_rows(source) if r.title == "Une coopérative")
    assert source.count() == 3
    ws.projects.delete(row.id)
    assert source.count() == 2


def test_indicators_computed_targets_and_manual_measurements(ws, plan_id):
    rows = ws.indicators.rows(plan_id, TODAY)
    assert [r.computed for r in rows] == [True] * 4
    key = rows[0].id
    ws.indicators.set_target(plan_id, key, "75")
    assert ws.indicators.target_text(plan_id, key) == "75"
    with pytest.raises(ValueError):
        ws.indicators.delete(key)  # a computed indicator is not deleted

    ws.indicators.save(plan_id, None, {**ws.indicators.form(None), "label": "Visiteurs", "target": "500"})
    manual = ws.indicators.rows(plan_id, TODAY)[4]
    assert (manual.label, manual.computed) == ("Visiteurs", False)
    assert ws.indicators.form(manual.id)["label"] == "Visiteurs"
    ws.indicators.measure(manual.id, {"measured_on": "2021-06-01", "value": "120", "note": ""})
    assert [m.value for m in ws.indicators.latest(manual.id)] == [120]
    ws.indicators.delete(manual.id)
    assert len(ws.indicators.rows(plan_id, TODAY)) == 4


# --- plans, défis, dashboard, conflicts -----------------------------------------------------------


def test_challenges_plans_status_and_dashboard(ws, sessions, plan_id):
    summaries = ws.challenges.summaries(plan_id)
    context = ws.challenges.form(plan_id, None)
    assert context["number"] == str(len([s for s in summaries if not s.challenge.transversal]) + 1)
    ws.challenges.save(plan_id, None, {**context, "title": "Un défi de plus"})
    added = next(s.challenge for s in ws.challenges.summaries(plan_id) if s.challenge.title == "Un défi de plus")
    assert "Un défi de plus" in ws.challenges.delete_question(plan_id, added.id)
    ws.challenges.delete(added.id)
    assert len(ws.challenges.summaries(plan_id)) == len(summaries)

    before = sessions.reads
    status = ws.plans.status(TODAY)
    dashboard = ws.plans.dashboard(plan_id, TODAY)
    assert sessions.reads == before + 2
    assert status.plan.id == plan_id and status.counts.actions == 11 and len(status.indicators) == 4
    assert sum(dashboard.by_status.values()) == 11

    rows = ws.plans.rows()
    other = next(r for r in rows if r.id != plan_id)
    ws.plans.make_current(other.id)
    assert ws.plans.current().id == other.id
    values = ws.plans.form(other.id)
    ws.plans.update(other.id, {**values, "title": "Renommé"})
    assert ws.plans.current().title == "Renommé"
    assert ws.conflicts.count() == 0 and ws.conflicts.open() == []


def test_a_refused_write_leaves_the_plan_as_it_was(ws, plan_id):
    """A refusal in the middle of a write (here: an unknown défi) rolls the whole transaction back."""
    context = ws.actions.form(plan_id, None)
    before = [dataclasses.astuple(r) for r in all_rows(ws.actions.source(plan_id))]
    with pytest.raises(FormErrors):
        ws.actions.save(plan_id, None, {**context.values, "title": "X", "challenge_id": None})
    assert [dataclasses.astuple(r) for r in all_rows(ws.actions.source(plan_id))] == before
