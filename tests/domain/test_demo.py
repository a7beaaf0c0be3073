"""The demo database: the plan documents' words kept exactly, sample data stable and coherent."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

import coopterm.demo as demo
from coopterm.demo import build_demo, create_demo_database, sample
from coopterm.domain import zones
from coopterm.domain.plans import current_plan, list_plans, plan_counts
from coopterm.errors import CooptermError
from coopterm.models import (
    Action,
    ActionPilot,
    ActionTown,
    Challenge,
    Decision,
    Funding,
    Indicator,
    Meeting,
    MeetingAttendee,
    NewProject,
    NewProjectTown,
    Person,
    Plan,
    PlanTown,
    Town,
)
from coopterm.store import open_database
from coopterm.vocabulary import ActionStatus, MeetingKind, ProjectScope

TITLE_2019 = "Plan d'action multilatéral de coopération internationale 2019-2021"
TITLE_2016 = "Entrepreneuriat, Formation, Insertion: Synergies stéphano-monastiriennes"
VISION = (
    "Nos 5 villes ont engagé une coopération multilatérale et protéiforme pour accompagner et "
    "développer les pratiques entrepreneuriales sur leurs territoires. L'esprit d'entreprendre est "
    "un des leviers du développement territorial au Nord comme au Sud. Aussi avons-nous décidé de "
    "mettre en synergie des pratiques entrepreneuriales qui relèvent de l'accompagnement à la "
    "création d'entreprise, de la formation et de l'insertion professionnelle. La coopération "
    "internationale doit se réinventer : par nos collaborations concrètes, modestes et inédites "
    "nous y contribuons."
)
TOWNS = {
    "Katowice": "Pologne",
    "Monastir": "Tunisie",
    "Sierre": "Suisse",
    "Tamatave": "Madagascar",
    "Saint-Étienne": "France",
}
# (défi number, transversal, title, [(action title, pilots in the document's order)])
CHALLENGES_2019 = [
    (0, True, "Assurer la coordination du plan d'action multilatéral", [
        ("Structurer le partenariat en créant des outils de suivi ad hoc",
         ["Sigolène Saunier-Hrustic"]),
        ("Coordonner l'avancée des pilotes des actions", ["Sigolène Saunier-Hrustic"]),
        ("Organiser le deuxième forum des pratiques entrepreneuriales",
         ["Aleksandra Monsiol", "Robert Pyka"]),
        ("Conduire un chantier d'écriture pour tracer la mémoire du projet, le valoriser ainsi "
         "que ses acteurs", ["Gilles Chabré", "Philippe Trouvé"]),
    ]),
    (1, False, "FAIRE VIVRE LA PÉPINIÈRE INTERNATIONALE D'ENTREPRISE", [
        ("Développer les échanges inter-entreprises", ["Adel Janeb", "Riadh Ben Aziz"]),
        ("Communiquer pour valoriser la pépinière sur les territoires", ["Aleksandra Monsiol"]),
        ("Créer un fonds pour accompagner les entreprises", ["Laurent Dupont"]),
    ]),
    (2, False, "RENFORCER ET ÉTENDRE LES COOPÉRATIONS EN TERME DE FORMATION", [
        ("Poursuivre et renforcer les partenariats existants",
         ["Jean-Christophe Peyre", "Michèle Thomassery"]),
        ("Étendre à d'autres acteurs les échanges entre établissements", ["Alicja Tardy"]),
    ]),
    (3, False, "ENGAGER DES ACTIONS EN MATIÈRE D'INSERTION PROFESSIONNELLE", [
        ("Échanger sur les pratiques en distanciel et en présentiel", ["Philippe Frossard"]),
        ("Mobiliser les syndicats patronaux des 5 villes pour engager des partenariats",
         ["Nejib Slama", "Leïla Benabdelghani"]),
    ]),
]
PILOTS = [
    "Sigolène Saunier-Hrustic", "Aleksandra Monsiol", "Robert Pyka", "Gilles Chabré",
    "Philippe Trouvé", "Adel Janeb", "Riadh Ben Aziz", "Laurent Dupont", "Jean-Christophe Peyre",
    "Michèle Thomassery", "Alicja Tardy", "Philippe Frossard", "Nejib Slama", "Leïla Benabdelghani",
]
INDICATORS = [
    ("completion_rate", "Taux de réalisation des actions proposées", "%", 90),
    ("satisfaction_rate", "Satisfaction des participants", "%", 95),
    ("multilateral_share", "Développement de la coopération multi-latérale", "%", 95),
    ("new_projects",
     "Nombre de nouveaux projets multi-latéraux et/ou bi-latéraux issus de cette coopération", "", None),
]
CHALLENGES_2016 = [
    (1, "Favoriser l'entrepreneuriat", [
        "Mettre en place une pépinière internationale d'entreprises",
        "Développer et poursuivre le concours de l'entrepreneuriat",
    ]),
    (2, "Améliorer et développer l'insertion professionnelle", [
        "Identifier des niches d'activités non exploitées pour créer de nouveaux emplois, développer "
        "de nouvelles compétences et sensibiliser les jeunes sur ces nouvelles filières",
        "Mettre en synergie les sites Web existants pour la recherche d'emplois et de stage",
    ]),
    (3, "Partager des pratiques de formation et en élaborer de nouvelles", [
        "Mettre en place et favoriser la mobilité des échanges de pratiques au niveau des formateurs",
        "Mettre en place des formations, favoriser la mobilité des échanges pour l'acquisition de "
        "compétences complémentaires pour le public apprenant et étudiant",
        "Mettre en place des échanges de pratiques entre les services municipaux des 2 villes",
    ]),
    (4, "Coordonner et valoriser les projets réalisés", [
        "Organiser un rendez-vous annuel pour valoriser les projets réalisés",
        "Mettre en place une coordination opérationnelle pour piloter le plan d'action",
    ]),
]
ABANDONED_2016 = "Mettre en synergie les sites Web existants pour la recherche d'emplois et de stage"
FUNDING_2017 = [
    ("Ministère de l'Europe et des Affaires étrangères", 1_710_000),
    ("Saint-Etienne", 3_123_000),
    ("Collectivités et partenaires étrangers", 1_334_000),
    ("Lycée de la Mode Adrien Testud", 60_000),
    ("Lycée Hôtelier les petites Bruyères", 30_000),
]


def _build(path: Path):
    db = open_database(path)
    plan_id = build_demo(db)
    return db, plan_id


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    db, plan_id = _build(tmp_path_factory.mktemp("demo") / "x.db")
    yield db, plan_id
    db.close()


@pytest.fixture
def session(built):
    db, _ = built
    with db.read() as s:
        yield s


@pytest.fixture
def plan_id(built):
    return built[1]


def _plan(session, title: str) -> Plan:
    return session.exec(select(Plan).where(Plan.title == title)).one()


def _challenges(session, plan_id) -> list[Challenge]:
    return list(session.exec(select(Challenge).where(Challenge.plan_id == plan_id)
                             .order_by(Challenge.number)))


def _actions(session, challenge_id) -> list[Action]:
    return list(session.exec(select(Action).where(Action.challenge_id == challenge_id)
                             .order_by(Action.number)))


def _plan_actions(session, plan_id) -> list[Action]:
    return [a for c in _challenges(session, plan_id) for a in _actions(session, c.id)]


def _pilot_names(session, action_id) -> list[str]:
    rows = session.exec(select(ActionPilot, Person).join(Person, Person.id == ActionPilot.person_id)
                        .where(ActionPilot.action_id == action_id).order_by(ActionPilot.position))
    return [person.name for _, person in rows]


def _town_names(session) -> dict:
    return {t.id: t.name for t in session.exec(select(Town))}


def _meetings(session, plan_id) -> list[Meeting]:
    return list(session.exec(select(Meeting).where(Meeting.plan_id == plan_id)
                             .order_by(Meeting.starts_at)))


# --- What the documents say ---------------------------------------------------------


def test_counts_of_the_current_plan(session, plan_id):
    counts = plan_counts(session, plan_id)
    assert (counts.challenges, counts.actions, counts.pilots, counts.towns) == (4, 11, 14, 5)
    assert current_plan(session).id == plan_id
    assert [p.title for p in list_plans(session)] == [TITLE_2016, TITLE_2019]


def test_plan_2019_text_is_the_documents(session, plan_id):
    plan = session.get(Plan, plan_id)
    assert plan.title == TITLE_2019
    assert (plan.start_date, plan.end_date) == (dt.date(2019, 1, 1), dt.date(2021, 12, 31))
    assert plan.vision == VISION
    assert (plan.tech_group_every_weeks, plan.coordination_every_weeks) == (6, 8)
    names = _town_names(session)
    plan_towns = session.exec(select(PlanTown).where(PlanTown.plan_id == plan_id)).all()
    assert sorted(names[pt.town_id] for pt in plan_towns) == sorted(TOWNS)
    assert {t.name: t.country for t in session.exec(select(Town))} == TOWNS


def test_challenges_actions_and_pilots_in_order(session, plan_id):
    got = []
    for c in _challenges(session, plan_id):
        actions = _actions(session, c.id)
        assert [a.number for a in actions] == list(range(1, len(actions) + 1))
        got.append((c.number, c.transversal, c.title,
                    [(a.title, _pilot_names(session, a.id)) for a in actions]))
    assert got == CHALLENGES_2019


def test_action_numbering_examples(session, plan_id):
    challenges = {c.number: c for c in _challenges(session, plan_id)}
    assert challenges[0].transversal and not any(challenges[n].transversal for n in (1, 2, 3))
    assert [a.number for a in _actions(session, challenges[0].id)] == [1, 2, 3, 4]
    assert [a.number for a in _actions(session, challenges[2].id)] == [1, 2]
    action_1_1 = _actions(session, challenges[1].id)[0]
    assert _pilot_names(session, action_1_1.id) == ["Adel Janeb", "Riadh Ben Aziz"]


def test_fourteen_pilots_one_person_each(session, plan_id):
    people = session.exec(select(Person)).all()
    assert sorted(p.name for p in people) == sorted(PILOTS)
    # Shared by their actions: Sigolène leads two, Aleksandra two.
    per_person = Counter(ap.person_id for ap in session.exec(select(ActionPilot)))
    by_name = {p.id: p.name for p in people}
    assert per_person[next(i for i, n in by_name.items() if n == "Sigolène Saunier-Hrustic")] == 2
    assert per_person[next(i for i, n in by_name.items() if n == "Aleksandra Monsiol")] == 2
    assert sum(per_person.values()) == 16


def test_indicators_are_computed_with_the_documents_targets(session, plan_id):
    rows = session.exec(select(Indicator).where(Indicator.plan_id == plan_id)
                        .order_by(Indicator.position)).all()
    assert [(i.key, i.label, i.unit, i.target) for i in rows] == INDICATORS
    assert [i.position for i in rows] == [0, 1, 2, 3]
    assert all(i.computed for i in rows)


# --- The earlier programme --------------------------------------------------------------


def test_earlier_programme(session, plan_id):
    plan = _plan(session, TITLE_2016)
    assert plan.id != plan_id
    assert (plan.start_date, plan.end_date) == (dt.date(2016, 1, 1), dt.date(2018, 12, 31))
    assert (plan.tech_group_every_weeks, plan.coordination_every_weeks) == (6, 8)
    counts = plan_counts(session, plan.id)
    assert (counts.challenges, counts.actions, counts.pilots, counts.towns) == (4, 9, 0, 2)
    got = [(c.number, c.title, [a.title for a in _actions(session, c.id)])
           for c in _challenges(session, plan.id)]
    assert got == CHALLENGES_2016
    actions = _plan_actions(session, plan.id)
    assert [a.title for a in actions if a.status is ActionStatus.ABANDONED] == [ABANDONED_2016]
    postponed = [a for a in actions if "Reportée à 2017" in a.notes]
    assert 1 <= len(postponed) <= 2
    assert all(a.status is ActionStatus.DONE and a.start_date.year == 2017 for a in postponed)
    assert "exemple" in plan.description


def test_earlier_programme_shares_towns_and_has_2017_funding(session):
    plan = _plan(session, TITLE_2016)
    names = _town_names(session)
    linked = session.exec(select(PlanTown).where(PlanTown.plan_id == plan.id)).all()
    assert sorted(names[pt.town_id] for pt in linked) == ["Monastir", "Saint-Étienne"]
    assert len(names) == 5  # the same Town rows as the 2019 plan
    funding = session.exec(select(Funding).where(Funding.plan_id == plan.id)).all()
    assert sorted((f.funder, f.amount_cents) for f in funding) == sorted(FUNDING_2017)
    assert {f.year for f in funding} == {2017}
    assert sum(f.amount_cents for f in funding) == 6_257_000
    indicators = session.exec(select(Indicator).where(Indicator.plan_id == plan.id)
                              .order_by(Indicator.position)).all()
    assert [i.key for i in indicators] == [key for key, *_ in INDICATORS]
    assert all(i.computed and i.target is None for i in indicators)


# --- Sample data ---------------------------------------------------------------------


def test_description_says_sample(session, plan_id):
    description = session.get(Plan, plan_id).description
    assert description.startswith("Données d'exemple")
    for word in ("statuts", "avancement", "pilotes", "réunions", "enquêtes", "financements",
                 "nouveaux projets"):
        assert word in description


def test_action_statuses_progress_and_dates(session, plan_id):
    plan = session.get(Plan, plan_id)
    actions = _plan_actions(session, plan_id)
    statuses = Counter(a.status for a in actions)
    assert statuses[ActionStatus.DONE] > len(actions) / 2
    for status in (ActionStatus.IN_PROGRESS, ActionStatus.POSTPONED, ActionStatus.ABANDONED):
        assert statuses[status] >= 1
    for a in actions:
        assert (a.progress == 100) == (a.status is ActionStatus.DONE)
        assert plan.start_date <= a.start_date <= a.due_date <= plan.end_date


def test_action_towns(session, plan_id):
    names = _town_names(session)
    sizes = []
    for a in _plan_actions(session, plan_id):
        towns = [names[at.town_id] for at in
                 session.exec(select(ActionTown).where(ActionTown.action_id == a.id))]
        assert len(towns) == len(set(towns)) >= 2
        sizes.append(len(towns))
    assert 1 <= sum(1 for n in sizes if n == 2) <= 2
    assert sum(1 for n in sizes if n >= 3) >= 9


def test_every_pilot_has_a_town(session):
    names = _town_names(session)
    towns = {p.name: names[p.town_id] for p in session.exec(select(Person))}
    assert towns == sample.PILOT_TOWNS
    assert set(towns.values()) == set(TOWNS)


def _local(meeting: Meeting, zone: str) -> dt.datetime:
    return zones.to_local(meeting.starts_at, zone)


def test_plans_and_towns_name_their_zones(session, plan_id):
    """The documents give no zones: the sample names them, so the screens show each town's clocks."""
    assert {p.title: p.time_zone for p in session.exec(select(Plan))} == {
        TITLE_2019: "Europe/Paris", TITLE_2016: "Europe/Paris"}
    assert {t.name: t.time_zone for t in session.exec(select(Town))} == {
        "Katowice": "Europe/Warsaw", "Monastir": "Africa/Tunis", "Sierre": "Europe/Zurich",
        "Tamatave": "Indian/Antananarivo", "Saint-Étienne": "Europe/Paris"}


