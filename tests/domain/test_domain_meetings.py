"""Meetings in the domain layer: checked writes, tombstones, windowed reads, the next meeting."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select

from coopterm.domain.indicators import ActionTally, tally_survey
from coopterm.domain.meetings import (
    MeetingQuery,
    action_choices,
    action_meetings,
    count_meetings,
    create_meeting,
    delete_meeting,
    fetch_meetings,
    meeting_form_values,
    next_meeting_values,
    next_title,
    satisfaction,
    update_meeting,
    validate_period,
)
from coopterm.domain.validation import FormErrors
from coopterm.models import Action, Challenge, Decision, Meeting, MeetingAttendee, Person, PlanTown, Town
from coopterm.store import open_database
from coopterm.vocabulary import MeetingKind
from tests.sqlite_steps import steps

UTC = dt.timezone.utc


@pytest.fixture
def setup(db, plan):
    """The empty plan with two towns, three people and two actions."""
    with db.write() as s:
        towns = [Town(name="Monastir"), Town(name="Sierre")]
        people = [Person(name="Adel"), Person(name="Léa"), Person(name="Zoé")]
        challenge = Challenge(plan_id=plan.id, number=2, title="Économie")
        s.add_all([*towns, *people, challenge])
        s.flush()
        s.add_all(PlanTown(plan_id=plan.id, town_id=town.id) for town in towns)
        actions = [Action(challenge_id=challenge.id, number=1, title="Rencontres"),
                   Action(challenge_id=challenge.id, number=2, title="Fonds")]
        s.add_all(actions)
        s.flush()
    return {"db": db, "plan": plan, "towns": towns, "people": people, "actions": actions}


def form(**over):
    data = {"kind": "coordination", "date": "15/03/2021", "time": "13:00", "title": "Coordination n° 4",
            "remote": True, "agenda": "Tour des villes", "minutes": "Compte rendu\nsur deux lignes"}
    data.update(over)
    return data


def meetings(db, *conditions):
    with db.read() as s:
        return s.exec(select(Meeting).where(*conditions)).all()


def test_create_with_attendees_decisions_and_survey(setup):
    db, plan, people, actions = setup["db"], setup["plan"], setup["people"], setup["actions"]
    data = form(attendees=[people[0].id, people[1].id],
                decisions=[{"text": "Lancer les rencontres", "action_id": actions[0].id, "done": False},
                           {"text": "", "action_id": None},  # an empty line is ignored
                           {"text": "Relancer les financeurs", "action_id": [], "done": True}],
                survey_very_satisfied="3", survey_satisfied="2", survey_not_very_satisfied="0",
                survey_not_satisfied=" 1 ")
    with db.write() as s:
        change = create_meeting(s, plan.id, data)
    assert change.changed and change.tally_delta == ActionTally() and change.plan_id == plan.id
    (meeting,) = meetings(db)
    assert meeting.starts_at == dt.datetime(2021, 3, 15, 13, 0, tzinfo=UTC)
    assert meeting.remote and meeting.town_id is None and meeting.minutes == "Compte rendu\nsur deux lignes"
    with db.read() as s:
        assert tally_survey(s, plan.id).responses == 6
        (row,) = fetch_meetings(s, plan.id)
        values = meeting_form_values(s, meeting.id)
    assert row.attendees == 2 and row.satisfaction == pytest.approx(500 / 6) and row.remote
    assert [d["text"] for d in values["decisions"]] == ["Lancer les rencontres", "Relancer les financeurs"]
    assert values["decisions"][0]["action_id"] == actions[0].id and values["decisions"][1]["done"] is True
    assert values["survey_not_satisfied"] == "1" and values["time"] == "13:00"


@pytest.mark.parametrize(("over", "field"), [
    ({"remote": True, "town_id": "TOWN"}, "remote"),
    ({"survey_very_satisfied": "3", "survey_satisfied": "2"}, "survey"),
    ({"survey_very_satisfied": "3", "survey_satisfied": "2", "survey_not_very_satisfied": "x",
      "survey_not_satisfied": "1"}, "survey_not_very_satisfied"),
    ({"date": "31/02/2021"}, "date"),
    ({"date": ""}, "date"),
    ({"time": "25h"}, "time"),
    ({"title": "  "}, "title"),
    ({"kind": "picnic"}, "kind"),
    ({"decisions": [{"text": "", "action_id": "ACTION"}]}, "decisions"),
])
def test_refused_input_saves_nothing(setup, over, field):
    db, plan = setup["db"], setup["plan"]
    over = {k: (setup["towns"][0].id if v == "TOWN" else setup["actions"][0].id if v == "ACTION" else v)
            for k, v in over.items()}
    if "decisions" in over:
        over["decisions"] = [{"text": "", "action_id": setup["actions"][0].id}]
    with pytest.raises(FormErrors) as refused, db.write() as s:
        create_meeting(s, plan.id, form(**over))
    assert field in refused.value.errors and refused.value.errors[field]
    assert meetings(db) == []


def test_remote_and_town_message_is_clear(setup):
    with pytest.raises(FormErrors) as refused, setup["db"].write() as s:
        create_meeting(s, setup["plan"].id, form(town_id=setup["towns"][0].id))
    assert "not both" in refused.value.errors["remote"]


def test_deleted_person_or_action_is_refused(setup):
    db, plan, people, actions = setup["db"], setup["plan"], setup["people"], setup["actions"]
    with db.write() as s:
        gone = s.get(Person, people[2].id)
        gone.deleted_at = dt.datetime(2021, 1, 1, tzinfo=UTC)
        s.add(gone)
        old = s.get(Action, actions[1].id)
        old.deleted_at = dt.datetime(2021, 1, 1, tzinfo=UTC)
        s.add(old)
    with pytest.raises(FormErrors) as refused, db.write() as s:
        create_meeting(s, plan.id, form(attendees=[people[2].id],
                                        decisions=[{"text": "x", "action_id": actions[1].id}]))
    assert set(refused.value.errors) == {"attendees", "decisions"}
    assert meetings(db) == []


def test_update_syncs_attendees_and_decisions_with_tombstones(setup):
    db, plan, people, actions = setup["db"], setup["plan"], setup["people"], setup["actions"]
    with db.write() as s:
        change = create_meeting(s, plan.id, form(
            attendees=[people[0].id, people[1].id],
            decisions=[{"text": "A", "action_id": actions[0].id}, {"text": "B"}]))
    with db.read() as s:
        values = meeting_form_values(s, change.id)
    kept, dropped = values["decisions"]
    values.update(attendees=[people[1].id, people[2].id], remote=False, town_id=setup["towns"][1].id,
                  decisions=[{**kept, "done": True}, {"text": "C"}])
    with db.write() as s:
        assert update_meeting(s, change.id, values).changed
    with db.read() as s:
        live = s.exec(select(MeetingAttendee.person_id).where(MeetingAttendee.deleted_at.is_(None))).all()
        assert set(live) == {people[1].id, people[2].id}
        decisions = {d.text: d for d in s.exec(select(Decision))}
    assert decisions["A"].done and decisions["A"].id == kept["id"] and decisions["A"].deleted_at is None
    assert decisions["B"].deleted_at is not None and decisions["C"].deleted_at is None
    with db.read() as s:
        again = meeting_form_values(s, change.id)
    with db.write() as s:
        assert not update_meeting(s, change.id, again).changed  # same values: nothing written


def test_delete_leaves_tombstones(setup):
    db, plan, people = setup["db"], setup["plan"], setup["people"]
    with db.write() as s:
        change = create_meeting(s, plan.id, form(attendees=[people[0].id], decisions=[{"text": "A"}]))
    with db.write() as s:
        assert delete_meeting(s, change.id).changed
    with db.read() as s:
        for model in (Meeting, MeetingAttendee, Decision):
            rows = s.exec(select(model)).all()
            assert rows and all(r.deleted_at is not None for r in rows), model
        assert count_meetings(s, plan.id) == 0
    with db.write() as s:
        assert not delete_meeting(s, change.id).changed


@pytest.fixture
def demo(tmp_path):
    from coopterm.demo import create_demo_database

    with open_database(create_demo_database(tmp_path / "demo.db")) as database:
        yield database


def demo_plan(db):
    from coopterm.domain.plans import current_plan

    with db.read() as s:
        return current_plan(s)


def test_table_is_newest_first_and_windowed(demo):
    plan = demo_plan(demo)
    with demo.read() as s:
        total = count_meetings(s, plan.id)
        first = fetch_meetings(s, plan.id, MeetingQuery(), 0, 10)
        later = fetch_meetings(s, plan.id, MeetingQuery(), 10, 10)
    assert total == 153 and len(first) == len(later) == 10
    times = [r.starts_at for r in first + later]
    assert times == sorted(times, reverse=True)


def test_a_window_of_meetings_costs_the_same_whatever_their_number(setup):
    """The newest meetings are read from the index in the table's order
    (``ix_meeting_by_start``): a window does not sort every meeting of the plan."""
    db, plan = setup["db"], setup["plan"]
    start = dt.datetime(2019, 1, 1, 9, tzinfo=UTC)

    def add(first: int, count: int) -> None:
        with db.write() as s:
            s.add_all(Meeting(plan_id=plan.id, kind=MeetingKind.COORDINATION, title=f"Réunion {i}",
                              starts_at=start + dt.timedelta(hours=i)) for i in range(first, first + count))

    add(0, 50)
    small = steps(db, fetch_meetings, plan.id, MeetingQuery(), 0, 20)
    add(50, 3000)
    with db.read() as s:
        rows = fetch_meetings(s, plan.id, MeetingQuery(), 0, 20)
        assert count_meetings(s, plan.id) == 3050
    assert [r.title for r in rows[:2]] == ["Réunion 3049", "Réunion 3048"]
    assert steps(db, fetch_meetings, plan.id, MeetingQuery(), 0, 20) < 2 * small


def test_the_table_read_from_its_end_gives_the_same_rows(demo):
    """The oldest meetings are read oldest first and turned round (``from_end``, the table's
    ``end``): the same rows in the same order as read from the newest, with or without a filter."""
    plan = demo_plan(demo)
    for query in (MeetingQuery(), MeetingQuery(kind=MeetingKind.TECHNICAL_GROUP),
                  MeetingQuery(date_from=dt.date(2019, 1, 1), date_to=dt.date(2020, 12, 31))):
        with demo.read() as s:
            total = count_meetings(s, plan.id, query)
            forwards = fetch_meetings(s, plan.id, query, 0, total)
            backwards: list = []
            for offset in range(0, total, 7):
                backwards[:0] = fetch_meetings(s, plan.id, query, offset, min(7, total - offset), from_end=True)
        assert total > 7 and [r.id for r in backwards] == [r.id for r in forwards], query


def test_filters_by_kind_town_period_and_title(demo):
    plan = demo_plan(demo)
    with demo.read() as s:
        monastir = s.exec(select(Town).where(Town.name == "Monastir")).one()
        forums = fetch_meetings(s, plan.id, MeetingQuery(kind=MeetingKind.FORUM), 0, 50)
        in_monastir = count_meetings(s, plan.id, MeetingQuery(town_id=monastir.id))
        tech_monastir = count_meetings(s, plan.id, MeetingQuery(kind=MeetingKind.TECHNICAL_GROUP,
                                                                town_id=monastir.id))
        period = fetch_meetings(s, plan.id, MeetingQuery(date_from=dt.date(2020, 1, 1),
                                                         date_to=dt.date(2020, 1, 31)), 0, 50)
        titled = fetch_meetings(s, plan.id, MeetingQuery(text="FORUM ANNUEL"), 0, 50)
    assert len(forums) == 3 and {r.kind for r in forums} == {MeetingKind.FORUM}
    assert in_monastir == tech_monastir + 1  # the 2020 forum was in Monastir
    assert period and all(dt.date(2020, 1, 1) <= r.starts_at.date() <= dt.date(2020, 1, 31) for r in period)
    assert [r.title for r in titled] == ["Forum annuel des partenaires 2021", "Forum annuel des partenaires 2020"]


def test_period_validation():
    assert validate_period({"date_from": "01/01/2020", "date_to": ""}) == (dt.date(2020, 1, 1), None)
    with pytest.raises(FormErrors) as refused:
        validate_period({"date_from": "2020-02-01", "date_to": "2020-01-01"})
    assert "date_to" in refused.value.errors
    with pytest.raises(FormErrors) as refused:
        validate_period({"date_from": "hier"})
    assert "date_from" in refused.value.errors


def test_next_title():
    assert next_title("Groupe de suivi technique n° 12 — Monastir") == "Groupe de suivi technique n° 13 — Monastir"
    assert next_title("Coordination 9") == "Coordination 10"
    assert next_title("Point 007") == "Point 008"
    assert next_title("Forum") == "Forum"


def test_satisfaction():
    assert satisfaction((3, 1, 0, 0)) == 100
    assert satisfaction((None, None, None, None)) is None
    assert satisfaction((0, 0, 0, 0)) is None


def test_next_meeting_moves_by_the_rhythm_and_carries_open_decisions(setup):
    db, plan, people, actions = setup["db"], setup["plan"], setup["people"], setup["actions"]
    with db.write() as s:
        tech = create_meeting(s, plan.id, form(
            kind="technical_group", remote=False, town_id=setup["towns"][0].id, date="2021-03-16",
            time="09:30", title="Groupe technique n° 7 — Monastir", attendees=[people[1].id, people[0].id],
            agenda="Avancement",
            decisions=[{"text": "Lancer les rencontres", "action_id": actions[0].id},
                       {"text": "Déjà fait", "action_id": actions[1].id, "done": True},
                       {"text": "Écrire aux financeurs"}],
            survey_very_satisfied=1, survey_satisfied=1, survey_not_very_satisfied=0, survey_not_satisfied=0))
        forum = create_meeting(s, plan.id, form(kind="forum", date="2021-03-16", title="Forum"))
    with db.read() as s:
        values = next_meeting_values(s, tech.id)
        after_forum = next_meeting_values(s, forum.id)
    assert values["kind"] == "technical_group" and values["town_id"] == setup["towns"][0].id
    assert values["remote"] is False and values["attendees"] == [people[1].id, people[0].id]
    assert values["date"] == "2021-04-27" and values["time"] == "09:30"  # six weeks later, a Tuesday again
    assert values["title"] == "Groupe technique n° 8 — Monastir"
    assert values["agenda"] == "Avancement\n- [2.1] Lancer les rencontres\n- Écrire aux financeurs"
    assert values["decisions"] == [] and values["survey_satisfied"] == "" and values["minutes"] == ""
    assert after_forum["date"] == "2021-04-13"  # kinds without a rhythm: four weeks
    assert len(meetings(db)) == 2  # preparing the next meeting writes nothing
    with db.write() as s:
        nxt = create_meeting(s, plan.id, values)
    with db.read() as s:
        assert next_meeting_values(s, nxt.id)["agenda"].count("Lancer les rencontres") == 1


def test_coordination_rhythm_is_the_plans(setup):
    db, plan = setup["db"], setup["plan"]
    with db.write() as s:
        change = create_meeting(s, plan.id, form(date="2021-03-15"))
    with db.read() as s:
        assert next_meeting_values(s, change.id)["date"] == "2021-05-10"  # eight weeks


def test_action_meetings(setup):
    db, plan, actions = setup["db"], setup["plan"], setup["actions"]
    with db.write() as s:
        create_meeting(s, plan.id, form(date="2021-01-10", title="Janvier",
                                        decisions=[{"text": "A", "action_id": actions[0].id, "done": True},
                                                   {"text": "B", "action_id": actions[1].id}]))
        create_meeting(s, plan.id, form(date="2021-02-10", title="Février",
                                        decisions=[{"text": "C", "action_id": actions[0].id}]))
        gone = create_meeting(s, plan.id, form(date="2021-03-10", title="Supprimée",
                                               decisions=[{"text": "D", "action_id": actions[0].id}]))
    with db.write() as s:
        delete_meeting(s, gone.id)
    with db.read() as s:
        found = action_meetings(s, actions[0].id)
        labels = dict(action_choices(s, plan.id))
    assert [(m.title, m.starts_at.date()) for m in found] == [("Février", dt.date(2021, 2, 10)),
                                                             ("Janvier", dt.date(2021, 1, 10))]
    assert [(d.text, d.done) for d in found[1].decisions] == [("A", True)]
    assert labels[actions[0].id] == "2.1 \u2014 Rencontres"


def test_demo_action_meetings(demo):
    with demo.read() as s:
        decision = s.exec(select(Decision).where(Decision.action_id.is_not(None))).first()
        found = action_meetings(s, decision.action_id)
    assert any(d.text == decision.text for m in found for d in m.decisions)
