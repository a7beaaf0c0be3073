"""People and partner towns: checked input, the windowed people table with each
person's load, deletion that hands actions over (or not) in one transaction, and
towns that are reused rather than duplicated."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlmodel import select

from coopterm.domain.actions import action_detail, create_action
from coopterm.domain.challenges import create_challenge
from coopterm.domain.indicators import ActionTally
from coopterm.domain.persons import (
    add_town,
    count_people,
    create_person,
    delete_person,
    delete_question,
    fetch_people,
    index_of_person,
    led_actions,
    person_detail,
    plan_towns,
    same_town_name,
    update_person,
    update_town,
    validate_person,
)
from coopterm.domain.validation import FormErrors
from coopterm.errors import InvalidInput
from coopterm.i18n import set_language
from coopterm.models import (
    Action,
    ActionPilot,
    Challenge,
    Meeting,
    MeetingAttendee,
    Person,
    Plan,
    PlanTown,
    Town,
)
from coopterm.vocabulary import ActionStatus, MeetingKind
from tests.sqlite_steps import steps


def person(db, plan, name, **data):
    with db.write() as s:
        return create_person(s, plan.id, {"name": name, **data}).id


def town(db, plan, name, country=""):
    with db.write() as s:
        return add_town(s, plan.id, {"name": name, "country": country}).id


@pytest.fixture
def challenge(db, plan):
    with db.write() as s:
        return create_challenge(s, plan.id, {"title": "Jeunesse"}).id


def action(db, challenge, pilots, status=ActionStatus.PLANNED, title="Action"):
    with db.write() as s:
        return create_action(s, {"challenge_id": challenge, "title": title, "status": status,
                                 "pilots": list(pilots)}).id


def pilots_of(db, action_id):
    with db.read() as s:
        return [pid for pid, _ in action_detail(s, action_id).pilots]


def live_links(db, model, **where):
    with db.read() as s:
        stmt = select(model).where(model.deleted_at.is_(None), *(getattr(model, k) == v for k, v in where.items()))
        return s.exec(stmt).all()


def everything(db):
    """Every row of people, links and towns, to prove a refusal changed nothing."""
    with db.read() as s:
        return [sorted((r.id, r.revision, r.deleted_at) for r in s.exec(select(m)))
                for m in (Person, ActionPilot, Town, PlanTown)]


# --- validation --------------------------------------------------------------------------


def test_a_form_is_read_as_typed():
    checked = validate_person({"name": "  Leïla   Benabdelghani ", "email": " leila@saint-etienne.fr ",
                               "phone": " +33 4 77 00 00 00 ", "town_id": [], "organisation": " Ville "})
    assert (checked.name, checked.email, checked.phone, checked.town_id, checked.organisation) == (
        "Leïla Benabdelghani", "leila@saint-etienne.fr", "+33 4 77 00 00 00", None, "Ville")
    tid = uuid.uuid4()
    assert validate_person({"name": "x", "town_id": [tid]}).town_id == tid
    assert validate_person({"name": "x", "town_id": tid.hex}).town_id == tid


@pytest.mark.parametrize(("data", "field"), [
    ({"name": ""}, "name"),
    ({}, "name"),
    ({"name": "x" * 201}, "name"),
    ({"name": "A", "email": "leila"}, "email"),
    ({"name": "A", "email": "leila@ville"}, "email"),
    ({"name": "A", "email": "leila @ville.fr"}, "email"),
    ({"name": "A", "email": "@ville.fr"}, "email"),
    ({"name": "A", "phone": "0" * 41}, "phone"),
    ({"name": "A", "town_id": "Sierre"}, "town_id"),
])
def test_bad_input_is_refused_with_a_message_per_field(data, field):
    with pytest.raises(FormErrors) as refused:
        validate_person(data)
    assert list(refused.value.errors) == [field]


def test_the_email_message_is_plain_french():
    set_language("fr")
    with pytest.raises(FormErrors) as refused:
        validate_person({"name": "A", "email": "leila.ville.fr"})
    assert refused.value.errors["email"].startswith("« leila.ville.fr » n'est pas une adresse de courriel")


def test_invalid_email_saves_nothing(db, plan):
    before = everything(db)
    with pytest.raises(FormErrors):
        with db.write() as s:
            create_person(s, plan.id, {"name": "Leïla", "email": "leila@"})
    assert everything(db) == before


def test_create_and_update_change_only_what_differs(db, plan):
    sierre = town(db, plan, "Sierre", "Suisse")
    pid = person(db, plan, "Laurent Dupont", town_id=sierre, role="Chargé de mission")
    with db.read() as s:
        first = s.get(Person, pid)
    with db.write() as s:
        same = update_person(s, plan.id, pid, {"name": "Laurent Dupont", "town_id": sierre,
                                                "role": "Chargé de mission"})
    assert same.changed is False and same.tally_delta == ActionTally()
    with db.write() as s:
        moved = update_person(s, plan.id, pid, {"name": "Laurent Dupont", "town_id": None, "email": "l@d.ch"})
    assert moved.changed
    with db.read() as s:
        now = s.get(Person, pid)
    assert (now.town_id, now.email, now.role) == (None, "l@d.ch", "")
    assert now.revision != first.revision


def test_a_deleted_town_is_refused(db, plan):
    gone = town(db, plan, "Atlantis")
    with db.write() as s:
        s.get(Town, gone).deleted_at = dt.datetime.now(dt.timezone.utc)
    with pytest.raises(FormErrors) as refused:
        with db.write() as s:
            create_person(s, plan.id, {"name": "X", "town_id": gone})
    assert list(refused.value.errors) == ["town_id"]


# --- the people table ---------------------------------------------------------------------


def test_people_in_reading_order_with_their_load(db, plan, challenge):
    sierre = town(db, plan, "Sierre")
    emma = person(db, plan, "Emma")
    elodie = person(db, plan, "Élodie", organisation="Ville de Sierre")
    eloise = person(db, plan, "Eloïse", town_id=sierre)
    action(db, challenge, [elodie], ActionStatus.PLANNED)
    action(db, challenge, [elodie, emma], ActionStatus.IN_PROGRESS)
    action(db, challenge, [elodie], ActionStatus.POSTPONED)
    action(db, challenge, [elodie], ActionStatus.DONE)
    action(db, challenge, [emma], ActionStatus.ABANDONED)
    with db.read() as s:
        rows = fetch_people(s, plan.id)
        assert [r.name for r in rows] == ["Élodie", "Eloïse", "Emma"]
        assert [(r.load, r.led) for r in rows] == [(3, 4), (0, 0), (1, 2)]
        assert rows[1].town == "Sierre"
        assert [r.name for r in fetch_people(s, plan.id, offset=1, limit=1)] == ["Eloïse"]
        assert [index_of_person(s, p) for p in (elodie, eloise, emma)] == [0, 1, 2]
        detail = person_detail(s, elodie, plan.id)
        assert [a.code for a in detail.actions] == ["1.1", "1.2", "1.3", "1.4"]
        assert detail.load == 3


def test_filter_on_name_organisation_and_town(db, plan):
    sierre = town(db, plan, "Sierre")
    person(db, plan, "Laurent Dupont", town_id=sierre)
    person(db, plan, "Leïla Benabdelghani", organisation="Ville de Saint-Étienne")
    person(db, plan, "Adel Janeb")
    with db.read() as s:
        assert count_people(s) == 3
        assert [r.name for r in fetch_people(s, plan.id, "sierre")] == ["Laurent Dupont"]
        assert [r.name for r in fetch_people(s, plan.id, "ÉTIENNE")] == ["Leïla Benabdelghani"]
        assert [r.name for r in fetch_people(s, plan.id, "leï")] == ["Leïla Benabdelghani"]
        assert count_people(s, "janeb") == 1 and count_people(s, "zzz") == 0


def test_the_table_reads_one_window_of_many_people(db, plan):
    with db.write() as s:
        s.add_all(Person(name=f"Person {i:05d}") for i in range(3000))
    with db.read() as s:
        assert count_people(s) == 3000
        window = fetch_people(s, plan.id, "", 2500, 20)
        assert [r.name for r in window][:2] == ["Person 02500", "Person 02501"]
        assert index_of_person(s, window[3].id) == 2503


# --- deleting someone who leads actions ------------------------------------------------------


@pytest.fixture
def team(db, plan, challenge):
    ids = {name: person(db, plan, name) for name in ("Ana", "Bea", "Cem", "Dan")}
    acts = {
        "a1": action(db, challenge, [ids["Ana"], ids["Bea"], ids["Cem"]], title="a1"),
        "a2": action(db, challenge, [ids["Bea"], ids["Dan"]], title="a2"),
        "a3": action(db, challenge, [ids["Dan"], ids["Ana"]], title="a3"),
        "a4": action(db, challenge, [ids["Ana"]], title="a4"),
    }
    with db.write() as s:
        meeting = Meeting(plan_id=plan.id, kind=MeetingKind.COORDINATION,
                          starts_at=dt.datetime(2020, 3, 1, 10, tzinfo=dt.timezone.utc), remote=True)
        s.add(meeting)
        s.add(MeetingAttendee(meeting_id=meeting.id, person_id=ids["Bea"]))
    return ids, acts


def test_delete_hands_the_actions_to_another_lead_in_the_same_place(db, plan, team):
    ids, acts = team
    with db.write() as s:
        change = delete_person(s, plan.id, ids["Bea"], ids["Dan"])
    assert change.changed and change.tally_delta == ActionTally()
    assert pilots_of(db, acts["a1"]) == [ids["Ana"], ids["Dan"], ids["Cem"]]  # Dan where Bea was
    assert pilots_of(db, acts["a2"]) == [ids["Dan"]]  # Dan already led it: once
    assert pilots_of(db, acts["a3"]) == [ids["Dan"], ids["Ana"]]
    assert live_links(db, ActionPilot, person_id=ids["Bea"]) == []
    assert len(live_links(db, ActionPilot, action_id=acts["a2"])) == 1
    with db.read() as s:
        assert s.get(Person, ids["Bea"]).deleted_at is not None  # a tombstone, not erased
        assert len(s.exec(select(ActionPilot).where(ActionPilot.person_id == ids["Bea"])).all()) == 2
        assert led_actions(s, ids["Dan"])[0].title == "a1"
    assert len(live_links(db, MeetingAttendee, person_id=ids["Bea"])) == 1  # the meeting happened


def test_delete_can_leave_the_actions_without_this_lead(db, plan, team):
    ids, acts = team
    with db.write() as s:
        delete_person(s, plan.id, ids["Ana"])
    assert pilots_of(db, acts["a1"]) == [ids["Bea"], ids["Cem"]]
    assert pilots_of(db, acts["a3"]) == [ids["Dan"]]
    assert pilots_of(db, acts["a4"]) == []
    with db.read() as s:
        assert action_detail(s, acts["a4"]) is not None  # the action stays
        assert count_people(s) == 3
    with db.write() as s:
        assert delete_person(s, plan.id, ids["Ana"]).changed is False


def test_a_replacement_that_is_the_person_or_gone_is_refused_and_nothing_changes(db, plan, team):
    ids, _ = team
    before = everything(db)
    with pytest.raises(FormErrors):
        with db.write() as s:
            delete_person(s, plan.id, ids["Ana"], ids["Ana"])
    with pytest.raises(FormErrors):
        with db.write() as s:
            delete_person(s, plan.id, ids["Ana"], uuid.uuid4())
    with pytest.raises(InvalidInput):
        with db.write() as s:
            delete_person(s, plan.id, uuid.uuid4())
    assert everything(db) == before


def test_the_question_names_the_actions(db, plan, team):
    ids, _ = team
    set_language("fr")
    with db.read() as s:
        assert delete_question(s, ids["Ana"]) == "Ana pilote 3 fiches-actions : 1.1, 1.3, 1.4."
        assert delete_question(s, ids["Cem"]) == "Cem pilote 1 fiche-action : 1.1."
    extra = person(db, plan, "Eve")
    with db.read() as s:
        assert delete_question(s, extra) == "Supprimer Eve ?"


# --- towns ---------------------------------------------------------------------------------


def test_a_town_added_twice_is_reused(db, plan):
    first = town(db, plan, "Sierre", "Suisse")
    with pytest.raises(FormErrors) as refused:
        town(db, plan, "  sierre ")
    assert "already a partner town" in refused.value.errors["name"]
    with db.write() as s:
        other = Plan(title="Autre", start_date=dt.date(2022, 1, 1), end_date=dt.date(2023, 1, 1))
        s.add(other)
    with db.write() as s:
        again = add_town(s, other.id, {"name": "SIERRE", "country": "CH"})
    assert again.id == first
    with db.read() as s:
        assert len(s.exec(select(Town)).all()) == 1
        assert s.get(Town, first).country == "Suisse"  # kept, not overwritten
        assert [r.name for r in plan_towns(s, other.id)] == ["Sierre"]


def test_the_same_town_is_the_same_name_case_and_spacing_aside(db, plan):
    assert same_town_name(" Le  havre\t") == same_town_name("LE HAVRE") == "le havre"
    assert same_town_name("Saint-E\u0301tienne") == same_town_name("saint-étienne")  # NFC
    assert same_town_name("Saint-Étienne") != same_town_name("Saint-Etienne")  # accents count
    first = town(db, plan, "Le Havre")
    with pytest.raises(FormErrors) as refused:
        town(db, plan, "le   HAVRE")
    assert "already a partner town" in refused.value.errors["name"]
    with db.read() as s:
        assert [r.id for r in s.exec(select(Town))] == [first]

def test_a_town_removed_from_the_plan_comes_back_without_a_second_link(db, plan):
    tid = town(db, plan, "Monastir")
    with db.write() as s:
        link = s.exec(select(PlanTown).where(PlanTown.town_id == tid)).one()
        link.deleted_at = dt.datetime.now(dt.timezone.utc)
        s.add(link)
    town(db, plan, "Monastir", "Tunisie")
    with db.read() as s:
        links = s.exec(select(PlanTown).where(PlanTown.town_id == tid)).all()
        assert len(links) == 1 and links[0].deleted_at is None
        assert s.get(Town, tid).country == "Tunisie"


def test_towns_are_listed_and_edited(db, plan):
    sierre = town(db, plan, "Sierre", "Suisse")
    town(db, plan, "Évian", "France")
    town(db, plan, "Katowice", "Pologne")
    person(db, plan, "Laurent", town_id=sierre)
    with db.read() as s:
        rows = plan_towns(s, plan.id)
    assert [(r.name, r.people) for r in rows] == [("Évian", 0), ("Katowice", 0), ("Sierre", 1)]
    with db.write() as s:
        assert update_town(s, plan.id, sierre, {"name": "Sierre/Siders", "country": "Suisse"}).changed
    with pytest.raises(FormErrors) as refused:
        with db.write() as s:
            update_town(s, plan.id, sierre, {"name": "katowice"})
    assert list(refused.value.errors) == ["name"]
    with pytest.raises(FormErrors):
        with db.write() as s:
            update_town(s, plan.id, sierre, {"name": " "})
    with db.read() as s:
        assert s.get(Town, sierre).name == "Sierre/Siders"


def test_a_persons_load_counts_only_live_actions_of_the_plans_live_challenges(db, plan, challenge):
    emma = person(db, plan, "Emma")
    action(db, challenge, [emma], ActionStatus.PLANNED)
    gone = action(db, challenge, [emma], ActionStatus.IN_PROGRESS)
    unled = action(db, challenge, [emma], ActionStatus.DONE)
    with db.write() as s:
        other_plan = Plan(title="Autre", start_date=dt.date(2022, 1, 1), end_date=dt.date(2024, 12, 31))
        s.add(other_plan)
        s.flush()
        elsewhere = create_challenge(s, other_plan.id, {"title": "Ailleurs"}).id
        closed = create_challenge(s, plan.id, {"title": "Fermé"}).id
    action(db, elsewhere, [emma], ActionStatus.PLANNED)
    action(db, closed, [emma], ActionStatus.PLANNED)
    now = dt.datetime.now(dt.timezone.utc)
    with db.write() as s:
        s.get(Action, gone).deleted_at = now
        s.exec(select(ActionPilot).where(ActionPilot.action_id == unled)).one().deleted_at = now
        s.get(Challenge, closed).deleted_at = now
    with db.read() as s:
        [row] = fetch_people(s, plan.id)
        assert (row.load, row.led) == (1, 1)
        [row] = fetch_people(s, other_plan.id)
        assert (row.load, row.led) == (1, 1)


def test_a_page_of_people_costs_the_same_whatever_the_size_of_the_plan(db, plan, challenge):
    """Each person's load is read from their own links: the other actions of the plan are
    never read (joined from the défis, a page of 100 people read every action of the plan)."""
    with db.write() as s:
        people = [Person(name=f"Personne {i:03d}") for i in range(100)]
        busy = Person(name="Zoé")
        s.add_all([*people, busy])
        actions = [Action(challenge_id=challenge, number=1 + i, title=f"Fiche {i}") for i in range(100)]
        s.add_all(actions)
        s.flush()
        s.add_all(ActionPilot(action_id=a.id, person_id=p.id) for a, p in zip(actions, people))
        busy_id = busy.id
    small = steps(db, fetch_people, plan.id, "", 0, 100)
    with db.write() as s:  # the plan grows by 2,000 actions, led by someone off the page
        more = [Action(challenge_id=challenge, number=101 + i, title=f"Fiche {100 + i}") for i in range(2000)]
        s.add_all(more)
        s.flush()
        s.add_all(ActionPilot(action_id=a.id, person_id=busy_id) for a in more)
    with db.read() as s:
        rows = fetch_people(s, plan.id, "", 0, 101)
    assert [(r.name, r.load, r.led) for r in rows[::50]] == [
        ("Personne 000", 1, 1), ("Personne 050", 1, 1), ("Zoé", 2000, 2000)]
    assert steps(db, fetch_people, plan.id, "", 0, 100) < 2 * small