def test_meeting_rhythm_keeps_the_local_hour(session, plan_id):
    """Each series is fixed on the clocks of its town (the calls on Paris's): the same hour every
    time, summer or winter, so the gap in UTC moves by an hour where summer time starts or ends."""
    towns = {t.id: t for t in session.exec(select(Town))}
    meetings = _meetings(session, plan_id)
    tech = defaultdict(list)
    for m in meetings:
        if m.kind is MeetingKind.TECHNICAL_GROUP:
            assert not m.remote
            tech[towns[m.town_id].name].append(_local(m, towns[m.town_id].time_zone))
    assert set(tech) == set(TOWNS)
    for starts in tech.values():
        assert len(starts) >= 25
        assert {(s.hour, s.minute) for s in starts} == {(10, 0)}
        assert {b.date() - a.date() for a, b in zip(starts, starts[1:])} == {dt.timedelta(days=42)}
    summer, winter = (tech["Sierre"][n].utcoffset() for n in (3, 1))  # 23 May, 28 February 2019
    assert (summer, winter) == (dt.timedelta(hours=2), dt.timedelta(hours=1))
    calls = [m for m in meetings if m.kind is MeetingKind.COORDINATION]
    assert all(m.remote and m.town_id is None for m in calls)
    assert len(calls) >= 19
    paris = [_local(m, "Europe/Paris") for m in calls]
    assert {(s.hour, s.minute) for s in paris} == {(14, 0)}
    assert {b.date() - a.date() for a, b in zip(paris, paris[1:])} == {dt.timedelta(days=56)}
    assert {b.starts_at - a.starts_at for a, b in zip(calls, calls[1:])} == {
        dt.timedelta(days=56), dt.timedelta(days=56, hours=-1), dt.timedelta(days=56, hours=1)}
    forums = [m for m in meetings if m.kind is MeetingKind.FORUM]
    assert [m.starts_at.year for m in forums] == [2019, 2020, 2021]
    assert {_local(m, towns[m.town_id].time_zone).hour for m in forums} == {10}


