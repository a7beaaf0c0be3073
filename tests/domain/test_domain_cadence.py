"""The governance rhythm on hand-made meetings: which meetings are due, which are late."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select

from coopterm.domain.cadence import DueMeeting, meetings_due, plan_over
from coopterm.domain.rows import tombstone
from coopterm.models import Meeting, Plan, PlanTown, Town
from coopterm.vocabulary import MeetingKind

TECH, COORD = MeetingKind.TECHNICAL_GROUP, MeetingKind.COORDINATION
TODAY = dt.date(2021, 3, 15)


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.timezone.utc)


@pytest.fixture
def towns(db, plan):
    """Monastir, Saint-Étienne and Sierre take part in the plan; Tamatave left it (deleted membership)."""
    with db.write() as s:
        rows = {name: Town(name=name) for name in ("Monastir", "Saint-Étienne", "Sierre", "Tamatave")}
        s.add_all(rows.values())
        s.flush()
        for town in rows.values():
            s.add(PlanTown(plan_id=plan.id, town_id=town.id))
        s.flush()
        left = s.exec(select(PlanTown).where(PlanTown.town_id == rows["Tamatave"].id)).one()
        tombstone(s, left)
    return rows


def add_meeting(db, plan, kind, day, town=None, *, deleted=False, hour=9, remote=False):
    with db.write() as s:
        m = Meeting(plan_id=plan.id, kind=kind, starts_at=at(day, hour), town_id=town.id if town else None,
                    remote=remote, title=f"{kind.value} {day}")
        s.add(m)
        s.flush()
        if deleted:
            tombstone(s, m)
    return m


def due_now(db, plan, today=TODAY) -> list[DueMeeting]:
    with db.read() as s:
        return meetings_due(s, s.get(Plan, plan.id), today)


def by_town(due: list[DueMeeting]) -> dict[str | None, DueMeeting]:
    return {d.town_name if d.kind is TECH else "coordination": d for d in due}


@pytest.fixture
def scene(db, plan, towns):
    """Monastir 10 days late, Saint-Étienne never met, Sierre and the coordination on time."""
    m, se, si = towns["Monastir"], towns["Saint-Étienne"], towns["Sierre"]
    add_meeting(db, plan, TECH, dt.date(2021, 1, 22), m)  # + 6 weeks = 5 March: 10 days late on 15 March
    add_meeting(db, plan, TECH, dt.date(2021, 3, 10), m, deleted=True)  # deleted: does not count
    add_meeting(db, plan, MeetingKind.FORUM, dt.date(2021, 3, 12), m)  # another kind: does not count
    add_meeting(db, plan, TECH, dt.date(2021, 3, 1), si)
    add_meeting(db, plan, TECH, dt.date(2021, 3, 20), si)  # planned, not held yet
    add_meeting(db, plan, TECH, dt.date(2021, 3, 14))  # a technical group with no town: not a town's
    add_meeting(db, plan, TECH, dt.date(2021, 3, 14), towns["Tamatave"])  # not a partner any more
    add_meeting(db, plan, COORD, dt.date(2021, 1, 10), se)
    add_meeting(db, plan, COORD, dt.date(2021, 2, 20), remote=True)  # the last coordination, remote
    add_meeting(db, plan, COORD, dt.date(2021, 3, 14), deleted=True)
    return towns


def test_each_partner_town_and_the_coordination_are_due(db, plan, scene):
    due = due_now(db, plan)
    assert [(d.kind, d.town_name) for d in due] == [
        (TECH, "Saint-Étienne"), (TECH, "Monastir"), (TECH, "Sierre"), (COORD, None),
    ]


def test_a_town_late_by_ten_days(db, plan, scene):
    monastir = by_town(due_now(db, plan))["Monastir"]
    assert monastir.town_id == scene["Monastir"].id
    assert monastir.last_held == dt.date(2021, 1, 22)  # the deleted one of 10 March is ignored
    assert monastir.due == dt.date(2021, 3, 5)
    assert monastir.overdue and monastir.days_late == 10


def test_a_town_that_never_met_is_due_one_rhythm_after_the_start(db, plan, scene):
    st_etienne = by_town(due_now(db, plan))["Saint-Étienne"]
    assert st_etienne.last_held is None
    assert st_etienne.due == dt.date(2019, 1, 1) + dt.timedelta(weeks=6)
    assert st_etienne.overdue and st_etienne.days_late == (TODAY - st_etienne.due).days


def test_planned_meetings_are_not_held_yet(db, plan, scene):
    sierre = by_town(due_now(db, plan))["Sierre"]
    assert sierre.last_held == dt.date(2021, 3, 1)
    assert sierre.due == dt.date(2021, 4, 12)
    assert not sierre.overdue and sierre.days_late == 0


def test_coordination_anywhere_or_remote_on_time(db, plan, scene):
    coordination = by_town(due_now(db, plan))["coordination"]
    assert coordination.town_id is None and coordination.town_name is None
    assert coordination.last_held == dt.date(2021, 2, 20)  # remote; the deleted one of 14 March is ignored
    assert coordination.due == dt.date(2021, 2, 20) + dt.timedelta(weeks=8)
    assert not coordination.overdue


def test_overdue_first_then_by_due_date(db, plan, scene):
    due = due_now(db, plan)
    overdue = [d for d in due if d.overdue]
    assert due[: len(overdue)] == overdue
    assert [d.due for d in overdue] == sorted(d.due for d in overdue)
    assert [d.due for d in due[len(overdue):]] == sorted(d.due for d in due[len(overdue):])


def test_due_today_is_not_late_and_a_meeting_today_counts(db, plan, towns):
    add_meeting(db, plan, TECH, TODAY - dt.timedelta(weeks=6), towns["Monastir"])
    add_meeting(db, plan, TECH, TODAY, towns["Sierre"], hour=23)
    due = by_town(due_now(db, plan))
    assert due["Monastir"].due == TODAY and not due["Monastir"].overdue
    assert due["Sierre"].last_held == TODAY


def test_the_plan_rhythm_is_a_setting(db, plan, towns):
    with db.write() as s:
        row = s.get(Plan, plan.id)
        row.tech_group_every_weeks, row.coordination_every_weeks = 4, 12
        s.add(row)
    add_meeting(db, plan, TECH, dt.date(2021, 2, 1), towns["Monastir"])
    add_meeting(db, plan, COORD, dt.date(2021, 2, 1))
    due = by_town(due_now(db, plan))
    assert due["Monastir"].due == dt.date(2021, 3, 1)
    assert due["coordination"].due == dt.date(2021, 4, 26)


def test_meetings_before_the_plan_do_not_count(db, plan, towns):
    add_meeting(db, plan, TECH, dt.date(2018, 12, 20), towns["Monastir"])
    assert by_town(due_now(db, plan, dt.date(2019, 1, 20)))["Monastir"].last_held is None


def test_before_the_start_nothing_is_late(db, plan, towns):
    assert not any(d.overdue for d in due_now(db, plan, dt.date(2018, 12, 1)))


def test_after_the_plans_end_nothing_is_due(db, plan, scene):
    with db.read() as s:
        row = s.get(Plan, plan.id)
        assert not plan_over(row, dt.date(2021, 12, 31))
        assert plan_over(row, dt.date(2022, 1, 1))
    assert due_now(db, plan, dt.date(2021, 12, 31)) != []
    assert due_now(db, plan, dt.date(2022, 1, 1)) == []


def test_a_due_date_after_the_end_is_not_listed(db, plan, towns):
    for town in towns.values():
        add_meeting(db, plan, TECH, dt.date(2021, 12, 1), town)
    add_meeting(db, plan, COORD, dt.date(2021, 11, 10))  # + 8 weeks = 5 January 2022
    assert due_now(db, plan, dt.date(2021, 12, 15)) == []


def test_a_plan_without_towns_still_expects_coordination(db, plan):
    due = due_now(db, plan)
    assert [(d.kind, d.overdue) for d in due] == [(COORD, True)]


def test_other_plans_meetings_do_not_count(db, plan, towns):
    with db.write() as s:
        other = Plan(title="Other", start_date=dt.date(2019, 1, 1), end_date=dt.date(2021, 12, 31))
        s.add(other)
    add_meeting(db, other, TECH, dt.date(2021, 3, 10), towns["Monastir"])
    assert by_town(due_now(db, plan))["Monastir"].last_held is None
