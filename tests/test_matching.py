"""One rule for typed text (``coopterm.folding``): the list filters (SQL over ``search_key``)
and the pickers (Python over labels) find the same rows, accents and case aside both ways."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlmodel import select
from textual.app import App, ComposeResult

from coopterm.domain.actions import ActionQuery, count_actions, fetch_actions
from coopterm.domain.funding import count_funding, fetch_funding, funding_index
from coopterm.domain.meetings import MeetingQuery, count_meetings, fetch_meetings
from coopterm.domain.persons import count_people, fetch_people, index_of_person, people_choices, plan_towns
from coopterm.domain.projects import count_projects, fetch_projects
from coopterm.folding import fold, matches, search_key, words
from coopterm.models import (
    SEARCHED,
    Action,
    ActionPilot,
    ActionTown,
    Challenge,
    Funding,
    History,
    Meeting,
    NewProject,
    Person,
    Plan,
    PlanTown,
    Town,
)
from coopterm.store import open_database
from coopterm.ui.widgets import Picker
from coopterm.vocabulary import MeetingKind, ProjectScope

# --- the rule -----------------------------------------------------------------------------------

FOLDED = [
    ("Étienne", "etienne"),
    ("ÉTIENNE", "etienne"),
    ("étienne", "etienne"),
    ("Leïla BENABDELGHANI", "leila benabdelghani"),
    ("Œuvre", "oeuvre"),
    ("cœur", "coeur"),
    ("Æsop", "aesop"),
    ("Straße", "strasse"),
    ("STRASSE", "strasse"),
    ("ẞ", "ss"),
    ("Łódź", "lodz"),
    ("Żółć", "zolc"),
    ("Smørrebrød", "smorrebrod"),
    ("Đakovo", "dakovo"),
    ("İstanbul", "istanbul"),
    ("Dvořák", "dvorak"),
    ("Ångström", "angstrom"),
    ("ﬁche", "fiche"),  # a typographic ligature
    ("Ｃｏｏｐ", "coop"),  # full-width letters
    ("d’Émilie", "d'emilie"),  # a typographic apostrophe
    ("E\u0301tienne", "etienne"),  # decomposed accent
    ("a\u00a0b", "a b"),  # a no-break space is a space
    ("50 %", "50 %"),
    ("", ""),
]


@pytest.mark.parametrize(("text", "folded"), FOLDED)
def test_the_folding_table(text, folded):
    assert fold(text) == folded


def test_words_are_folded_and_blank_is_none():
    assert words("  Saint-ÉTIENNE   cœur ") == ["saint-etienne", "coeur"]
    assert words("   ") == [] and matches("anything", "  ")


@given(st.text(), st.text())
def test_the_fold_is_character_by_character_and_stable(a, b):
    assert fold(a + b) == fold(a) + fold(b)
    assert fold(fold(a)) == fold(a)


@pytest.mark.parametrize(("text", "query"), [
    ("Saint-Étienne", "etienne"), ("saint-etienne", "ÉTIENNE"), ("Cœur de ville", "COEUR"),
    ("Coeur de ville", "cœur"), ("Straße", "strasse"), ("STRASSE", "straße"), ("Leïla Benabdelghani", "ben leï"),
])
def test_matching_ignores_accents_and_case_both_ways(text, query):
    assert matches(text, query)


def test_every_word_must_be_found():
    assert not matches("Saint-Étienne", "etienne zzz")


# --- SQL and the picker agree ---------------------------------------------------------------------

WORDS = [
    "Saint-Étienne", "Saint-Etienne", "SAINT-ÉTIENNE-DE-TINÉE", "étienne", "Cœur", "Coeur-de-Loire", "Œuvres",
    "Straße", "Strasse", "Łódź", "Lodz", "Zürich", "ZURICH", "Leïla", "LEILA", "Ærø", "Dvořák", "Ångström",
    "Smørrebrød", "Đakovo", "İzmir", "Ｃｏｏｐ", "Jean-Marc", "d’Émilie", "50%", "a_b", "[x]", "Ñandú",
]
FRAGMENTS = st.sampled_from(WORDS).flatmap(
    lambda w: st.tuples(st.integers(0, len(w)), st.integers(0, len(w))).map(lambda ij: w[min(ij):max(ij)]))
QUERIES = st.one_of(
    st.tuples(FRAGMENTS, st.sampled_from([str, str.upper, str.lower, str.swapcase, fold])).map(lambda p: p[1](p[0])),
    st.lists(FRAGMENTS, max_size=3).map(" ".join),
    st.text(alphabet="aeEéÉèoœŒsßtIİıł ’'%_", max_size=5),
)


@pytest.fixture(scope="module")
def towns_db(tmp_path_factory):
    """A plan whose partner towns are named by ``WORDS`` (id → name)."""
    database = open_database(tmp_path_factory.mktemp("matching") / "towns.db")
    with database.write() as s:
        plan = Plan(title="Plan", start_date=dt.date(2019, 1, 1), end_date=dt.date(2021, 12, 31))
        towns = [Town(name=name) for name in WORDS]
        s.add(plan)
        s.add_all(towns)
        s.flush()
        s.add_all(PlanTown(plan_id=plan.id, town_id=t.id) for t in towns)
        names = {t.id: t.name for t in towns}
        plan_id = plan.id
    yield database, plan_id, names
    database.close()


@settings(max_examples=300, deadline=None)
@given(query=QUERIES)
def test_the_sql_filter_finds_what_the_rule_finds(towns_db, query):
    database, plan_id, names = towns_db
    with database.read() as s:
        found = {row.id for row in plan_towns(s, plan_id, query)}
    assert found == {i for i, name in names.items() if matches(name, query)}


class _PickerApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Picker(list(enumerate(WORDS)))


SAMPLE_QUERIES = ["etienne", "ÉTIENNE", "saint étienne", "coeur", "CŒUR", "strasse", "STRAßE", "lodz", "ŁÓDŹ",
                  "zurich", "leila", "aero", "dvorak", "coop", "d'emilie", "50%", "a_b", "[x]", "nandu", "tinee saint"]


async def test_the_picker_and_the_sql_filter_agree(towns_db):
    database, plan_id, names = towns_db
    app = _PickerApp()
    async with app.run_test(size=(80, 24)) as pilot:
        picker = app.query_one(Picker)
        for query in SAMPLE_QUERIES:
            picker.query_one("Input").value = query
            await pilot.pause()
            shown = {WORDS[i] for i in picker.visible_ids}
            with database.read() as s:
                found = {names[row.id] for row in plan_towns(s, plan_id, query)}
            assert shown == found == {w for w in WORDS if matches(w, query)}, query
            assert found, query  # every sample finds something


# --- every list's domain read ----------------------------------------------------------------------


@pytest.fixture
def world(db, plan):
    """One accented and one plain row in each searchable list of ``plan``."""
    with db.write() as s:
        ste, sie = Town(name="Saint-Étienne"), Town(name="Sierre")
        leila, marc = Person(name="Leïla Benabdelghani", organisation="Mairie"), Person(name="Marc Coeur",
                                                                                        organisation="Université")
        challenge = Challenge(plan_id=plan.id, number=1, title="Défi")
        s.add_all([ste, sie, leila, marc, challenge])
        s.flush()
        s.add_all([PlanTown(plan_id=plan.id, town_id=ste.id), PlanTown(plan_id=plan.id, town_id=sie.id)])
        leila.town_id = ste.id
        accented = Action(challenge_id=challenge.id, number=1, title="Coopération décentralisée")
        plain = Action(challenge_id=challenge.id, number=2, title="Cooperation agricole")
        s.add_all([accented, plain])
        s.flush()
        s.add(ActionPilot(action_id=accented.id, person_id=leila.id))
        s.add(ActionTown(action_id=accented.id, town_id=ste.id))
        start = dt.datetime(2020, 1, 1, 9, tzinfo=dt.timezone.utc)
        meetings = [Meeting(plan_id=plan.id, kind=MeetingKind.FORUM, starts_at=start, title="Réunion à Łódź"),
                    Meeting(plan_id=plan.id, kind=MeetingKind.FORUM, starts_at=start, title="Reunion a Lodz")]
        funding = [Funding(plan_id=plan.id, funder="Région Auvergne", amount_cents=100, year=2020),
                   Funding(plan_id=plan.id, funder="Region Bretagne", amount_cents=100, year=2020, note="Élan")]
        projects = [NewProject(plan_id=plan.id, title="Œuvre commune", scope=ProjectScope.BILATERAL),
                    NewProject(plan_id=plan.id, title="Oeuvre partagee", scope=ProjectScope.BILATERAL)]
        s.add_all([*meetings, *funding, *projects])
        s.flush()
        ids = {"accented": accented.id, "plain": plain.id, "leila": leila.id, "marc": marc.id, "ste": ste.id,
               "meetings": [m.id for m in meetings], "funding": [f.id for f in funding],
               "projects": [p.id for p in projects]}
    return plan.id, ids


def test_actions_are_found_accents_aside(db, world):
    plan_id, ids = world
    with db.read() as s:
        def found(text):
            query = ActionQuery(text=text)
            rows = {r.id for r in fetch_actions(s, plan_id, query, 0, 40)}
            assert count_actions(s, plan_id, query) == len(rows)
            return rows

        assert found("cooperation") == found("COOPÉRATION") == {ids["accented"], ids["plain"]}
        assert found("decentralisee") == found("leila") == found("etienne") == {ids["accented"]}
        assert found("AGRICOLE") == found("coopération agricole") == {ids["plain"]}
        assert found("mairie") == set()  # a pilot is found by name, as before


def test_meetings_are_found_accents_aside(db, world):
    plan_id, ids = world
    with db.read() as s:
        for text in ("reunion lodz", "RÉUNION À ŁÓDŹ", "łódź"):
            query = MeetingQuery(text=text)
            assert {r.id for r in fetch_meetings(s, plan_id, query)} == set(ids["meetings"]), text
            assert count_meetings(s, plan_id, query) == 2


def test_people_are_found_accents_aside(db, world):
    plan_id, ids = world
    with db.read() as s:
        for text, expected in (("leila", {"leila"}), ("LEÏLA", {"leila"}), ("cœur", {"marc"}),
                               ("universite", {"marc"}), ("etienne", {"leila"}), ("mairie ben", set())):
            assert {r.id for r in fetch_people(s, plan_id, text)} == {ids[k] for k in expected}, text
            assert count_people(s, text) == len(expected)
        assert index_of_person(s, ids["leila"], "LEILA") == 0
        assert index_of_person(s, ids["leila"], "coeur") is None
        assert [pid for pid, _ in people_choices(s, "etienne")] == [ids["leila"]]  # her town


def test_towns_are_found_accents_aside(db, world):
    plan_id, ids = world
    with db.read() as s:
        assert [t.id for t in plan_towns(s, plan_id, "saint etienne")] == [ids["ste"]]
        assert [t.name for t in plan_towns(s, plan_id, "SAINT-ÉTIENNE")] == ["Saint-Étienne"]
        assert len(plan_towns(s, plan_id)) == 2


def test_funding_is_found_accents_aside(db, world):
    plan_id, ids = world
    with db.read() as s:
        assert {r.id for r in fetch_funding(s, plan_id, text="REGION")} == set(ids["funding"])
        assert {r.id for r in fetch_funding(s, plan_id, text="région bretagne")} == {ids["funding"][1]}
        assert {r.id for r in fetch_funding(s, plan_id, text="elan")} == {ids["funding"][1]}  # its note
        assert count_funding(s, plan_id, "region") == 2 and count_funding(s, plan_id) == 2
        assert funding_index(s, plan_id, ids["funding"][1], "bretagne") == 0
        assert funding_index(s, plan_id, ids["funding"][0], "bretagne") is None


def test_projects_are_found_accents_aside(db, world):
    plan_id, ids = world
    with db.read() as s:
        assert {r.id for r in fetch_projects(s, plan_id, text="oeuvre")} == set(ids["projects"])
        assert {r.id for r in fetch_projects(s, plan_id, text="ŒUVRE COMMUNE")} == {ids["projects"][0]}
        assert {r.id for r in fetch_projects(s, plan_id, text="partagée")} == {ids["projects"][1]}
        assert count_projects(s, plan_id, "œuvre") == 2


# --- the store keeps the key -----------------------------------------------------------------------


def _keys_follow_their_text(session) -> int:
    checked = 0
    for model, fields in SEARCHED.items():
        for row in session.exec(select(model)):
            assert row.search_key == search_key(getattr(row, f) for f in fields), (model, row.id)
            checked += 1
    return checked


def test_every_write_keeps_the_key_and_history_leaves_it_out(db, world):
    plan_id, ids = world
    with db.write() as s:
        action = s.get(Action, ids["accented"])
        action.title = "Échange de savoir-faire"
        marc = s.get(Person, ids["marc"])
        marc.organisation = "Hôtel de ville"
    with db.read() as s:
        assert _keys_follow_their_text(s) >= 12
        assert [r.id for r in fetch_actions(s, plan_id, ActionQuery(text="echange"), 0, 40)] == [ids["accented"]]
        assert all("search_key" not in h.changes for h in s.exec(select(History)))
    with db.write() as s:  # a write that changes nothing records nothing
        s.get(Action, ids["accented"]).title = "Échange de savoir-faire"
    with db.read() as s:
        assert len(s.exec(select(History).where(History.row_id == ids["accented"])).all()) == 2


# An older file gets its keys when it is brought up to date: every fixture of every earlier
# revision, deleted rows too, in tests/reliability/test_reliability_upgrades.py.