def test_meetings_are_aware_utc_inside_the_plan(session, plan_id):
    plan = session.get(Plan, plan_id)
    towns = {t.id: t for t in session.exec(select(Town))}
    for m in _meetings(session, plan_id):
        assert m.starts_at.tzinfo is not None
        assert m.starts_at.utcoffset() == dt.timedelta(0)
        zone = towns[m.town_id].time_zone if m.town_id else plan.time_zone
        assert plan.start_date <= _local(m, zone).date() <= plan.end_date
        assert m.title


def test_attendees_surveys_and_decisions(session, plan_id):
    names = _town_names(session)
    people = {p.id: p for p in session.exec(select(Person))}
    meetings = _meetings(session, plan_id)
    surveyed = 0
    for m in meetings:
        attendees = [people[a.person_id] for a in
                     session.exec(select(MeetingAttendee).where(MeetingAttendee.meeting_id == m.id))]
        assert attendees
        if m.kind is MeetingKind.TECHNICAL_GROUP:
            assert {names[p.town_id] for p in attendees} == {names[m.town_id]}
        survey = (m.survey_very_satisfied, m.survey_satisfied, m.survey_not_very_satisfied,
                  m.survey_not_satisfied)
        assert all(v is None for v in survey) or all(isinstance(v, int) for v in survey)
        if m.kind is MeetingKind.FORUM:
            assert survey[0] is not None
        if survey[0] is not None and m.kind is not MeetingKind.FORUM:
            surveyed += 1
    assert surveyed >= 1
    action_ids = {a.id for a in _plan_actions(session, plan_id)}
    meeting_ids = {m.id for m in meetings}
    decisions = session.exec(select(Decision)).all()
    assert len(decisions) >= 3
    assert all(d.meeting_id in meeting_ids for d in decisions)
    assert any(d.done for d in decisions) and any(not d.done for d in decisions)
    assert sum(1 for d in decisions if d.action_id in action_ids) >= 3


