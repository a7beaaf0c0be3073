"""Fiches-actions: checked input, writes that change only what changed, deltas that
match a recount, and the windowed table with its filters and sorts."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from types import SimpleNamespace

import pytest
from sqlalchemy import event
from sqlmodel import select

from coopterm import present
from coopterm.domain.actions import (
    ActionInput,
    ActionQuery,
    action_contribution,
    action_detail,
    advance_status,
    count_actions,
    create_action,
    delete_action,
    fetch_actions,
    next_action_number,
    set_progress,
    update_action,
    validate_action,
)
from coopterm.domain.challenges import challenge_choices
from coopterm.domain.indicators import MULTILATERAL_MIN_TOWNS, ActionTally, tally_actions
from coopterm.domain.persons import people_choices, town_choices
from coopterm.domain.validation import WHOLE_MAX, FormErrors
from coopterm.errors import InvalidInput
from coopterm.i18n import catalog, set_language, t
from coopterm.models import (
    Action,
    ActionPilot,
    ActionTown,
    Challenge,
    Person,
    Plan,
    PlanTown,
    Town,
)
from coopterm.vocabulary import ActionStatus

TOWNS = ("Katowice", "Monastir", "Sierre", "Tamatave", "Saint-Étienne")
PEOPLE = (("Anna Nowak", "Katowice"), ("Élodie Martin", "Saint-Étienne"),
          ("Karim Ben Salah", "Monastir"), ("Jean Dupont", "Sierre"))


@pytest.fixture
def world(db, plan):
    """Five partner towns, four people, the transversal défi and défis 1 and 2."""
    with db.write() as s:
        towns = {name: Town(name=name) for name in TOWNS}
        s.add_all(towns.values())
        s.flush()
        s.add_all(PlanTown(plan_id=plan.id, town_id=town.id) for town in towns.values())
        people = {name: Person(name=name, town_id=towns[town].id) for name, town in PEOPLE}
        s.add_all(people.values())
        challenges = [Challenge(plan_id=plan.id, number=0, title="Structurer le partenariat", transversal=True),
                      Challenge(plan_id=plan.id, number=1, title="Insertion professionnelle"),
                      Challenge(plan_id=plan.id, number=2, title="Jeunesse")]
        s.add_all(challenges)
    return SimpleNamespace(
        plan=plan,
        town={name: town.id for name, town in towns.items()},
        person={name: person.id for name, person in people.items()},
        t=challenges[0].id, c1=challenges[1].id, c2=challenges[2].id,
    )


def form(world, **changes):
    data = {"challenge_id": world.c1, "title": "Mobiliser les syndicats patronaux"}
    data.update(changes)
    return data


def create(db, world, **changes):
    with db.write() as s:
        return create_action(s, form(world, **changes))


def revisions(db, model):
    with db.read() as s:
        return {row.id: row.revision for row in s.exec(select(model))}


def counts(db):
    with db.read() as s:
        return tuple(len(s.exec(select(m)).all()) for m in (Action, ActionPilot, ActionTown))


# --- validation -------------------------------------------------------------------


def test_a_form_is_read_as_typed(world):
    data = validate_action(form(
        world, number=" 3 ", progress="40", status="in_progress", start_date="2021-01-15",
        due_date="30/06/2021", title="  Titre  ", description=" d ", notes=None,
        pilots=[world.person["Jean Dupont"].hex, str(world.person["Anna Nowak"]), world.person["Jean Dupont"]],
        towns=[world.town["Sierre"]],
    ))
    assert data == ActionInput(
        challenge_id=world.c1, number=3, title="Titre", description="d", status=ActionStatus.IN_PROGRESS,
        progress=40, start_date=dt.date(2021, 1, 15), due_date=dt.date(2021, 6, 30),
        pilots=(world.person["Jean Dupont"], world.person["Anna Nowak"]), towns=(world.town["Sierre"],), notes="",
    )


def test_blank_optional_fields_take_their_defaults(world):
    data = validate_action(form(world, number="", progress="", start_date="", due_date=" ", status="",
                                pilots=[], towns=None))
    assert (data.number, data.progress, data.start_date, data.due_date, data.status) == (
        None, 0, None, None, ActionStatus.PLANNED)


INVALID = [
    ({"title": ""}, "title", "form.error.title_required"),
    ({"title": "   "}, "title", "form.error.title_required"),
    ({"title": "x" * 301}, "title", None),
    ({"progress": "4.5"}, "progress", "form.error.progress"),
    ({"progress": "abc"}, "progress", "form.error.progress"),
    ({"progress": "-1"}, "progress", "form.error.progress"),
    ({"progress": "101"}, "progress", "form.error.progress"),
    ({"progress": 101}, "progress", "form.error.progress"),
    ({"progress": True}, "progress", "form.error.progress"),
    ({"start_date": "31/02/2021"}, "start_date", "form.error.date"),
    ({"start_date": "2021-13-01"}, "start_date", "form.error.date"),
    ({"due_date": "demain"}, "due_date", "form.error.date"),
    ({"due_date": "2021/06/30"}, "due_date", "form.error.date"),
    ({"start_date": "01/07/2021", "due_date": "30/06/2021"}, "due_date", "form.error.due_before_start"),
    ({"number": "0"}, "number", "form.error.action_number"),
    ({"number": "2.1"}, "number", "form.error.action_number"),
    ({"challenge_id": "le défi 2"}, "challenge_id", "form.error.challenge_required"),
    ({"challenge_id": None}, "challenge_id", "form.error.challenge_required"),
    ({"status": "finished"}, "status", "form.error.status"),
    ({"pilots": ["nobody"]}, "pilots", "form.error.pilot_unknown"),
    ({"towns": [42]}, "towns", "form.error.town_unknown"),
]


@pytest.mark.parametrize(("changes", "field", "key"), INVALID)
def test_invalid_input_names_the_field_and_saves_nothing(db, world, changes, field, key):
    before = counts(db)
    with pytest.raises(FormErrors) as refused:
        create(db, world, **changes)
    assert set(refused.value.errors) == {field}
    if key is not None:
        assert refused.value.errors[field] == t(key, max=present.number(WHOLE_MAX))
    assert counts(db) == before


def test_a_missing_title_or_challenge_is_named_too():
    with pytest.raises(FormErrors) as refused:
        validate_action({})
    assert set(refused.value.errors) == {"title", "challenge_id"}


def test_every_failing_field_is_reported_at_once(world):
    with pytest.raises(FormErrors) as refused:
        validate_action(form(world, title="", progress="x", start_date="32/01/2021"))
    assert set(refused.value.errors) == {"title", "progress", "start_date"}
    assert str(refused.value).startswith("The form has errors; nothing was saved. The title is required.")


def test_messages_are_in_plain_french_and_english(world):
    set_language("fr")
    with pytest.raises(FormErrors) as refused:
        validate_action(form(world, title=" ", progress="4.5", start_date="31/02/2021"))
    assert refused.value.errors == {
        "title": "Le titre est obligatoire.",
        "progress": "L'avancement est un nombre entier de 0 à 100.",
        "start_date": "Date invalide : écrivez-la JJ/MM/AAAA.",
    }
    with pytest.raises(FormErrors) as refused:
        validate_action(form(world, start_date="01/07/2021", due_date="30/06/2021"))
    assert refused.value.errors == {"due_date": "L'échéance ne peut pas précéder le début."}
    set_language("en")
    with pytest.raises(FormErrors) as refused:
        validate_action(form(world, title=""))
    assert refused.value.errors == {"title": "The title is required."}
    keys = [k for k in catalog("en") if k.startswith(("form.error.", "record."))]
    assert len(keys) >= 20
    for key in keys:
        assert catalog("fr")[key] != catalog("en")[key], key


def test_a_number_used_by_a_live_action_of_the_defi_is_refused(db, world):
    first = create(db, world, number=1, title="Première")
    before = revisions(db, Action)
    with pytest.raises(FormErrors) as refused:
        create(db, world, number=1, title="Seconde")
    assert set(refused.value.errors) == {"number"}
    assert "1.1" in refused.value.errors["number"] and "Première" in refused.value.errors["number"]
    assert revisions(db, Action) == before
    create(db, world, number=1, challenge_id=world.c2, title="Autre défi, même numéro")
    with db.write() as s:
        delete_action(s, first.id)
    create(db, world, number=1, title="Le numéro d'une fiche supprimée est libre")


def test_unknown_or_deleted_rows_are_refused(db, world, plan):
    with db.write() as s:
        s.get(Person, world.person["Jean Dupont"]).deleted_at = dt.datetime.now(dt.timezone.utc)
        s.get(Town, world.town["Tamatave"]).deleted_at = dt.datetime.now(dt.timezone.utc)
        s.get(Challenge, world.c2).deleted_at = dt.datetime.now(dt.timezone.utc)
    before = counts(db)
    cases = [
        ({"challenge_id": uuid.uuid4()}, "challenge_id"),
        ({"challenge_id": world.c2}, "challenge_id"),
        ({"pilots": [world.person["Anna Nowak"], uuid.uuid4()]}, "pilots"),
        ({"pilots": [world.person["Jean Dupont"]]}, "pilots"),
        ({"towns": [world.town["Tamatave"]]}, "towns"),
    ]
    for changes, field in cases:
        with pytest.raises(FormErrors) as refused:
            create(db, world, **changes)
        assert set(refused.value.errors) == {field}, changes
    assert counts(db) == before


def test_an_action_cannot_move_to_another_plan(db, world):
    made = create(db, world)
    with db.write() as s:
        other = Plan(title="Autre", start_date=dt.date(2016, 1, 1), end_date=dt.date(2018, 12, 31))
        s.add(other)
        s.flush()
        foreign = Challenge(plan_id=other.id, number=1, title="Ailleurs")
        s.add(foreign)
    with pytest.raises(FormErrors) as refused, db.write() as s:
        update_action(s, made.id, form(world, challenge_id=foreign.id))
    assert set(refused.value.errors) == {"challenge_id"}


def test_a_row_that_no_longer_exists_is_refused_in_plain_words(db, world):
    made = create(db, world)
    with db.write() as s:
        delete_action(s, made.id)
    for write in (lambda s: update_action(s, made.id, form(world)),
                  lambda s: advance_status(s, made.id),
                  lambda s: set_progress(s, made.id, 10),
                  lambda s: delete_action(s, uuid.uuid4())):
        with pytest.raises(InvalidInput) as refused, db.write() as s:
            write(s)
        assert "no longer exists" in str(refused.value)


# --- writes -------------------------------------------------------------------------


def test_create_stores_the_action_its_pilots_in_order_and_its_towns(db, world):
    made = create(db, world, status="in_progress", progress="40", due_date="30/06/2021", description="Décrire",
                  pilots=[world.person["Jean Dupont"], world.person["Anna Nowak"]],
                  towns=[world.town["Sierre"], world.town["Katowice"], world.town["Monastir"]])
    assert made.changed and made.plan_id == world.plan.id
    assert made.tally_delta == ActionTally(proposed=1, done=0, multilateral=1)
    with db.read() as s:
        detail = action_detail(s, made.id)
        links = s.exec(select(ActionPilot).where(ActionPilot.action_id == made.id)).all()
    assert (detail.code, detail.number, detail.title, detail.progress, detail.due_date, detail.description) == (
        "1.1", 1, "Mobiliser les syndicats patronaux", 40, dt.date(2021, 6, 30), "Décrire")
    assert [name for _, name in detail.pilots] == ["Jean Dupont", "Anna Nowak"]
    assert [name for _, name in detail.towns] == ["Katowice", "Monastir", "Sierre"]
    assert detail.challenge_title == "Insertion professionnelle" and detail.challenge_code == "1"
    assert detail.created_at.tzinfo is not None and detail.updated_at >= detail.created_at
    assert sorted((link.position, link.person_id) for link in links) == [
        (0, world.person["Jean Dupont"]), (1, world.person["Anna Nowak"])]
    assert validate_action(detail.form_values()) == validate_action(form(
        world, number=1, status="in_progress", progress=40, due_date=dt.date(2021, 6, 30), description="Décrire",
        pilots=[world.person["Jean Dupont"], world.person["Anna Nowak"]],
        towns=[world.town["Katowice"], world.town["Monastir"], world.town["Sierre"]]))


def test_numbers_follow_the_highest_live_number_of_the_defi(db, world):
    a = create(db, world)
    create(db, world, number=5)
    with db.read() as s:
        assert next_action_number(s, world.c1) == 6
        assert next_action_number(s, world.c2) == 1
    assert create(db, world).id != a.id
    with db.read() as s:
        assert action_detail(s, create(db, world, challenge_id=world.t).id).code == "T.1"
        assert [r.code for r in fetch_actions(s, world.plan.id, ActionQuery(challenge_id=world.c1))] == [
            "1.1", "1.5", "1.6"]


def test_saving_the_same_values_changes_nothing(db, world):
    made = create(db, world, pilots=[world.person["Anna Nowak"]], towns=[world.town["Sierre"]], due_date="2021-06-30")
    before = {m: revisions(db, m) for m in (Action, ActionPilot, ActionTown)}
    with db.read() as s:
        values = action_detail(s, made.id).form_values()
    with db.write() as s:
        again = update_action(s, made.id, values)
    assert not again.changed and again.tally_delta == ActionTally()
    assert {m: revisions(db, m) for m in (Action, ActionPilot, ActionTown)} == before


def test_an_edit_writes_only_what_changed(db, world):
    made = create(db, world, pilots=[world.person["Anna Nowak"]], towns=[world.town["Sierre"]])
    other = create(db, world, title="Autre")
    links_before = {m: revisions(db, m) for m in (ActionPilot, ActionTown)}
    actions_before = revisions(db, Action)
    with db.write() as s:
        change = update_action(s, made.id, form(world, title="Nouveau titre", pilots=[world.person["Anna Nowak"]],
                                                towns=[world.town["Sierre"]]))
    assert change.changed
    after = revisions(db, Action)
    assert after[made.id] != actions_before[made.id]
    assert after[other.id] == actions_before[other.id]
    assert {m: revisions(db, m) for m in (ActionPilot, ActionTown)} == links_before
    with db.read() as s:
        assert action_detail(s, made.id).title == "Nouveau titre"


def test_links_are_tombstoned_revived_and_never_doubled(db, world):
    anna, elodie, jean = (world.person[n] for n in ("Anna Nowak", "Élodie Martin", "Jean Dupont"))
    made = create(db, world, pilots=[anna, elodie], towns=[world.town["Sierre"], world.town["Katowice"]])

    def save(pilots, towns):
        with db.write() as s:
            return update_action(s, made.id, form(world, pilots=pilots, towns=towns))

    def links(model):
        with db.read() as s:
            return s.exec(select(model).where(model.action_id == made.id)).all()

    first_ids = {link.person_id: link.id for link in links(ActionPilot)}
    save([elodie], [world.town["Sierre"]])
    pilots = links(ActionPilot)
    assert {(p.person_id, p.deleted_at is None) for p in pilots} == {(anna, False), (elodie, True)}
    assert [p.position for p in pilots if p.person_id == elodie] == [0]
    assert {(link.town_id, link.deleted_at is None) for link in links(ActionTown)} == {
        (world.town["Sierre"], True), (world.town["Katowice"], False)}
    save([jean, anna, elodie], [world.town["Katowice"], world.town["Sierre"]])
    pilots = links(ActionPilot)
    assert len(pilots) == 3  # Anna's link came back: revived, not added again
    assert {p.person_id: p.id for p in pilots if p.person_id != jean} == first_ids
    assert all(p.deleted_at is None for p in pilots)
    assert sorted((p.position, p.person_id) for p in pilots) == [(0, jean), (1, anna), (2, elodie)]
    assert len(links(ActionTown)) == 2 and all(link.deleted_at is None for link in links(ActionTown))
    with db.read() as s:
        assert action_detail(s, made.id).pilots == (
            (jean, "Jean Dupont"), (anna, "Anna Nowak"), (elodie, "Élodie Martin"))


def test_a_second_row_for_one_link_is_refused_so_no_merge_leaves_a_duplicate(db, world):
    """Older merges could leave two live rows for one lead (migration 0007 made them one);
    the unique index on (action, person) now refuses a second row, whatever its id."""
    import sqlalchemy.exc

    anna = world.person["Anna Nowak"]
    made = create(db, world, pilots=[anna])
    with pytest.raises(sqlalchemy.exc.IntegrityError, match="UNIQUE"):
        with db.write() as s:
            s.add(ActionPilot(action_id=made.id, person_id=anna, position=0))
    with db.write() as s:
        update_action(s, made.id, form(world, pilots=[anna], title="Relu"))
    with db.read() as s:
        live = s.exec(select(ActionPilot).where(ActionPilot.action_id == made.id, ActionPilot.deleted_at.is_(None)))
        assert len(live.all()) == 1


def test_moving_to_another_defi_takes_its_next_number_unless_one_is_given(db, world):
    made = create(db, world)
    create(db, world, challenge_id=world.c2)
    with db.write() as s:
        update_action(s, made.id, form(world, challenge_id=world.c2))
    with db.read() as s:
        assert action_detail(s, made.id).code == "2.2"
    with db.write() as s:
        update_action(s, made.id, form(world, challenge_id=world.c2, title="Même défi, numéro gardé"))
    with db.read() as s:
        assert action_detail(s, made.id).code == "2.2"
    with db.write() as s:
        update_action(s, made.id, form(world, challenge_id=world.c1, number=7))
    with db.read() as s:
        assert action_detail(s, made.id).code == "1.7"


def test_delete_tombstones_the_action_and_its_links(db, world):
    made = create(db, world, status="done", pilots=[world.person["Anna Nowak"]],
                  towns=[world.town[n] for n in TOWNS[:3]])
    with db.write() as s:
        change = delete_action(s, made.id)
    assert change.changed and change.tally_delta == ActionTally(-1, -1, -1)
    with db.read() as s:
        assert s.get(Action, made.id).deleted_at is not None
        assert all(link.deleted_at is not None for m in (ActionPilot, ActionTown)
                   for link in s.exec(select(m).where(m.action_id == made.id)))
        assert action_detail(s, made.id) is None
        assert count_actions(s, world.plan.id) == 0
    before = revisions(db, Action)
    with db.write() as s:
        again = delete_action(s, made.id)
    assert not again.changed and again.tally_delta == ActionTally()
    assert revisions(db, Action) == before


@pytest.mark.parametrize(("start", "expected", "progress"), [
    ("planned", "in_progress", 0),  # a planned action with progress is in progress already (agreeing)
    ("in_progress", "done", 100),
    ("postponed", "in_progress", 30),
])
def test_advance_moves_one_step(db, world, start, expected, progress):
    made = create(db, world, status=start, progress=0 if start == "planned" else 30)
    with db.write() as s:
        change = advance_status(s, made.id)
    assert change.changed
    assert change.tally_delta == ActionTally(done=1 if expected == "done" else 0)
    with db.read() as s:
        detail = action_detail(s, made.id)
    assert (detail.status, detail.progress) == (ActionStatus(expected), progress)


@pytest.mark.parametrize("final", ["done", "abandoned"])
def test_done_and_abandoned_stay_as_they_are(db, world, final):
    made = create(db, world, status=final, progress=60)
    before = revisions(db, Action)
    with db.write() as s:
        change = advance_status(s, made.id)
    assert not change.changed and change.tally_delta == ActionTally()
    assert revisions(db, Action) == before
    with db.read() as s:
        assert action_detail(s, made.id).status is ActionStatus(final)


def test_progress_is_set_and_100_makes_the_action_done(db, world):
    made = create(db, world, status="in_progress")
    with db.write() as s:
        change = set_progress(s, made.id, "100")
    assert change.changed and change.tally_delta == ActionTally(done=1)
    with db.read() as s:
        detail = action_detail(s, made.id)
    assert (detail.status, detail.progress) == (ActionStatus.DONE, 100)
    before = revisions(db, Action)
    for bad in ("4.5", "abc", "-1", "101", 101):
        with pytest.raises(FormErrors) as refused, db.write() as s:
            set_progress(s, made.id, bad)
        assert set(refused.value.errors) == {"progress"}
    with db.write() as s:
        assert not set_progress(s, made.id, 100).changed
    assert revisions(db, Action) == before


# --- indicator deltas ------------------------------------------------------------------


def test_deltas_add_up_to_a_recount(db, world):
    with db.read() as s:
        start = tally_actions(s, world.plan.id)
    total = ActionTally()
    three = [world.town[n] for n in TOWNS[:MULTILATERAL_MIN_TOWNS]]
    two = three[:-1]
    steps = []
    a = create(db, world, towns=three)
    b = create(db, world, status="in_progress", towns=two)
    c = create(db, world, challenge_id=world.c2, status="done", towns=three)
    steps += [a, b, c]
    with db.write() as s:
        steps.append(advance_status(s, b.id))  # → done
        steps.append(update_action(s, a.id, form(world, towns=two, status="abandoned")))
        steps.append(update_action(s, b.id, form(world, towns=three, status="planned", title="Reprise")))
        steps.append(set_progress(s, c.id, 50))
    with db.write() as s:
        steps.append(delete_action(s, a.id))
        steps.append(delete_action(s, a.id))
    from coopterm.domain.challenges import delete_challenge

    with db.write() as s:
        steps.append(delete_challenge(s, world.c2))
    for change in steps:
        total = total + change.tally_delta
    with db.read() as s:
        assert start + total == tally_actions(s, world.plan.id)
        assert tally_actions(s, world.plan.id) == ActionTally(proposed=1, done=0, multilateral=1)
        assert action_contribution(s, b.id) == ActionTally(1, 0, 1)
        assert action_contribution(s, a.id) == ActionTally()


def test_a_deleted_town_no_longer_counts_towards_multilateral(db, world):
    made = create(db, world, towns=[world.town[n] for n in TOWNS[:3]])
    with db.write() as s:
        s.get(Town, world.town["Sierre"]).deleted_at = dt.datetime.now(dt.timezone.utc)
    with db.read() as s:
        assert action_contribution(s, made.id) == ActionTally(1, 0, 0)
        assert tally_actions(s, world.plan.id) == ActionTally(1, 0, 0)


# --- the table ----------------------------------------------------------------------------


@pytest.fixture
def table(db, world):
    """Thirty actions over the three défis, with varied statuses, dates, pilots and towns."""
    rng = random.Random(7)
    people = list(world.person.values())
    towns = list(world.town.values())
    titles = ["Coopération économique", "coopération culturelle", "Échanges de jeunes", "Forum annuel",
              "Insertion", "Zéro déchet", "atelier 50% pratique", "École ouverte"]
    made = []
    with db.write() as s:
        for i in range(30):
            challenge = (world.t, world.c1, world.c2)[i % 3]
            due = None if i % 5 == 0 else dt.date(2020, 1, 1) + dt.timedelta(days=rng.randint(0, 20))
            change = create_action(s, {
                "challenge_id": challenge, "title": f"{titles[i % len(titles)]} {i // len(titles)}",
                "status": rng.choice(list(ActionStatus)).value, "progress": rng.choice([0, 10, 50, 100]),
                "due_date": due, "pilots": rng.sample(people, rng.randint(0, 2)),
                "towns": rng.sample(towns, rng.randint(0, 4)),
            })
            made.append(change.id)
    return made


def all_rows(db, world, query, limit=7):
    rows, offset = [], 0
    with db.read() as s:
        total = count_actions(s, world.plan.id, query)
        while True:
            window = fetch_actions(s, world.plan.id, query, offset, limit)
            rows += window
            if len(window) < limit:
                break
            offset += limit
    assert len(rows) == total
    return rows


def rows_from_end(db, world, query, limit=7):
    """The whole table read window by window from its last row (``from_end``), as the
    actions table reads its second half; the rows come back in the table's order."""
    windows, offset = [], 0
    with db.read() as s:
        total = count_actions(s, world.plan.id, query)
        while offset < total:
            window = fetch_actions(s, world.plan.id, query, offset, min(limit, total - offset), from_end=True)
            assert len(window) == min(limit, total - offset)
            windows.insert(0, window)
            offset += limit
    return [row for window in windows for row in window]


