"""A meeting's day is the day on the clocks of its zone, wherever a date of it is used (issue 14).

A technical group at 01:00 in Tamatave (Indian/Antananarivo, UTC+3) starts at 22:00
UTC the evening before; a remote call at 00:30 in Paris starts at 23:30 UTC the
evening before.  The partners met on the local day: the governance rhythm, the
latest changes, the history's name of the meeting and an action's "latest meeting"
all say that day.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import event

from coopterm import present
from coopterm.domain import zones
from coopterm.domain.activity import latest_changes
from coopterm.domain.cadence import last_held, meetings_due
from coopterm.domain.history import row_label
from coopterm.domain.meetings import MeetingQuery, action_meetings, count_meetings, create_meeting, fetch_meetings
from coopterm.domain.report import build_report
from coopterm.models import Action, Challenge, Meeting, Plan, PlanTown, Town
from coopterm.vocabulary import MeetingKind

TECH, COORD = MeetingKind.TECHNICAL_GROUP, MeetingKind.COORDINATION
TODAY = dt.date(2021, 3, 15)
UTC = dt.timezone.utc


@pytest.fixture
def towns(db, plan):
    """The plan on Paris time; Tamatave on Madagascar's clocks, Chinon on the plan's."""
    with db.write() as s:
        row = s.get(Plan, plan.id)
        row.time_zone = "Europe/Paris"
        s.add(row)
        tamatave, chinon = Town(name="Tamatave", time_zone="Indian/Antananarivo"), Town(name="Chinon")
        s.add_all([tamatave, chinon])
        s.flush()
        s.add_all(PlanTown(plan_id=plan.id, town_id=town.id) for town in (tamatave, chinon))
    return {"Tamatave": tamatave.id, "Chinon": chinon.id}


def add(db, plan, kind, starts_at, town_id=None, *, remote=False, title="Réunion"):
    with db.write() as s:
        row = Meeting(plan_id=plan.id, kind=kind, starts_at=starts_at, town_id=town_id, remote=remote, title=title)
        s.add(row)
    return row.id


def held(db, plan, today=TODAY):
    with db.read() as s:
        return last_held(s, s.get(Plan, plan.id), today)


def due(db, plan, today=TODAY):
    with db.read() as s:
        return {d.town_name or "coordination": d for d in meetings_due(s, s.get(Plan, plan.id), today)}


def test_a_meeting_at_one_in_the_morning_in_tamatave_was_held_on_the_local_day(db, plan, towns):
    # 10 March 01:00 EAT is 9 March 22:00 UTC
    add(db, plan, TECH, dt.datetime(2021, 3, 9, 22, 0, tzinfo=UTC), towns["Tamatave"])
    assert zones.to_local(dt.datetime(2021, 3, 9, 22, 0, tzinfo=UTC), "Indian/Antananarivo").day == 10
    assert held(db, plan)[(TECH, towns["Tamatave"])] == dt.date(2021, 3, 10)
    tamatave = due(db, plan)["Tamatave"]
    assert tamatave.last_held == dt.date(2021, 3, 10)
    assert tamatave.due == dt.date(2021, 4, 21)  # six weeks after the local day


def test_a_meeting_tomorrow_at_one_in_tamatave_is_not_held_yet_although_its_utc_day_is_today(db, plan, towns):
    add(db, plan, TECH, dt.datetime(2021, 3, 1, 7, 0, tzinfo=UTC), towns["Tamatave"])
    # 16 March 01:00 EAT is 15 March (today) 22:00 UTC: planned, not held
    add(db, plan, TECH, dt.datetime(2021, 3, 15, 22, 0, tzinfo=UTC), towns["Tamatave"])
    assert held(db, plan)[(TECH, towns["Tamatave"])] == dt.date(2021, 3, 1)
    assert held(db, plan, TODAY + dt.timedelta(days=1))[(TECH, towns["Tamatave"])] == dt.date(2021, 3, 16)


def test_a_meeting_on_the_plans_first_local_day_counts(db, plan, towns):
    # 1 January 2019 01:00 EAT is 31 December 2018 22:00 UTC, before the plan in UTC
    add(db, plan, TECH, dt.datetime(2018, 12, 31, 22, 0, tzinfo=UTC), towns["Tamatave"])
    # 31 December 2018 at 23:00 in Chinon (Paris time, the plan's) is before the plan on every clock
    add(db, plan, TECH, dt.datetime(2018, 12, 31, 22, 0, tzinfo=UTC), towns["Chinon"])
    found = held(db, plan, dt.date(2019, 1, 20))
    assert found == {(TECH, towns["Tamatave"]): dt.date(2019, 1, 1)}


def test_a_remote_meeting_is_held_on_the_plans_local_day(db, plan, towns):
    # 1 March 00:30 in Paris is 28 February 23:30 UTC
    add(db, plan, COORD, dt.datetime(2021, 2, 28, 23, 30, tzinfo=UTC), remote=True)
    assert held(db, plan)[(COORD, None)] == dt.date(2021, 3, 1)
    assert due(db, plan)["coordination"].last_held == dt.date(2021, 3, 1)


def test_a_remote_meeting_recorded_with_a_town_is_on_the_plans_clocks(db, plan, towns):
    with db.write() as s:
        far = Town(name="Fort-de-France", time_zone="America/Martinique")
        s.add(far)
    # 9 March 23:30 UTC is 10 March 00:30 in Paris, but 9 March 19:30 in Martinique: remote, so 10 March
    add(db, plan, TECH, dt.datetime(2021, 3, 9, 23, 30, tzinfo=UTC), far.id, remote=True)
    assert held(db, plan)[(TECH, far.id)] == dt.date(2021, 3, 10)


def test_the_rhythm_reads_a_few_queries_whatever_the_number_of_meetings(db, plan, towns):
    statements: list[str] = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    def count() -> int:
        statements.clear()
        event.listen(db.engine, "before_cursor_execute", seen)
        try:
            due(db, plan)
        finally:
            event.remove(db.engine, "before_cursor_execute", seen)
        return sum(1 for s in statements if s.lstrip().upper().startswith("SELECT"))

    add(db, plan, TECH, dt.datetime(2021, 3, 9, 22, 0, tzinfo=UTC), towns["Tamatave"])
    few = count()
    for week in range(60):
        for town in (towns["Tamatave"], towns["Chinon"], None):
            add(db, plan, TECH if town else COORD, dt.datetime(2020, 1, 6, 9, tzinfo=UTC) + dt.timedelta(weeks=week),
                town, remote=town is None)
    assert count() == few <= 5


def test_the_latest_changes_give_a_meetings_local_day(db, plan, towns):
    meeting = add(db, plan, TECH, dt.datetime(2021, 3, 9, 22, 0, tzinfo=UTC), towns["Tamatave"])
    remote = add(db, plan, COORD, dt.datetime(2021, 2, 28, 23, 30, tzinfo=UTC), remote=True)
    with db.read() as s:
        days = {c.id: c.day for c in latest_changes(s, plan.id) if c.kind == "meeting"}
    assert days == {meeting: dt.date(2021, 3, 10), remote: dt.date(2021, 3, 1)}


def test_the_history_names_a_meeting_by_its_local_day(db, plan, towns):
    meeting = add(db, plan, TECH, dt.datetime(2021, 3, 9, 22, 0, tzinfo=UTC), towns["Tamatave"], title="Groupe")
    remote = add(db, plan, COORD, dt.datetime(2021, 2, 28, 23, 30, tzinfo=UTC), remote=True, title="Appel")
    with db.read() as s:
        assert row_label(s, "meeting", meeting) == f"Groupe ({present.date(dt.date(2021, 3, 10))})"
        assert row_label(s, "meeting", remote) == f"Appel ({present.date(dt.date(2021, 3, 1))})"


def test_an_actions_meetings_give_their_local_day(db, plan, towns):
    with db.write() as s:
        challenge = Challenge(plan_id=plan.id, number=1, title="Formation")
        s.add(challenge)
        s.flush()
        action = Action(challenge_id=challenge.id, number=1, title="Échanges")
        s.add(action)
        s.flush()
        decided = [{"text": "Lancer", "action_id": action.id}]
        in_tamatave = create_meeting(s, plan.id, {"kind": "technical_group", "date": "10/03/2021", "time": "01:00",
                                                  "town_id": towns["Tamatave"], "title": "Groupe",
                                                  "decisions": decided}).id
        remote = create_meeting(s, plan.id, {"kind": "coordination", "date": "01/03/2021", "time": "00:30",
                                             "remote": True, "title": "Appel", "decisions": decided}).id
    with db.read() as s:
        found = {m.meeting_id: m for m in action_meetings(s, action.id)}
    assert found[in_tamatave].starts_at == dt.datetime(2021, 3, 9, 22, 0, tzinfo=UTC)
    assert found[in_tamatave].local_start.date() == dt.date(2021, 3, 10)
    assert found[in_tamatave].local_start.tzname() == "EAT"
    assert found[remote].starts_at == dt.datetime(2021, 2, 28, 23, 30, tzinfo=UTC)
    assert found[remote].local_start.date() == dt.date(2021, 3, 1)


def test_the_period_filter_reads_each_meetings_own_day(db, plan, towns):
    early_in_tamatave = add(db, plan, TECH, dt.datetime(2021, 3, 9, 22, 0, tzinfo=UTC), towns["Tamatave"])  # 10 March
    past_midnight_in_chinon = add(db, plan, TECH, dt.datetime(2021, 3, 9, 23, 30, tzinfo=UTC), towns["Chinon"])
    add(db, plan, TECH, dt.datetime(2021, 3, 8, 23, 0, tzinfo=UTC), towns["Chinon"])  # 9 March 00:00 Paris
    add(db, plan, TECH, dt.datetime(2021, 3, 10, 22, 0, tzinfo=UTC), towns["Tamatave"])  # 11 March 01:00 EAT
    add(db, plan, COORD, dt.datetime(2021, 3, 10, 23, 0, tzinfo=UTC), remote=True)  # 11 March 00:00 Paris
    query = MeetingQuery(date_from=dt.date(2021, 3, 10), date_to=dt.date(2021, 3, 10))
    with db.read() as s:
        found = {r.id for r in fetch_meetings(s, plan.id, query)}
        assert count_meetings(s, plan.id, query) == 2
    assert found == {early_in_tamatave, past_midnight_in_chinon}


def test_the_report_lists_the_meetings_held_by_today_on_their_own_clocks(db, plan, towns):
    add(db, plan, TECH, dt.datetime(2021, 3, 14, 22, 0, tzinfo=UTC), towns["Tamatave"], title="Held today")
    add(db, plan, TECH, dt.datetime(2021, 3, 15, 22, 0, tzinfo=UTC), towns["Tamatave"], title="Tomorrow 01:00")
    with db.read() as s:
        report = build_report(s, s.get(Plan, plan.id), TODAY)
    assert [m.title for m in report.meetings] == ["Held today"]
