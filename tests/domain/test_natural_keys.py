"""A link and a computed indicator have the id of what they are (``domain/keys.py``): the same
one made on two copies of a file is the same row, and one removed and made again is its own
row revived, never a second one."""

from __future__ import annotations

import ast
import importlib.util
import uuid
from pathlib import Path

import pytest
from sqlmodel import col, select

from coopterm.domain.actions import action_detail, update_action
from coopterm.domain.history import describe, row_history
from coopterm.domain.keys import LINKS, computed_indicator_id, link_id
from coopterm.domain.manual_indicators import set_computed_target
from coopterm.domain.meetings import meeting_form_values, update_meeting
from coopterm.domain.persons import add_town
from coopterm.domain.plans import current_plan
from coopterm.domain.projects import project_form_values, update_project
from coopterm.domain.rows import tombstone
from coopterm.models import (
    Action,
    ActionPilot,
    ActionTown,
    Indicator,
    Meeting,
    MeetingAttendee,
    NewProject,
    NewProjectTown,
    Person,
    Plan,
    PlanTown,
    Town,
    table_of,
)
from coopterm.store import export_copy, open_database
from coopterm.vocabulary import ProjectScope

MIGRATION = (Path(__file__).parents[2] / "src" / "coopterm" / "store" / "migrations" / "versions"
             / "0007_one_row_per_natural_key.py")


def _migration():
    spec = importlib.util.spec_from_file_location("migration_0007", MIGRATION)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _first_lacking(session, owner_ids, linked_of, candidates):
    """The first owner (by id) lacking one of ``candidates``, and the first one it lacks."""
    for owner in owner_ids:
        linked = set(linked_of(owner))
        lacking = [c for c in candidates if c not in linked]
        if lacking:
            return owner, lacking[0]
    raise AssertionError("the demo has no owner lacking a link")


def _choices(session):
    """What each copy adds: one town to an action, one lead, one attendee, one project town
    and one plan town, all lacking in the demo (so both copies make them new)."""
    towns = list(session.exec(select(Town.id).where(col(Town.deleted_at).is_(None)).order_by(col(Town.id))))
    people = list(session.exec(select(Person.id).where(col(Person.deleted_at).is_(None)).order_by(col(Person.id))))
    actions = list(session.exec(select(Action.id).where(col(Action.deleted_at).is_(None)).order_by(col(Action.id))))
    action, town = _first_lacking(session, actions,
                                  lambda a: action_detail(session, a).form_values()["towns"], towns)
    led, person = _first_lacking(session, actions,
                                 lambda a: action_detail(session, a).form_values()["pilots"], people)
    meetings = list(session.exec(select(Meeting.id).where(col(Meeting.deleted_at).is_(None))
                                 .order_by(col(Meeting.id))))
    meeting, attendee = _first_lacking(session, meetings,
                                       lambda m: meeting_form_values(session, m)["attendees"], people)
    projects = list(session.exec(select(NewProject.id).where(NewProject.scope == ProjectScope.MULTILATERAL)
                                 .order_by(col(NewProject.id))))
    project, project_town = _first_lacking(session, projects,
                                           lambda p: project_form_values(session, p)["towns"], towns)
    plans = list(session.exec(select(Plan.id).order_by(col(Plan.id))))
    plan, plan_town = _first_lacking(session, plans, lambda p: session.exec(
        select(PlanTown.town_id).where(PlanTown.plan_id == p)).all(), towns)
    return {
        ActionTown: (action, town), ActionPilot: (led, person), MeetingAttendee: (meeting, attendee),
        NewProjectTown: (project, project_town), PlanTown: (plan, plan_town),
    }


def _add_every_link(db, chosen) -> None:
    with db.write() as s:
        action, town = chosen[ActionTown]
        values = action_detail(s, action).form_values()
        update_action(s, action, {**values, "towns": [*values["towns"], town]})
        action, person = chosen[ActionPilot]
        values = action_detail(s, action).form_values()
        update_action(s, action, {**values, "pilots": [*values["pilots"], person]})
        meeting, person = chosen[MeetingAttendee]
        values = meeting_form_values(s, meeting)
        update_meeting(s, meeting, {**values, "attendees": [*values["attendees"], person]})
        project, town = chosen[NewProjectTown]
        values = project_form_values(s, project)
        update_project(s, project, {**values, "towns": [*values["towns"], town]})
        plan, town = chosen[PlanTown]
        add_town(s, plan, {"name": s.get(Town, town).name})


def _link_rows(db, model, owner_id, other_id) -> list:
    owner, other = LINKS[table_of(model).name]
    with db.read() as s:
        return list(s.exec(select(model).where(getattr(model, owner) == owner_id, getattr(model, other) == other_id)))