def reference(db, world, query):
    """The expected order, computed in Python from the rows themselves."""
    statuses = list(ActionStatus)
    with db.read() as s:
        challenges = s.exec(select(Challenge)).all()
        rank = {c.id: (not c.transversal, c.number) for c in challenges}
        actions = {a.id: a for a in s.exec(select(Action).where(Action.deleted_at.is_(None)))}
        details = {i: action_detail(s, i) for i in actions}
    rows = [d for d in details.values() if d is not None]
    if query.status:
        rows = [d for d in rows if d.status is query.status]
    if query.challenge_id:
        rows = [d for d in rows if d.challenge_id == query.challenge_id]
    if query.pilot_id:
        rows = [d for d in rows if query.pilot_id in [p for p, _ in d.pilots]]
    if query.town_id:
        rows = [d for d in rows if query.town_id in [t for t, _ in d.towns]]
    code = lambda d: (rank[d.challenge_id], d.number, d.id.hex)  # noqa: E731
    if query.sort in ("code", "challenge"):
        rows.sort(key=code)
    elif query.sort == "status":
        rows.sort(key=lambda d: (statuses.index(d.status), *code(d)))
    elif query.sort == "title":
        rows.sort(key=lambda d: (d.title, d.id.hex))
    elif query.sort == "progress":
        rows.sort(key=lambda d: (d.progress, d.id.hex))
    if query.sort == "due":
        dated = sorted((d for d in rows if d.due_date), key=lambda d: (d.due_date, d.id.hex),
                       reverse=query.descending)
        undated = sorted((d for d in rows if not d.due_date), key=lambda d: d.id.hex, reverse=query.descending)
        rows = dated + undated
    elif query.descending:
        rows.reverse()
    return [d.id for d in rows]


