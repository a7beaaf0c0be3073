"""A ready-made database so that coordinators can try coopterm on a plan they know.

The demo holds the multilateral plan of 2019–2021 between Katowice, Monastir,
Sierre, Tamatave and Saint-Étienne as the plan document writes it
(``plan_2019_2021.json``), and, as an older plan, the Saint-Étienne–Monastir
programme of 2016–2018 as the ministry's record describes it
(``plan_2015_2018.json``).  The documents' words are kept in those JSON files,
apart from the code, so that they can be checked against the sources and never
drift when the code changes.  What the documents leave out (progress, meetings,
money...) comes from :mod:`coopterm.demo.sample` and is labelled as sample data
in each plan's description.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from importlib.resources import files
from pathlib import Path
from typing import Any, TypedDict

from sqlmodel import Session

from coopterm.demo import sample
from coopterm.domain.keys import computed_indicator_id, link_id
from coopterm.domain.plans import set_current_plan
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
from coopterm.store.database import Database, create_database_file
from coopterm.vocabulary import ActionStatus

__all__ = ["build_demo", "create_demo_database", "load_document"]

PLAN_2019_2021 = "plan_2019_2021.json"
PLAN_2015_2018 = "plan_2015_2018.json"


def load_document(name: str) -> dict[str, Any]:
    """The words of a source document, read from the package so that installed copies have them."""
    return json.loads(files("coopterm.demo").joinpath(name).read_text("utf-8"))


def build_demo(db: Database) -> uuid.UUID:
    """Fill the empty database ``db`` with the demo and make the 2019–2021 plan current.

    Everything is written in one transaction, so a failure leaves the file as
    empty as it was rather than holding half a plan.  Returns the current plan's id.
    """
    current = load_document(PLAN_2019_2021)
    earlier = load_document(PLAN_2015_2018)
    with db.write() as session:
        towns = _add_towns(session, current["towns"])
        plan_id = _add_current_plan(session, current, earlier, towns)
        _add_earlier_plan(session, earlier, current["indicators"], towns)
        set_current_plan(session, plan_id)
    return plan_id


def create_demo_database(path: str | os.PathLike[str]) -> Path:
    """Write the demo to the new file ``path``, never touching a file that is already there."""
    return create_database_file(path, build_demo)


# --- Rows ---------------------------------------------------------------------------
# Rows are flushed level by level (parents, then children) so that SQLite, which
# checks foreign keys at once, always finds the row a new one points to.


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _add_towns(session: Session, documented: list[dict[str, Any]]) -> dict[str, Town]:
    towns = {t["name"]: Town(name=t["name"], country=t["country"], time_zone=sample.TOWN_ZONES[t["name"]])
             for t in documented}
    session.add_all(towns.values())
    return towns


def _link_towns(session: Session, plan: Plan, towns: list[Town]) -> None:
    session.add_all(PlanTown(id=link_id(PlanTown, plan.id, town.id), plan_id=plan.id, town_id=town.id)
                    for town in towns)


def _add_indicators(session: Session, plan: Plan, documented: list[dict[str, Any]],
                    *, with_targets: bool) -> None:
    session.add_all(
        Indicator(id=computed_indicator_id(plan.id, ind["key"]), plan_id=plan.id, key=ind["key"],
                  label=ind["label"], unit=ind["unit"], target=ind["target"] if with_targets else None,
                  computed=True, position=pos)
        for pos, ind in enumerate(documented)
    )


def _action(challenge: Challenge, number: int, title: str, plan: sample.SampleAction) -> Action:
    return Action(
        challenge_id=challenge.id, number=number, title=title, status=plan.status,
        progress=plan.progress, start_date=plan.start, due_date=plan.due, notes=plan.notes,
    )


def _add_current_plan(session: Session, doc: dict[str, Any], earlier: dict[str, Any],
                      towns: dict[str, Town]) -> uuid.UUID:
    plan = Plan(
        title=doc["title"], start_date=_date(doc["start_date"]), end_date=_date(doc["end_date"]),
        vision=doc["vision"], description=sample.SAMPLE_NOTICE_2019, time_zone=sample.PLAN_ZONE,
        # The 2019 document sets no rhythm; the partners kept the one of their earlier programme.
        tech_group_every_weeks=earlier["tech_group_every_weeks"],
        coordination_every_weeks=earlier["coordination_every_weeks"],
    )
    session.add(plan)
    session.flush()
    _link_towns(session, plan, list(towns.values()))
    _add_indicators(session, plan, doc["indicators"], with_targets=True)

    people: dict[str, Person] = {}
    for challenge_doc in doc["challenges"]:
        for action_doc in challenge_doc["actions"]:
            for name in action_doc["pilots"]:
                if name not in people:
                    people[name] = Person(name=name, town_id=towns[sample.PILOT_TOWNS[name]].id)
    session.add_all(people.values())
    session.flush()

    challenges = {
        c["number"]: Challenge(plan_id=plan.id, number=c["number"], title=c["title"],
                               transversal=c["transversal"])
        for c in doc["challenges"]
    }
    session.add_all(challenges.values())
    session.flush()

    actions: dict[sample.ActionKey, Action] = {}
    for c in doc["challenges"]:
        for a in c["actions"]:
            key = (c["number"], a["number"])
            actions[key] = _action(challenges[c["number"]], a["number"], a["title"],
                                   sample.ACTIONS_2019[key])
    session.add_all(actions.values())
    session.flush()

    for c in doc["challenges"]:
        for a in c["actions"]:
            action = actions[(c["number"], a["number"])]
            session.add_all(ActionPilot(id=link_id(ActionPilot, action.id, people[name].id), action_id=action.id,
                                        person_id=people[name].id, position=pos)
                            for pos, name in enumerate(a["pilots"]))
    for key, action in actions.items():
        session.add_all(ActionTown(id=link_id(ActionTown, action.id, towns[name].id), action_id=action.id,
                                   town_id=towns[name].id)
                        for name in sample.ACTIONS_2019[key].towns)
    session.add_all(
        Funding(plan_id=plan.id, funder=f.funder, amount_cents=f.euros * 100, year=f.year,
                action_id=actions[f.action].id if f.action else None, note=f.note)
        for f in sample.FUNDING_2019
    )
    projects = [
        (NewProject(plan_id=plan.id, title=p.title, scope=p.scope,
                    origin_action_id=actions[p.origin].id, started_on=p.started_on,
                    description=p.description), p.towns)
        for p in sample.NEW_PROJECTS_2019
    ]
    session.add_all(project for project, _ in projects)

    meetings = [
        (Meeting(plan_id=plan.id, kind=m.kind, starts_at=m.starts_at,
                 town_id=towns[m.town].id if m.town else None, remote=m.remote, title=m.title,
                 agenda=m.agenda, **_survey_columns(m.survey)), m)
        for m in sample.meetings_2019(plan.end_date, plan.tech_group_every_weeks,
                                      plan.coordination_every_weeks)
    ]
    session.add_all(row for row, _ in meetings)
    session.flush()

    session.add_all(NewProjectTown(id=link_id(NewProjectTown, project.id, towns[name].id), project_id=project.id,
                                   town_id=towns[name].id)
                    for project, names in projects for name in names)
    for row, m in meetings:
        session.add_all(MeetingAttendee(id=link_id(MeetingAttendee, row.id, people[name].id), meeting_id=row.id,
                                        person_id=people[name].id)
                        for name in m.attendees)
        session.add_all(
            Decision(meeting_id=row.id, text=d.text, done=d.done,
                     action_id=actions[d.action].id if d.action else None)
            for d in m.decisions
        )
    session.flush()
    return plan.id


class _SurveyColumns(TypedDict):
    survey_very_satisfied: int | None
    survey_satisfied: int | None
    survey_not_very_satisfied: int | None
    survey_not_satisfied: int | None


def _survey_columns(survey: tuple[int, int, int, int] | None) -> _SurveyColumns:
    """All four survey counts or none: the table refuses a half-filled survey."""
    very, satisfied, not_very, not_satisfied = survey if survey else (None, None, None, None)
    return _SurveyColumns(survey_very_satisfied=very, survey_satisfied=satisfied,
                          survey_not_very_satisfied=not_very, survey_not_satisfied=not_satisfied)


def _add_earlier_plan(session: Session, doc: dict[str, Any], indicators: list[dict[str, Any]],
                      towns: dict[str, Town]) -> uuid.UUID:
    description = "\n\n".join((doc["history"], doc["postponed"], doc["governance"],
                               sample.SAMPLE_NOTICE_2016))
    plan = Plan(
        title=doc["title"], start_date=_date(doc["start_date"]), end_date=_date(doc["end_date"]),
        vision=doc["objectives"], description=description, time_zone=sample.PLAN_ZONE,
        tech_group_every_weeks=doc["tech_group_every_weeks"],
        coordination_every_weeks=doc["coordination_every_weeks"],
    )
    session.add(plan)
    session.flush()
    _link_towns(session, plan, [towns[name] for name in doc["towns"]])
    # The same four computed indicators, without targets: the programme set none;
    # the targets belong to the 2019 plan and would misjudge this one.
    _add_indicators(session, plan, indicators, with_targets=False)
    session.add_all(
        Funding(plan_id=plan.id, funder=f["funder"], amount_cents=int(f["amount_euros"]) * 100,
                year=f["year"], note="")
        for f in doc["funding"]
    )
    session.flush()

    challenges = {
        c["number"]: Challenge(plan_id=plan.id, number=c["number"], title=c["title"])
        for c in doc["challenges"]
    }
    session.add_all(challenges.values())
    session.flush()

    actions: list[tuple[Action, sample.SampleAction]] = []
    for c in doc["challenges"]:
        for a in c["actions"]:
            abandoned = a.get("status") == ActionStatus.ABANDONED.value
            chosen = sample.earlier_action((c["number"], a["number"]), abandoned)
            row = _action(challenges[c["number"]], a["number"], a["title"], chosen)
            if a.get("note"):
                row.notes = a["note"]
            actions.append((row, chosen))
    session.add_all(row for row, _ in actions)
    session.flush()
    session.add_all(ActionTown(id=link_id(ActionTown, row.id, towns[name].id), action_id=row.id,
                               town_id=towns[name].id)
                    for row, chosen in actions for name in chosen.towns)
    session.flush()
    return plan.id
