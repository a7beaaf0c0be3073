"""What the source documents do not say, made up once for the demonstration.

The plan of 2019–2021 names its défis, actions and pilots but not how far each
action went, where each pilot works, when the partners met, on which clocks, or
who paid.  A demo
with no such data would leave every screen empty, so this module supplies it.
Every value here is fixed (hand-written tables, and one ``random.Random`` with a
constant seed for the survey counts): two demos built on different days hold the
same plan, which keeps screenshots, tests and training material in step.  The
plan descriptions tell users that this part is sample data.

Actions are keyed by ``(défi number, action number)`` as the plan numbers them
("2.1" is ``(2, 1)``); towns and people by their names in the JSON files.  Nothing
here touches the database: :mod:`coopterm.demo` turns these values into rows.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from coopterm.domain import zones
from coopterm.vocabulary import ActionStatus, MeetingKind, ProjectScope

ActionKey = tuple[int, int]

SAINT_ETIENNE = "Saint-Étienne"
KATOWICE = "Katowice"
MONASTIR = "Monastir"
SIERRE = "Sierre"
TAMATAVE = "Tamatave"
ALL_TOWNS = (KATOWICE, MONASTIR, SIERRE, TAMATAVE, SAINT_ETIENNE)

SAMPLE_NOTICE_2019 = (
    "Données d'exemple : les statuts et l'avancement des actions, leurs dates, les villes "
    "engagées dans chaque action, les villes des pilotes, les réunions et leurs participants, "
    "les décisions, les résultats des enquêtes de satisfaction, les financements et les "
    "nouveaux projets sont générés pour la démonstration ; ils ne viennent pas du plan d'action."
)

SAMPLE_NOTICE_2016 = (
    "Données d'exemple : les dates et l'avancement des actions, le choix des actions "
    "reportées à 2017 et les villes de chaque action sont générés pour la démonstration. "
    "L'abandon de l'action sur les sites Web et les financements 2017 viennent de la fiche "
    "de l'Atlas français de la coopération décentralisée."
)

# Where each pilot works.  The plan gives names only; these towns are guesses from
# the names and the pairs the plan forms, chosen so that every town has a pilot
# (technical groups in every town then have someone to attend).
PILOT_TOWNS: dict[str, str] = {
    "Sigolène Saunier-Hrustic": SAINT_ETIENNE,
    "Aleksandra Monsiol": KATOWICE,
    "Robert Pyka": KATOWICE,
    "Gilles Chabré": SAINT_ETIENNE,
    "Philippe Trouvé": SAINT_ETIENNE,
    "Adel Janeb": MONASTIR,
    "Riadh Ben Aziz": MONASTIR,
    "Laurent Dupont": SIERRE,
    "Jean-Christophe Peyre": SAINT_ETIENNE,
    "Michèle Thomassery": TAMATAVE,
    "Alicja Tardy": KATOWICE,
    "Philippe Frossard": SIERRE,
    "Nejib Slama": MONASTIR,
    "Leïla Benabdelghani": SAINT_ETIENNE,
}


@dataclass(frozen=True)
class SampleAction:
    status: ActionStatus
    progress: int
    start: dt.date
    due: dt.date
    towns: tuple[str, ...]
    notes: str = ""


D = dt.date

# The state at the end of the plan (31 December 2021): most actions done, the
# writing project still going, one action carried over to the next plan, and the
# company fund given up.  Two actions are bilateral, the others multilateral.
ACTIONS_2019: dict[ActionKey, SampleAction] = {
    (0, 1): SampleAction(ActionStatus.DONE, 100, D(2019, 1, 14), D(2019, 6, 28), ALL_TOWNS),
    (0, 2): SampleAction(ActionStatus.DONE, 100, D(2019, 1, 14), D(2021, 12, 17), ALL_TOWNS),
    (0, 3): SampleAction(ActionStatus.DONE, 100, D(2019, 2, 4), D(2019, 10, 31), ALL_TOWNS),
    (0, 4): SampleAction(ActionStatus.IN_PROGRESS, 70, D(2020, 1, 6), D(2021, 12, 17), ALL_TOWNS,
                         "Recueil en cours de relecture (exemple)."),
    (1, 1): SampleAction(ActionStatus.DONE, 100, D(2019, 3, 4), D(2021, 6, 30),
                         (MONASTIR, SAINT_ETIENNE, KATOWICE, SIERRE)),
    (1, 2): SampleAction(ActionStatus.DONE, 100, D(2019, 4, 1), D(2020, 12, 18),
                         (KATOWICE, MONASTIR, SAINT_ETIENNE, TAMATAVE)),
    (1, 3): SampleAction(ActionStatus.ABANDONED, 20, D(2019, 9, 2), D(2021, 6, 30),
                         (SIERRE, SAINT_ETIENNE),
                         "Abandonnée en 2020 faute de financeurs (exemple)."),
    (2, 1): SampleAction(ActionStatus.DONE, 100, D(2019, 1, 14), D(2021, 6, 30),
                         (SAINT_ETIENNE, TAMATAVE)),
    (2, 2): SampleAction(ActionStatus.POSTPONED, 30, D(2020, 1, 6), D(2021, 12, 17),
                         (KATOWICE, SAINT_ETIENNE, SIERRE, MONASTIR),
                         "Reportée au prochain plan d'action (exemple)."),
    (3, 1): SampleAction(ActionStatus.DONE, 100, D(2019, 5, 6), D(2021, 10, 29), ALL_TOWNS),
    (3, 2): SampleAction(ActionStatus.DONE, 100, D(2019, 9, 2), D(2021, 11, 26), ALL_TOWNS),
}

# The earlier programme: the record says one action was abandoned after the first
# year (its status comes from the JSON) and that "some" were postponed to 2017
# without naming them.  The two chosen here start in 2017 and were then completed.
POSTPONED_NOTE_2016 = (
    "Reportée à 2017, puis réalisée (exemple : la fiche ne dit pas quelles actions ont été reportées)."
)
POSTPONED_2016: frozenset[ActionKey] = frozenset({(2, 1), (3, 3)})
ABANDONED_PROGRESS_2016 = 10


def earlier_action(key: ActionKey, abandoned: bool) -> SampleAction:
    """Dates and progress for an action of the 2016–2018 programme."""
    towns = (SAINT_ETIENNE, MONASTIR)
    if abandoned:
        return SampleAction(ActionStatus.ABANDONED, ABANDONED_PROGRESS_2016,
                            D(2016, 2, 1), D(2016, 12, 16), towns)
    if key in POSTPONED_2016:
        return SampleAction(ActionStatus.DONE, 100, D(2017, 1, 9), D(2018, 12, 14), towns,
                            POSTPONED_NOTE_2016)
    return SampleAction(ActionStatus.DONE, 100, D(2016, 2, 1), D(2018, 12, 14), towns)


# --- Time zones and meetings ---------------------------------------------------------

# The zones the documents do not give: the plans are run from Saint-Étienne, so
# remote meetings (the coordination calls) are on Paris time, and each town keeps
# its own clocks.
PLAN_ZONE = "Europe/Paris"
TOWN_ZONES: dict[str, str] = {
    KATOWICE: "Europe/Warsaw",
    MONASTIR: "Africa/Tunis",
    SIERRE: "Europe/Zurich",
    TAMATAVE: "Indian/Antananarivo",
    SAINT_ETIENNE: "Europe/Paris",
}

# Meetings are fixed on the local clocks of the place they are held in, as people
# arrange them: each series keeps its hour when summer time starts or ends
# (``zones.later_local``), and is stored in UTC like any meeting typed in the app.
# First technical group in each town, on different weekdays so the groups do not
# clash; all at 10:00 local time.
TECH_GROUP_FIRST: dict[str, dt.date] = {
    KATOWICE: D(2019, 1, 15),
    MONASTIR: D(2019, 1, 16),
    SIERRE: D(2019, 1, 17),
    TAMATAVE: D(2019, 1, 22),
    SAINT_ETIENNE: D(2019, 1, 24),
}
TECH_GROUP_TIME = dt.time(10, 0)
# The coordination call, remote: 14:00 on the plan's (Paris) clocks.
COORDINATION_FIRST = D(2019, 1, 8)
COORDINATION_TIME = dt.time(14, 0)

# Who sits on the coordination group: the plan's coordinator and one pilot per town.
COORDINATION_MEMBERS = (
    "Sigolène Saunier-Hrustic", "Aleksandra Monsiol", "Adel Janeb",
    "Philippe Frossard", "Michèle Thomassery",
)

# (date, town, title): one forum a year at 10:00 local time, the first being the
# plan's "deuxième forum".
FORUMS = (
    (D(2019, 10, 17), KATOWICE, "Deuxième forum des pratiques entrepreneuriales"),
    (D(2020, 10, 15), MONASTIR, "Forum annuel des partenaires 2020"),
    (D(2021, 10, 14), SAINT_ETIENNE, "Forum annuel des partenaires 2021"),
)
FORUM_TIME = dt.time(10, 0)

TECH_GROUP_AGENDA = "Point d'avancement des fiches-actions ; difficultés ; prochaines étapes."
COORDINATION_AGENDA = "Tour des villes ; suivi des décisions ; préparation du forum annuel."
FORUM_AGENDA = "Bilan de l'année ; ateliers par défi ; enquête de satisfaction."

SURVEY_SEED = 20192021


@dataclass(frozen=True)
class SampleDecision:
    text: str
    action: ActionKey | None
    done: bool


@dataclass
class SampleMeeting:
    kind: MeetingKind
    starts_at: dt.datetime
    """UTC, as the table stores it."""
    town: str | None
    remote: bool
    title: str
    agenda: str
    attendees: tuple[str, ...]
    survey: tuple[int, int, int, int] | None = None
    decisions: list[SampleDecision] = field(default_factory=list)

    @property
    def zone(self) -> str:
        """The zone the meeting was arranged in (``zones.meeting_zone``: its town's, else the plan's)."""
        return zones.meeting_zone(PLAN_ZONE, TOWN_ZONES.get(self.town or ""), self.remote)

    @property
    def day(self) -> dt.date:
        """Its date on the clocks of its zone, the day the partners met."""
        return zones.to_local(self.starts_at, self.zone).date()


# (kind, town or None for any, on or after, decision): each decision goes to the
# first meeting of that kind (in that town) on or after the date.
DECISIONS: tuple[tuple[MeetingKind, str | None, dt.date, SampleDecision], ...] = (
    (MeetingKind.COORDINATION, None, D(2019, 1, 1), SampleDecision(
        "Adopter un tableau de suivi commun des fiches-actions, partagé par les cinq villes.",
        (0, 1), True)),
    (MeetingKind.COORDINATION, None, D(2019, 3, 1), SampleDecision(
        "Retenir Katowice pour accueillir le deuxième forum des pratiques entrepreneuriales.",
        (0, 3), True)),
    (MeetingKind.TECHNICAL_GROUP, MONASTIR, D(2019, 4, 1), SampleDecision(
        "Organiser une première rencontre inter-entreprises entre Monastir et Saint-Étienne.",
        (1, 1), True)),
    (MeetingKind.FORUM, None, D(2019, 1, 1), SampleDecision(
        "Lancer en 2020 le chantier d'écriture sur la mémoire du projet.", (0, 4), True)),
    (MeetingKind.COORDINATION, None, D(2020, 6, 1), SampleDecision(
        "Suspendre la création du fonds d'accompagnement des entreprises, faute de financeurs.",
        (1, 3), True)),
    (MeetingKind.COORDINATION, None, D(2021, 3, 1), SampleDecision(
        "Reporter au prochain plan l'extension des échanges à d'autres établissements.",
        (2, 2), True)),
    (MeetingKind.FORUM, None, D(2021, 1, 1), SampleDecision(
        "Publier le recueil du chantier d'écriture au premier semestre 2022.", (0, 4), False)),
    (MeetingKind.FORUM, None, D(2021, 1, 1), SampleDecision(
        "Préparer le prochain plan d'action multilatéral avec les cinq villes.", None, False)),
)


def _every(first: dt.date, time: dt.time, zone: str, weeks: int, end: dt.date) -> list[dt.datetime]:
    """A series from ``first`` at ``time`` on the clocks of ``zone``, every ``weeks`` weeks up
    to ``end`` (a local date), in UTC: the hour stays the same across summer time."""
    start = zones.to_utc(first, time, zone)
    out = []
    when = start
    while zones.to_local(when, zone).date() <= end:
        out.append(when)
        when = zones.later_local(start, zone, weeks * len(out))
    return out


def _year(when: dt.datetime, zone: str) -> int:
    return zones.to_local(when, zone).year


def _survey(rng: random.Random, forum: bool) -> tuple[int, int, int, int]:
    if forum:
        return rng.randint(22, 35), rng.randint(14, 22), rng.randint(1, 4), rng.randint(0, 2)
    return rng.randint(3, 8), rng.randint(2, 5), rng.randint(0, 1), rng.randint(0, 1)


def meetings_2019(end: dt.date, tech_every_weeks: int, coordination_every_weeks: int
                  ) -> list[SampleMeeting]:
    """The meetings of the 2019–2021 plan at the governance rhythm of the earlier programme.

    A technical group in each town every ``tech_every_weeks`` weeks (its pilots
    attend; the last one of each year collects a satisfaction survey), a remote
    coordination call every ``coordination_every_weeks`` weeks, one forum a year
    (every pilot attends, with a survey).  Sorted by start time, then town.
    """
    rng = random.Random(SURVEY_SEED)
    meetings: list[SampleMeeting] = []
    for town, first in TECH_GROUP_FIRST.items():
        people = tuple(name for name, where in PILOT_TOWNS.items() if where == town)
        zone = TOWN_ZONES[town]
        dates = _every(first, TECH_GROUP_TIME, zone, tech_every_weeks, end)
        for n, when in enumerate(dates, 1):
            last_of_year = n == len(dates) or _year(dates[n], zone) != _year(when, zone)
            meetings.append(SampleMeeting(
                MeetingKind.TECHNICAL_GROUP, when, town, False,
                f"Groupe de suivi technique n° {n} — {town}", TECH_GROUP_AGENDA, people,
                _survey(rng, forum=False) if last_of_year else None,
            ))
    for n, when in enumerate(_every(COORDINATION_FIRST, COORDINATION_TIME, PLAN_ZONE,
                                    coordination_every_weeks, end), 1):
        meetings.append(SampleMeeting(
            MeetingKind.COORDINATION, when, None, True,
            f"Groupe de coordination n° {n} (conférence téléphonique)", COORDINATION_AGENDA,
            COORDINATION_MEMBERS,
        ))
    for day, town, title in FORUMS:
        meetings.append(SampleMeeting(
            MeetingKind.FORUM, zones.to_utc(day, FORUM_TIME, TOWN_ZONES[town]), town, False, title,
            FORUM_AGENDA, tuple(PILOT_TOWNS), _survey(rng, forum=True),
        ))
    meetings.sort(key=lambda m: (m.starts_at, m.town or ""))
    for kind, held_in, after, decision in DECISIONS:
        target = next(m for m in meetings
                      if m.kind is kind and (held_in is None or m.town == held_in)
                      and m.day >= after)
        target.decisions.append(decision)
    return meetings


# --- Money and new projects -------------------------------------------------------

@dataclass(frozen=True)
class SampleFunding:
    funder: str
    euros: int
    year: int
    action: ActionKey | None = None
    note: str = "Montant d'exemple."


MEAE = "Ministère de l'Europe et des Affaires étrangères"
VILLE_SAINT_ETIENNE = "Ville de Saint-Étienne"
PARTENAIRES = "Collectivités et partenaires étrangers"

FUNDING_2019: tuple[SampleFunding, ...] = (
    SampleFunding(MEAE, 20_000, 2019),
    SampleFunding(VILLE_SAINT_ETIENNE, 30_000, 2019),
    SampleFunding(PARTENAIRES, 15_000, 2019),
    SampleFunding(VILLE_SAINT_ETIENNE, 5_000, 2019, (0, 3),
                  "Montant d'exemple : deuxième forum des pratiques entrepreneuriales."),
    SampleFunding(MEAE, 18_000, 2020),
    SampleFunding(VILLE_SAINT_ETIENNE, 28_000, 2020),
    SampleFunding(PARTENAIRES, 12_000, 2020),
    SampleFunding(MEAE, 18_000, 2021),
    SampleFunding(VILLE_SAINT_ETIENNE, 30_000, 2021),
    SampleFunding(PARTENAIRES, 14_000, 2021),
    SampleFunding(PARTENAIRES, 3_000, 2021, (0, 4),
                  "Montant d'exemple : édition du recueil du chantier d'écriture."),
)


@dataclass(frozen=True)
class SampleProject:
    title: str
    scope: ProjectScope
    origin: ActionKey
    started_on: dt.date
    towns: tuple[str, ...]
    description: str = "Projet d'exemple généré pour la démonstration."


NEW_PROJECTS_2019: tuple[SampleProject, ...] = (
    SampleProject("Jumelage de classes entre lycées de Saint-Étienne et de Tamatave",
                  ProjectScope.BILATERAL, (2, 1), D(2020, 9, 1), (SAINT_ETIENNE, TAMATAVE)),
    SampleProject("Programme d'accueil croisé de jeunes entrepreneurs",
                  ProjectScope.MULTILATERAL, (1, 1), D(2021, 4, 1),
                  (KATOWICE, MONASTIR, SAINT_ETIENNE)),
)