@pytest.mark.parametrize("sort", ["code", "challenge", "title", "status", "progress", "due"])
@pytest.mark.parametrize("descending", [False, True])
def test_every_sort_reads_the_same_rows_window_by_window(db, world, table, sort, descending):
    for query in (ActionQuery(sort=sort, descending=descending),
                  ActionQuery(sort=sort, descending=descending, status=ActionStatus.DONE),
                  ActionQuery(sort=sort, descending=descending, challenge_id=world.c2),
                  ActionQuery(sort=sort, descending=descending, town_id=world.town["Sierre"])):
        assert [r.id for r in all_rows(db, world, query)] == reference(db, world, query), query


@pytest.mark.parametrize("sort", ["code", "challenge", "title", "status", "progress", "due"])
@pytest.mark.parametrize("descending", [False, True])
def test_every_sort_reads_the_same_rows_from_its_end(db, world, table, sort, descending):
    """Read backwards from the last row (``end``, the pages near it), every order and
    filter gives the same rows in the same order as read from the first row."""
    for query in (ActionQuery(sort=sort, descending=descending),
                  ActionQuery(sort=sort, descending=descending, status=ActionStatus.DONE),
                  ActionQuery(sort=sort, descending=descending, challenge_id=world.c2),
                  ActionQuery(sort=sort, descending=descending, town_id=world.town["Sierre"]),
                  ActionQuery(sort=sort, descending=descending, text="coopération")):
        assert [r.id for r in rows_from_end(db, world, query)] == reference_or_text(db, world, query), query


