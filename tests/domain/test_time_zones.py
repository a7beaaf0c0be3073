"""Meeting times in local zones (issue 14): stored in UTC, typed and shown in the zone of
the meeting's town, else the plan's; summer time by zoneinfo; the zone always written."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlmodel import select

from coopterm import present
from coopterm.domain import zones
from coopterm.domain.meetings import (
    MeetingQuery,
    create_meeting,
    fetch_meetings,
    meeting_detail,
    meeting_form_context,
    meeting_form_values,
    meeting_label,
    next_meeting_values,
    update_meeting,
)
from coopterm.domain.persons import save_town, town_form_values
from coopterm.domain.plans import create_plan, plan_form_values, update_plan
from coopterm.domain.report import build_report
from coopterm.domain.validation import FormErrors
from coopterm.models import Action, Challenge, Indicator, Meeting, Person, Plan, PlanTown, Town
from coopterm.report import render_html, render_markdown
from coopterm.vocabulary import ActionStatus

UTC = dt.timezone.utc


@pytest.fixture
def towns(db, plan):
    """The plan in Paris time; Chinon names no zone of its own, Tamatave names Madagascar's."""
    with db.write() as s:
        row = s.get(Plan, plan.id)
        row.time_zone = "Europe/Paris"
        s.add(row)
        chinon, tamatave = Town(name="Chinon"), Town(name="Tamatave", time_zone="Indian/Antananarivo")
        s.add_all([chinon, tamatave])
        s.flush()
        s.add_all(PlanTown(plan_id=plan.id, town_id=town.id) for town in (chinon, tamatave))
    return {"chinon": chinon.id, "tamatave": tamatave.id}


def meeting(db, plan, **over):
    data = {"kind": "forum", "date": "14/07/2021", "time": "14:00", "title": "Forum", **over}
    with db.write() as s:
        return create_meeting(s, plan.id, data).id


def stored(db, meeting_id):
    with db.read() as s:
        return s.get(Meeting, meeting_id).starts_at.astimezone(UTC)


def test_a_time_typed_in_chinon_is_read_on_paris_clocks_summer_and_winter(db, plan, towns):
    july = meeting(db, plan, town_id=towns["chinon"])
    january = meeting(db, plan, town_id=towns["chinon"], date="14/01/2021")
    assert stored(db, july) == dt.datetime(2021, 7, 14, 12, 0, tzinfo=UTC)
    assert stored(db, january) == dt.datetime(2021, 1, 14, 13, 0, tzinfo=UTC)
    with db.read() as s:
        assert meeting_form_values(s, july)["time"] == "14:00"
        assert meeting_form_values(s, january)["time"] == "14:00"
        rows = {r.id: r for r in fetch_meetings(s, plan.id)}
        assert "2021-07-14 14:00 CEST" in meeting_label(s, july)
    assert present.zoned_date_time(rows[july].local_start, lang="fr") == "14/07/2021 14:00 CEST"
    assert present.zoned_date_time(rows[january].local_start, lang="en") == "2021-01-14 14:00 CET"


def test_a_town_with_its_own_zone_and_a_remote_meeting_use_their_zone(db, plan, towns):
    tamatave = meeting(db, plan, town_id=towns["tamatave"])
    remote = meeting(db, plan, remote=True)
    no_place = meeting(db, plan)
    assert stored(db, tamatave) == dt.datetime(2021, 7, 14, 11, 0, tzinfo=UTC)  # EAT is UTC+3
    assert stored(db, remote) == stored(db, no_place) == dt.datetime(2021, 7, 14, 12, 0, tzinfo=UTC)
    with db.read() as s:
        zones_of = {r.id: r.zone for r in fetch_meetings(s, plan.id)}
    assert zones_of == {tamatave: "Indian/Antananarivo", remote: "Europe/Paris", no_place: "Europe/Paris"}


def test_moving_a_meeting_to_another_town_keeps_the_typed_time_in_the_new_zone(db, plan, towns):
    meeting_id = meeting(db, plan, town_id=towns["chinon"])
    with db.write() as s:
        update_meeting(s, meeting_id, {"kind": "forum", "date": "14/07/2021", "time": "14:00",
                                       "title": "Forum", "town_id": towns["tamatave"]})
    assert stored(db, meeting_id) == dt.datetime(2021, 7, 14, 11, 0, tzinfo=UTC)