def test_funding_2019_2021(session, plan_id):
    funding = session.exec(select(Funding).where(Funding.plan_id == plan_id)).all()
    assert {f.year for f in funding} == {2019, 2020, 2021}
    assert len({f.funder for f in funding}) >= 3
    assert any(f.action_id is not None for f in funding)
    action_ids = {a.id for a in _plan_actions(session, plan_id)}
    assert all(f.action_id is None or f.action_id in action_ids for f in funding)


def test_all_amounts_are_whole_euro_ints(session):
    for f in session.exec(select(Funding)):
        assert type(f.amount_cents) is int
        assert f.amount_cents > 0 and f.amount_cents % 100 == 0


def test_new_projects(session, plan_id):
    names = _town_names(session)
    projects = session.exec(select(NewProject).where(NewProject.plan_id == plan_id)).all()
    assert sorted(p.scope for p in projects) == sorted([ProjectScope.BILATERAL,
                                                        ProjectScope.MULTILATERAL])
    action_ids = {a.id for a in _plan_actions(session, plan_id)}
    for p in projects:
        assert p.origin_action_id in action_ids
        assert dt.date(2019, 1, 1) <= p.started_on <= dt.date(2021, 12, 31)
        towns = [names[t.town_id] for t in
                 session.exec(select(NewProjectTown).where(NewProjectTown.project_id == p.id))]
        if p.scope is ProjectScope.BILATERAL:
            assert len(towns) == 2
        else:
            assert len(towns) >= 3