def reference_or_text(db, world, query):
    """``reference`` for the filters it knows; the text filter's rows read from the start."""
    if query.text:
        return [r.id for r in all_rows(db, world, query)]
    return reference(db, world, query)


def test_defis_made_out_of_order_are_still_listed_in_the_plans_order(db, world):
    with db.write() as s:  # défi 4 made before défi 3: their ids are not in the plan's order
        four = Challenge(plan_id=world.plan.id, number=4, title="Quatre")
        s.add(four)
        s.flush()
        three = Challenge(plan_id=world.plan.id, number=3, title="Trois")
        s.add(three)
    for challenge in (three, four, three):
        create(db, world, challenge_id=challenge.id, status="done")
    for sort, descending in (("code", False), ("code", True), ("status", False), ("status", True)):
        codes = [r.code for r in all_rows(db, world, ActionQuery(sort=sort, descending=descending), limit=2)]
        expected = ["3.1", "3.2", "4.1"]
        assert codes == (expected[::-1] if descending else expected)
    create(db, world, challenge_id=world.c1, status="planned", towns=[world.town["Sierre"]])
    create(db, world, challenge_id=four.id, status="planned", towns=[world.town["Sierre"]])
    for sort in ("code", "challenge", "status"):
        for descending in (False, True):
            for query in (ActionQuery(sort=sort, descending=descending),
                          ActionQuery(sort=sort, descending=descending, status=ActionStatus.PLANNED),
                          ActionQuery(sort=sort, descending=descending, town_id=world.town["Sierre"])):
                assert [r.id for r in all_rows(db, world, query, limit=2)] == reference(db, world, query)
                assert [r.id for r in rows_from_end(db, world, query, limit=2)] == reference(db, world, query)