def test_the_next_meeting_keeps_its_local_time_across_the_change_to_summer_time(db, plan, towns):
    """A coordination every 8 weeks at 14:00 Paris: 13:00 UTC in March, 12:00 UTC in May."""
    first = meeting(db, plan, kind="coordination", date="10/03/2021", remote=True, title="Coordination n° 1")
    assert stored(db, first) == dt.datetime(2021, 3, 10, 13, 0, tzinfo=UTC)
    with db.read() as s:
        following = next_meeting_values(s, first)
    assert (following["date"], following["time"]) == (present.date(dt.date(2021, 5, 5)), "14:00")
    second = meeting(db, plan, **{k: following[k] for k in ("kind", "date", "time", "title", "remote")})
    assert stored(db, second) == dt.datetime(2021, 5, 5, 12, 0, tzinfo=UTC)


def test_the_period_filter_counts_days_on_the_plans_clocks(db, plan, towns):
    """00:30 in Paris on New Year's Day is 23:30 UTC the day before: still a meeting of January."""
    new_year = meeting(db, plan, remote=True, date="01/01/2021", time="00:30")
    assert stored(db, new_year) == dt.datetime(2020, 12, 31, 23, 30, tzinfo=UTC)
    with db.read() as s:
        january = fetch_meetings(s, plan.id, MeetingQuery(date_from=dt.date(2021, 1, 1), date_to=dt.date(2021, 1, 31)))
        december = fetch_meetings(s, plan.id, MeetingQuery(date_to=dt.date(2020, 12, 31)))
    assert [r.id for r in january] == [new_year] and december == []


def test_the_form_knows_which_zone_each_place_types_in(db, plan, towns):
    with db.read() as s:
        context = meeting_form_context(s, plan.id, None, dt.date(2021, 7, 1))
    assert context.zone(None, False) == "Europe/Paris"
    assert context.zone(towns["chinon"], False) == "Europe/Paris"
    assert context.zone(towns["tamatave"], False) == "Indian/Antananarivo"
    assert context.zone(towns["tamatave"], True) == "Europe/Paris"


def test_the_zone_rule_in_one_place():
    assert zones.meeting_zone("Europe/Paris", "Indian/Antananarivo", False) == "Indian/Antananarivo"
    assert zones.meeting_zone("Europe/Paris", "", False) == "Europe/Paris"
    assert zones.meeting_zone("Europe/Paris", None, False) == "Europe/Paris"
    assert zones.meeting_zone("Europe/Paris", "Indian/Antananarivo", True) == "Europe/Paris"
    # the autumn hour that happens twice is read as its first occurrence
    assert zones.to_utc(dt.date(2021, 10, 31), dt.time(2, 30), "Europe/Paris") == dt.datetime(
        2021, 10, 31, 0, 30, tzinfo=UTC)


def test_a_zone_without_letters_shows_its_offset():
    local = zones.to_local(dt.datetime(2021, 7, 14, 12, tzinfo=UTC), "America/Sao_Paulo")
    assert present.zoned_date_time(local, lang="en") == "2021-07-14 09:00 UTC-03"
    assert present.zoned_date_time(zones.to_local(dt.datetime(2021, 7, 14, 12, tzinfo=UTC), "UTC"),
                                   lang="fr") == "14/07/2021 12:00 UTC"


def test_an_unknown_zone_is_refused_in_plain_words(db, plan, towns):
    with db.write() as s, pytest.raises(FormErrors) as refused:
        save_town(s, plan.id, towns["chinon"], {"name": "Chinon", "time_zone": "Europe/Chinon"})
    assert refused.value.errors == {"time_zone": "“Europe/Chinon” is not a known time zone: "
                                                 "write it like Europe/Paris or Indian/Antananarivo."}
    with db.read() as s:
        edit = plan_form_values(s, plan.id)
    for bad in ("Paris", "../../etc/passwd", "", "CET+1"):
        with db.write() as s, pytest.raises(FormErrors) as refused:
            update_plan(s, plan.id, {**edit, "time_zone": bad})
        assert set(refused.value.errors) == {"time_zone"}


def test_a_town_names_its_zone_or_leaves_the_plans(db, plan, towns):
    with db.write() as s:
        save_town(s, plan.id, towns["chinon"], {"name": "Chinon", "country": "France",
                                                "time_zone": " europe/paris "})
        save_town(s, plan.id, towns["tamatave"], {"name": "Tamatave", "time_zone": ""})
    with db.read() as s:
        assert town_form_values(s, towns["chinon"])["time_zone"] == "Europe/Paris"
        assert s.get(Town, towns["tamatave"]).time_zone == ""


def test_the_local_zone_of_the_machine(monkeypatch):
    monkeypatch.setenv("TZ", "Indian/Antananarivo")
    assert zones.local_zone_name() == "Indian/Antananarivo"
    monkeypatch.setenv("TZ", "Nowhere/Atlantis")
    assert zones.known_zone(zones.local_zone_name())