# --- Determinism ------------------------------------------------------------------------


def _snapshot(db) -> dict[str, list[tuple]]:
    """Every business field, with ids replaced by what they point to."""
    with db.read() as s:
        towns = _town_names(s)
        people = {p.id: p.name for p in s.exec(select(Person))}
        plans = {p.id: p.title for p in s.exec(select(Plan))}
        challenges = {c.id: c for c in s.exec(select(Challenge))}
        actions = {a.id: a for a in s.exec(select(Action))}

        def action_ref(action_id):
            if action_id is None:
                return None
            a = actions[action_id]
            c = challenges[a.challenge_id]
            return plans[c.plan_id], c.number, a.number

        action_towns = defaultdict(list)
        for at in s.exec(select(ActionTown)):
            action_towns[at.action_id].append(towns[at.town_id])
        pilots = defaultdict(list)
        for ap in s.exec(select(ActionPilot)):
            pilots[ap.action_id].append((ap.position, people[ap.person_id]))
        attendees = defaultdict(list)
        for ma in s.exec(select(MeetingAttendee)):
            attendees[ma.meeting_id].append(people[ma.person_id])
        decisions = defaultdict(list)
        for d in s.exec(select(Decision)):
            decisions[d.meeting_id].append((d.text, action_ref(d.action_id), d.done))
        project_towns = defaultdict(list)
        for pt in s.exec(select(NewProjectTown)):
            project_towns[pt.project_id].append(towns[pt.town_id])
        return {
            "plans": sorted(
                (p.title, p.start_date, p.end_date, p.vision, p.description,
                 p.tech_group_every_weeks, p.coordination_every_weeks,
                 tuple(sorted(towns[pt.town_id] for pt in s.exec(
                     select(PlanTown).where(PlanTown.plan_id == p.id)))))
                for p in s.exec(select(Plan))),
            "people": sorted((p.name, towns.get(p.town_id), p.organisation, p.role)
                             for p in s.exec(select(Person))),
            "actions": sorted(
                (*action_ref(a.id), challenges[a.challenge_id].title,
                 challenges[a.challenge_id].transversal, a.title, a.status.value, a.progress,
                 a.start_date, a.due_date, a.notes, tuple(sorted(action_towns[a.id])),
                 tuple(sorted(pilots[a.id])))
                for a in actions.values()),
            "meetings": sorted(
                (plans[m.plan_id], m.kind.value, m.starts_at, towns.get(m.town_id), m.remote,
                 m.title, m.agenda, m.minutes, m.survey_very_satisfied, m.survey_satisfied,
                 m.survey_not_very_satisfied, m.survey_not_satisfied,
                 tuple(sorted(attendees[m.id])), tuple(sorted(decisions[m.id], key=repr)))
                for m in s.exec(select(Meeting))),
            "funding": sorted(
                (plans[f.plan_id], f.funder, f.amount_cents, f.year, action_ref(f.action_id), f.note)
                for f in s.exec(select(Funding))),
            "projects": sorted(
                (plans[p.plan_id], p.title, p.scope.value, action_ref(p.origin_action_id),
                 p.started_on, p.description, tuple(sorted(project_towns[p.id])))
                for p in s.exec(select(NewProject))),
            "indicators": sorted(
                (plans[i.plan_id], i.position, i.key, i.label, i.unit, i.target, i.computed)
                for i in s.exec(select(Indicator))),
        }