def test_the_text_filter_looks_in_titles_pilots_and_towns(db, world):
    anna, elodie = world.person["Anna Nowak"], world.person["Élodie Martin"]
    a = create(db, world, title="Coopération décentralisée", pilots=[anna])
    b = create(db, world, title="Forum", towns=[world.town["Saint-Étienne"]])
    c = create(db, world, title="Atelier à 50% du temps", pilots=[elodie], towns=[world.town["Sierre"]])

    def found(text):
        rows = all_rows(db, world, ActionQuery(text=text))
        return {r.id for r in rows}

    assert found("coop") == found("COOPÉRATION") == found("  coopération ") == {a.id}
    assert found("nowak") == {a.id}
    assert found("étienne") == found("ÉTIENNE") == {b.id}
    assert found("etienne") == found("ETIENNE") == {b.id}  # accents aside, both ways
    assert found("élodie") == found("ÉLODIE") == found("elodie") == {c.id}
    assert found("cooperation decentralisee") == found("décentralisée coop") == {a.id}  # every word, any order
    assert found("sierre") == {c.id}
    assert found("50%") == {c.id} and found("5_%") == set() and found("*") == set()
    assert found("zzz") == set()
    assert found("") == {a.id, b.id, c.id}


def test_filters_combine(db, world):
    anna = world.person["Anna Nowak"]
    a = create(db, world, status="done", pilots=[anna], towns=[world.town["Sierre"]])
    create(db, world, status="done", pilots=[anna], challenge_id=world.c2)
    create(db, world, status="planned", pilots=[anna], towns=[world.town["Sierre"]])
    create(db, world, status="done", towns=[world.town["Sierre"]])
    query = ActionQuery(status=ActionStatus.DONE, challenge_id=world.c1, pilot_id=anna, town_id=world.town["Sierre"])
    assert [r.id for r in all_rows(db, world, query)] == [a.id]
    with db.read() as s:
        assert count_actions(s, world.plan.id, ActionQuery(pilot_id=anna)) == 3
        assert count_actions(s, world.plan.id, ActionQuery(town_id=world.town["Sierre"])) == 3