def test_the_detail_of_a_meeting(db, plan, towns):
    with db.write() as s:
        people = [Person(name="Adel [b]Janeb[/b]"), Person(name="Léa")]
        challenge = Challenge(plan_id=plan.id, number=2, title="Économie")
        s.add_all([*people, challenge])
        s.flush()
        action = Action(challenge_id=challenge.id, number=1, title="Rencontres", status=ActionStatus.IN_PROGRESS)
        s.add(action)
        s.flush()
        ids = [p.id for p in people]
        action_id = action.id
    meeting_id = meeting(db, plan, town_id=towns["tamatave"], attendees=ids, agenda="Point 1\nPoint 2",
                         decisions=[{"text": "Lancer", "action_id": action_id}, {"text": "Relancer", "done": True}],
                         survey_very_satisfied="3", survey_satisfied="1", survey_not_very_satisfied="0",
                         survey_not_satisfied="0")
    with db.read() as s:
        detail = meeting_detail(s, meeting_id)
        assert meeting_detail(s, uuid.uuid4()) is None
    assert detail is not None
    assert (detail.zone, detail.local_start.hour, detail.town_name) == ("Indian/Antananarivo", 14, "Tamatave")
    assert detail.attendees == ("Adel [b]Janeb[/b]", "Léa")
    assert [(d.text, d.done, d.action_code, d.action_status) for d in detail.decisions] == [
        ("Lancer", False, "2.1", ActionStatus.IN_PROGRESS), ("Relancer", True, "", None)]
    assert detail.survey == (3, 1, 0, 0) and detail.satisfaction == 100


def test_the_report_writes_each_time_in_its_zone_and_says_which(db, plan, towns):
    meeting(db, plan, town_id=towns["tamatave"], title="À Tamatave")
    meeting(db, plan, remote=True, title="Appel")
    with db.read() as s:
        report = build_report(s, s.get(Plan, plan.id), dt.date(2021, 12, 31))
    fr, en = render_markdown(report, "fr"), render_markdown(report, "en")
    assert "14/07/2021 14:00 EAT" in fr and "14/07/2021 14:00 CEST" in fr
    assert "Europe/Paris" in fr and "Date (heure locale)" in fr
    assert "2021-07-14 14:00 EAT" in en and "Local times" in en
    page = render_html(report, "en")
    assert "2021-07-14 14:00 EAT" in page and "2021-07-14 14:00 CEST" in page and "Date (local time)" in page


# --- the new plan form ------------------------------------------------------------------------


NEW = {"title": "Plan 2016-2018", "start_date": "01/01/2016", "end_date": "31/12/2018",
       "towns": "Chinon (France), Tenkodogo (Burkina Faso)"}


def test_a_new_plan_takes_its_vision_rhythm_zone_and_targets(db):
    with db.write() as s:
        plan_id = create_plan(s, {**NEW, "vision": " Trois villes ", "tech_group_every_weeks": "4",
                                  "coordination_every_weeks": "12", "time_zone": "Africa/Ouagadougou",
                                  "target_completion_rate": "90", "target_new_projects": "3",
                                  "target_satisfaction_rate": "", "target_multilateral_share": " "})
    with db.read() as s:
        plan = s.get(Plan, plan_id)
        targets = {i.key: i.target for i in s.exec(select(Indicator).where(Indicator.plan_id == plan_id))}
    assert (plan.vision, plan.tech_group_every_weeks, plan.coordination_every_weeks, plan.time_zone) == (
        "Trois villes", 4, 12, "Africa/Ouagadougou")
    assert targets == {"completion_rate": 90, "new_projects": 3}


def test_a_new_plan_left_blank_takes_the_usual_rhythm_and_this_machines_zone(db, monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Paris")
    with db.write() as s:
        plan_id = create_plan(s, dict(NEW))
    with db.read() as s:
        plan = s.get(Plan, plan_id)
    assert (plan.tech_group_every_weeks, plan.coordination_every_weeks, plan.time_zone) == (6, 8, "Europe/Paris")


def test_a_new_plan_refuses_a_bad_zone_rhythm_or_target_beside_each_field(db):
    with db.write() as s, pytest.raises(FormErrors) as refused:
        create_plan(s, {**NEW, "time_zone": "Mars/Olympus", "tech_group_every_weeks": "0",
                        "target_completion_rate": "beaucoup", "target_new_projects": "-2"})
    assert set(refused.value.errors) == {"time_zone", "tech_group_every_weeks", "target_completion_rate",
                                         "target_new_projects"}
    with db.read() as s:
        assert s.exec(select(Plan)).all() == []