def test_two_builds_hold_the_same_demo(tmp_path, built):
    first = _snapshot(built[0])
    db, _ = _build(tmp_path / "x.db")
    try:
        second = _snapshot(db)
    finally:
        db.close()
    assert first == second
    assert len(first["actions"]) == 20 and len(first["meetings"]) > 150
    assert len(first["funding"]) > 5


def test_build_is_one_transaction(tmp_path, monkeypatch):
    db = open_database(tmp_path / "x.db")
    try:
        broken = (*sample.FUNDING_2019, sample.SampleFunding("Financeur", -1, 2020))
        monkeypatch.setattr(sample, "FUNDING_2019", broken)
        with pytest.raises(IntegrityError):  # the database refuses a negative amount
            build_demo(db)
        with db.read() as s:
            assert s.exec(select(Plan)).all() == []
            assert s.exec(select(Town)).all() == []
            assert current_plan(s) is None
    finally:
        db.close()


# --- create_demo_database ------------------------------------------------------------


def test_create_demo_database(tmp_path):
    target = tmp_path / "demo.db"
    assert create_demo_database(str(target)) == target
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.db"]  # no temporary leftovers
    db = open_database(target, create=False)
    try:
        with db.read() as s:
            plan = current_plan(s)
            assert plan.title == TITLE_2019
            counts = plan_counts(s, plan.id)
            assert (counts.challenges, counts.actions, counts.pilots, counts.towns) == (4, 11, 14, 5)
            assert counts.meetings > 150 and counts.new_projects == 2
    finally:
        db.close()