def test_a_row_shows_code_names_and_due_date(db, world):
    create(db, world, challenge_id=world.t, title="Structurer", status="in_progress", progress=35,
           due_date="31/12/2021", pilots=[world.person["Jean Dupont"], world.person["Anna Nowak"]],
           towns=[world.town["Tamatave"], world.town["Katowice"], world.town["Saint-Étienne"]])
    with db.read() as s:
        (row,) = fetch_actions(s, world.plan.id, ActionQuery(), 0, 40)
    assert (row.code, row.challenge_code, row.title, row.status, row.progress, row.due_date) == (
        "T.1", "T", "Structurer", ActionStatus.IN_PROGRESS, 35, dt.date(2021, 12, 31))
    assert row.pilots == ("Jean Dupont", "Anna Nowak")
    assert row.towns == ("Katowice", "Saint-Étienne", "Tamatave")


def test_names_are_read_for_the_window_only(db, world, table):
    statements = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        if "FROM action_pilot JOIN person" in statement or "FROM action_town JOIN town" in statement:
            statements.append(parameters)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        with db.read() as s:
            rows = fetch_actions(s, world.plan.id, ActionQuery(sort="title"), 10, 5)
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert len(rows) == 5
    assert len(statements) == 2
    assert all(sum(isinstance(p, str) and len(p) == 32 for p in params) == 5 for params in statements)