def test_the_same_links_made_on_two_copies_have_the_same_ids(demo_db, tmp_path):
    export_copy(demo_db, tmp_path / "a.db")
    export_copy(demo_db, tmp_path / "b.db")
    with demo_db.read() as s:
        chosen = _choices(s)
    made = {}
    for name in ("a.db", "b.db"):
        with open_database(tmp_path / name) as copy:
            _add_every_link(copy, chosen)
            made[name] = {model: [(r.id, r.deleted_at) for r in _link_rows(copy, model, *ends)]
                          for model, ends in chosen.items()}
    for model, (owner, other) in chosen.items():
        expected = link_id(model, owner, other)
        assert made["a.db"][model] == made["b.db"][model] == [(expected, None)], model.__tablename__


def test_a_link_removed_and_made_again_is_its_own_row_revived(db, plan):
    with db.write() as s:
        add_town(s, plan.id, {"name": "Sierre", "country": "Suisse"})
    with db.read() as s:
        town = s.exec(select(Town)).one()
    [row] = _link_rows(db, PlanTown, plan.id, town.id)
    assert row.id == link_id(PlanTown, plan.id, town.id)
    with db.write() as s:
        tombstone(s, s.get(PlanTown, row.id))
    with db.write() as s:
        add_town(s, plan.id, {"name": "Sierre"})
    [again] = _link_rows(db, PlanTown, plan.id, town.id)
    assert (again.id, again.deleted_at) == (row.id, None)
    with db.read() as s:
        assert [e.op for e in row_history(s, [row.id])] == ["restore", "delete", "create"]


def test_an_attendee_removed_and_added_again_revives_the_same_row(demo_db):
    with demo_db.read() as s:
        meeting = s.exec(select(Meeting).where(col(Meeting.deleted_at).is_(None)).order_by(col(Meeting.id))).first()
        values = meeting_form_values(s, meeting.id)
    person = values["attendees"][0]
    with demo_db.write() as s:
        update_meeting(s, meeting.id, {**values, "attendees": values["attendees"][1:]})
    with demo_db.write() as s:
        update_meeting(s, meeting.id, values)
    [row] = _link_rows(demo_db, MeetingAttendee, meeting.id, person)
    assert (row.id, row.deleted_at) == (link_id(MeetingAttendee, meeting.id, person), None)
    with demo_db.read() as s:
        entries = row_history(s, [row.id])
        assert [e.op for e in entries] == ["restore", "delete", "create"]
        assert describe(entries[0]).endswith(f"Attendee added again: {s.get(Person, person).name}")


def test_an_action_s_town_removed_and_added_again_is_one_row(demo_db):
    with demo_db.read() as s:
        action = s.exec(select(ActionTown).order_by(col(ActionTown.id))).first().action_id
        values = action_detail(s, action).form_values()
    town = values["towns"][0]
    with demo_db.write() as s:
        update_action(s, action, {**values, "towns": values["towns"][1:]})
    with demo_db.write() as s:
        update_action(s, action, values)
    rows = _link_rows(demo_db, ActionTown, action, town)
    assert [(r.id, r.deleted_at) for r in rows] == [(link_id(ActionTown, action, town), None)]


def test_the_demo_s_links_and_computed_indicators_have_their_derived_ids(demo_db):
    with demo_db.read() as s:
        for model in (PlanTown, ActionTown, ActionPilot, MeetingAttendee, NewProjectTown):
            owner, other = LINKS[table_of(model).name]
            rows = s.exec(select(model)).all()
            assert rows and all(r.id == link_id(model, getattr(r, owner), getattr(r, other)) for r in rows)
        computed = s.exec(select(Indicator).where(col(Indicator.key).is_not(None))).all()
        assert computed and all(r.id == computed_indicator_id(r.plan_id, r.key) for r in computed)
        plan = current_plan(s)
    with demo_db.write() as s:
        change = set_computed_target(s, plan.id, "completion_rate", "77")
    assert change.id == computed_indicator_id(plan.id, "completion_rate")


def test_link_ids_depend_on_the_table_and_both_ends():
    one, two = uuid.uuid4(), uuid.uuid4()
    ids = {link_id(table, one, two) for table in LINKS} | {link_id(t, two, one) for t in LINKS}
    assert len(ids) == 2 * len(LINKS)
    assert link_id(ActionTown, one, two) == link_id("action_town", one, two)
    with pytest.raises(ValueError):
        link_id(Town, one, two)


def test_migration_0007_derives_the_ids_the_app_does():
    """The migration repeats the namespaces (it must not change when the app does): both agree."""
    migration = _migration()
    assert migration.LINKS == LINKS
    for _ in range(20):
        one, two = uuid.uuid4(), uuid.uuid4()
        for table in LINKS:
            assert migration.link_id(table, one.hex, two.hex) == link_id(table, one, two).hex
        for key in ("completion_rate", "satisfaction_rate", "multilateral_share", "new_projects"):
            assert migration.computed_indicator_id(one.hex, key) == computed_indicator_id(one, key).hex


def test_migration_0007_imports_no_app_code():
    tree = ast.parse(MIGRATION.read_text("utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not [name for name in imported if name.startswith("coopterm")]