def test_create_refuses_an_existing_file(tmp_path):
    target = tmp_path / "mine.db"
    target.write_bytes(b"precious data\x00\x01")
    with pytest.raises(CooptermError) as err:
        create_demo_database(target)
    assert err.value.key == "db.exists"
    assert target.read_bytes() == b"precious data\x00\x01"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.db"]


def test_create_refuses_an_existing_folder_or_link(tmp_path):
    (tmp_path / "folder").mkdir()
    with pytest.raises(CooptermError) as err:
        create_demo_database(tmp_path / "folder")
    assert err.value.key == "db.exists"
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    with pytest.raises(CooptermError) as err:
        create_demo_database(tmp_path / "dangling")
    assert err.value.key == "db.exists"
    assert not (tmp_path / "nowhere").exists()


def test_create_refuses_a_missing_folder(tmp_path):
    target = tmp_path / "missing" / "demo.db"
    with pytest.raises(CooptermError) as err:
        create_demo_database(target)
    assert err.value.key == "db.no_folder"
    assert list(tmp_path.iterdir()) == []


def test_failed_build_leaves_nothing(tmp_path, monkeypatch):
    def boom(db):
        raise RuntimeError("interrupted")

    monkeypatch.setattr(demo, "build_demo", boom)
    with pytest.raises(RuntimeError):
        create_demo_database(tmp_path / "demo.db")
    assert list(tmp_path.iterdir()) == []


def test_file_created_meanwhile_is_kept(tmp_path, monkeypatch):
    target = tmp_path / "demo.db"
    real_build = demo.build_demo

    def build_then_someone_else_writes(db):
        plan_id = real_build(db)
        target.write_bytes(b"theirs")
        return plan_id

    monkeypatch.setattr(demo, "build_demo", build_then_someone_else_writes)
    with pytest.raises(CooptermError) as err:
        create_demo_database(target)
    assert err.value.key == "db.exists"
    assert target.read_bytes() == b"theirs"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.db"]


def test_demo_module_does_not_load_the_interface():
    code = "import sys, coopterm.demo; sys.exit('textual' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], env={**os.environ}).returncode == 0