def another_plans_action(s) -> tuple[Challenge, Action]:
    """A défi and an action of another plan, which no query of this plan may show."""
    other = Plan(title="Autre", start_date=dt.date(2016, 1, 1), end_date=dt.date(2018, 12, 31))
    s.add(other)
    s.flush()
    foreign = Challenge(plan_id=other.id, number=1, title="Ailleurs")
    s.add(foreign)
    s.flush()
    elsewhere = Action(challenge_id=foreign.id, number=1, title="Ailleurs")
    s.add(elsewhere)
    s.flush()
    return foreign, elsewhere


def test_deleted_defis_and_other_plans_are_not_listed(db, world):
    create(db, world)
    gone = create(db, world, challenge_id=world.c2)
    with db.write() as s:
        s.get(Challenge, world.c2).deleted_at = dt.datetime.now(dt.timezone.utc)
        foreign, _ = another_plans_action(s)
    rows = all_rows(db, world, ActionQuery())
    assert [r.code for r in rows] == ["1.1"] and gone.id not in {r.id for r in rows}
    with db.read() as s:
        assert fetch_actions(s, world.plan.id, ActionQuery(challenge_id=foreign.id)) == []
        assert count_actions(s, world.plan.id, ActionQuery(challenge_id=foreign.id)) == 0


def test_a_towns_actions_are_counted_from_its_links_less_those_not_shown(db, world, table):
    """A town alone is counted from its links: a deleted action, a deleted link, a deleted
    défi's action and another plan's action are not counted, as the table does not show them."""
    sierre = world.town["Sierre"]
    now = dt.datetime.now(dt.timezone.utc)

    def counted():
        with db.read() as s:
            return (count_actions(s, world.plan.id, ActionQuery(town_id=sierre)),
                    count_actions(s, world.plan.id, ActionQuery(town_id=sierre, sort="title", descending=True)))

    shown = len(reference(db, world, ActionQuery(town_id=sierre)))
    assert counted() == (shown, shown)
    gone = create(db, world, towns=[sierre])
    unlinked = create(db, world, towns=[sierre])
    closed = create(db, world, challenge_id=world.c2, towns=[sierre])
    assert counted() == (shown + 3, shown + 3)
    with db.write() as s:
        s.get(Action, gone.id).deleted_at = now
        s.exec(select(ActionTown).where(ActionTown.action_id == unlinked.id)).one().deleted_at = now
        s.get(Challenge, world.c2).deleted_at = now
        foreign, elsewhere = another_plans_action(s)
        s.add(ActionTown(action_id=elsewhere.id, town_id=sierre))
        elsewhere_id = elsewhere.id
    listed = {r.id for r in all_rows(db, world, ActionQuery(town_id=sierre))}  # counted as many as listed
    assert not listed & {gone.id, unlinked.id, closed.id, elsewhere_id}
    assert counted() == (len(listed), len(listed))


def test_unknown_sort_is_a_programming_error():
    with pytest.raises(ValueError):
        ActionQuery(sort="pilots")


# --- pickers --------------------------------------------------------------------------------


def test_people_towns_and_defis_to_pick_from(db, world):
    with db.write() as s:
        s.add(Person(name="Zoé Sans Ville"))
        s.add(Person(name="Parti", deleted_at=dt.datetime.now(dt.timezone.utc)))
        s.add(Town(name="Hors du plan"))
    with db.read() as s:
        labels = [label for _, label in people_choices(s)]
        assert labels == ["Anna Nowak \u2014 Katowice", "Élodie Martin \u2014 Saint-Étienne",
                          "Jean Dupont \u2014 Sierre", "Karim Ben Salah \u2014 Monastir", "Zoé Sans Ville"]
        assert [label for _, label in people_choices(s, "monastir")] == ["Karim Ben Salah \u2014 Monastir"]
        assert [label for _, label in people_choices(s, "ÉLO")] == ["Élodie Martin \u2014 Saint-Étienne"]
        assert [name for _, name in town_choices(s, world.plan.id)] == [
            "Katowice", "Monastir", "Saint-Étienne", "Sierre", "Tamatave"]
        assert challenge_choices(s, world.plan.id) == [
            (world.t, "T \u2014 Structurer le partenariat"), (world.c1, "1 \u2014 Insertion professionnelle"),
            (world.c2, "2 \u2014 Jeunesse")]


@pytest.mark.parametrize("sort", ["code", "title", "status", "progress", "due"])
@pytest.mark.parametrize("descending", [False, True])
def test_an_actions_place_in_the_table_is_where_the_table_reads_it(demo_db, sort, descending):
    """``action_index`` (the cursor following a saved row) agrees with ``fetch_actions`` for
    every order, both ways, with and without a filter."""
    from coopterm.domain.actions import ActionQuery, action_index, fetch_actions
    from coopterm.domain.plans import current_plan

    with demo_db.read() as s:
        plan = current_plan(s).id
        for query in (ActionQuery(sort=sort, descending=descending),
                      ActionQuery(sort=sort, descending=descending, text="a")):
            rows = fetch_actions(s, plan, query, 0, 1000)
            assert rows
            assert [action_index(s, plan, query, row.id) for row in rows] == list(range(len(rows)))
        elsewhere = fetch_actions(s, plan, ActionQuery(), 0, 1000)[0].id
        assert action_index(s, plan, ActionQuery(text="aucune action ne contient ceci"), elsewhere) is None
