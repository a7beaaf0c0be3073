"""What refers to a row, said before it is deleted: one place for every list's confirmation.

A deletion tombstones the row and what belongs to it (an action's links, a
meeting's decisions...), but rows of other kinds that name it stay: a project
keeps its action of origin, a funding line its action, a decision the action it
is about.  :func:`what_refers_to` says, in the user's language, what names the
row and what the deletion will do to it, one sentence per kind, so the
confirmation tells the truth before anything changes.  It finds the row by its
id among the kinds a list deletes (ids are unique across tables); for a kind
nothing refers to, it says nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from coopterm.domain.numbering import action_code
from coopterm.domain.rows import alive
from coopterm.i18n import t, tn
from coopterm.models import (
    Action,
    ActionTown,
    Challenge,
    Decision,
    Funding,
    Meeting,
    MeetingAttendee,
    NewProject,
    NewProjectTown,
    Person,
    Plan,
    PlanTown,
    Town,
)

LISTED = 3
"""Names listed in a sentence before "…"."""


def _names(names: Sequence[str]) -> str:
    shown = [f"“{name}”" for name in names[:LISTED]]
    return ", ".join(shown) + (", …" if len(names) > LISTED else "")


def _count(session: Session, model: type[Any], *conditions: Any) -> int:
    return int(session.exec(select(func.count()).select_from(model).where(alive(model), *conditions)).one())


def _refs_to_actions(session: Session, codes: dict[uuid.UUID, str]) -> list[str]:
    """Projects born of these actions (``codes``: id → "2.2"), funding lines and decisions
    tied to them: they stay, naming them still.  Each sentence names the actions it is about."""
    ids = list(codes)
    if not ids:
        return []

    def named(found: Sequence[uuid.UUID | None]) -> str:
        wanted = set(found)
        return ", ".join(code for action_id, code in codes.items() if action_id in wanted)

    lines = []
    projects = session.exec(select(NewProject.title, NewProject.origin_action_id).where(
        alive(NewProject), col(NewProject.origin_action_id).in_(ids)).order_by(col(NewProject.title))).all()
    if projects:
        lines.append(tn("dependents.action_projects", len(projects), code=named([a for _, a in projects]),
                        titles=_names([title for title, _ in projects])))
    funding = session.exec(select(Funding.action_id).where(alive(Funding), col(Funding.action_id).in_(ids))).all()
    if funding:
        lines.append(tn("dependents.action_funding", len(funding), code=named(funding)))
    decisions = session.exec(
        select(Decision.action_id).join(Meeting, col(Meeting.id) == col(Decision.meeting_id))
        .where(alive(Decision), alive(Meeting), col(Decision.action_id).in_(ids))).all()
    if decisions:
        lines.append(tn("dependents.action_decisions", len(decisions), code=named(decisions)))
    return lines


def _action(session: Session, action: Action) -> list[str]:
    challenge = session.get_one(Challenge, action.challenge_id)
    return _refs_to_actions(session, {action.id: action_code(challenge, action)})


def _challenge(session: Session, challenge: Challenge) -> list[str]:
    actions = session.exec(select(Action).where(Action.challenge_id == challenge.id, alive(Action))
                           .order_by(col(Action.number))).all()
    return _refs_to_actions(session, {a.id: action_code(challenge, a) for a in actions})


def _meeting(session: Session, meeting: Meeting) -> list[str]:
    lines = []
    attendees = _count(session, MeetingAttendee, MeetingAttendee.meeting_id == meeting.id)
    if attendees:
        lines.append(tn("dependents.meeting_attendees", attendees))
    decisions = _count(session, Decision, Decision.meeting_id == meeting.id)
    if decisions:
        lines.append(tn("dependents.meeting_decisions", decisions))
    return lines


def _person(session: Session, person: Person) -> list[str]:
    """What they lead is asked about apart (hand it over, or leave it); their attendance stays."""
    meetings = int(session.exec(
        select(func.count(func.distinct(col(MeetingAttendee.meeting_id)))).select_from(MeetingAttendee)
        .join(Meeting, col(Meeting.id) == col(MeetingAttendee.meeting_id))
        .where(MeetingAttendee.person_id == person.id, alive(MeetingAttendee), alive(Meeting))).one())
    return [tn("dependents.person_meetings", meetings)] if meetings else []


def _town(session: Session, town: Town) -> list[str]:
    lines = []
    people = _count(session, Person, Person.town_id == town.id)
    if people:
        lines.append(tn("dependents.town_people", people))
    rows = session.exec(
        select(Action, Challenge).join(ActionTown, col(ActionTown.action_id) == col(Action.id))
        .join(Challenge, col(Challenge.id) == col(Action.challenge_id))
        .where(ActionTown.town_id == town.id, alive(ActionTown), alive(Action), alive(Challenge))
        .order_by(col(Challenge.plan_id), col(Challenge.transversal).desc(), col(Challenge.number), col(Action.number))
    ).all()
    actions = {a.id: action_code(c, a) for a, c in rows}
    if actions:
        codes = list(dict.fromkeys(actions.values()))
        shown = ", ".join(codes[:6]) + (", …" if len(codes) > 6 else "")
        lines.append(tn("dependents.town_actions", len(actions), codes=shown))
    meetings = _count(session, Meeting, Meeting.town_id == town.id)
    if meetings:
        lines.append(tn("dependents.town_meetings", meetings))
    projects = int(session.exec(
        select(func.count(func.distinct(col(NewProjectTown.project_id)))).select_from(NewProjectTown)
        .join(NewProject, col(NewProject.id) == col(NewProjectTown.project_id))
        .where(NewProjectTown.town_id == town.id, alive(NewProjectTown), alive(NewProject))).one())
    if projects:
        lines.append(tn("dependents.town_projects", projects))
    plans = session.exec(select(Plan.title).join(PlanTown, col(PlanTown.plan_id) == col(Plan.id))
                         .where(PlanTown.town_id == town.id, alive(PlanTown), alive(Plan))
                         .order_by(col(Plan.start_date))).all()
    plans = list(dict.fromkeys(plans))
    if plans:
        lines.append(tn("dependents.town_plans", len(plans), titles=_names(plans)))
    return lines


def _plan(session: Session, plan: Plan) -> list[str]:
    challenges = _count(session, Challenge, Challenge.plan_id == plan.id)
    actions = int(session.exec(
        select(func.count()).select_from(Action).join(Challenge, col(Challenge.id) == col(Action.challenge_id))
        .where(Challenge.plan_id == plan.id, alive(Action), alive(Challenge))).one())
    meetings = _count(session, Meeting, Meeting.plan_id == plan.id)
    funding = _count(session, Funding, Funding.plan_id == plan.id)
    projects = _count(session, NewProject, NewProject.plan_id == plan.id)
    return [t("dependents.plan_content", challenges=tn("dependents.challenges", challenges),
              actions=tn("dependents.actions", actions), meetings=tn("dependents.meetings", meetings),
              funding=tn("dependents.funding", funding), projects=tn("dependents.projects", projects)),
            t("dependents.plan_kept")]


_KINDS: tuple[tuple[type[Any], Callable[[Session, Any], list[str]]], ...] = (
    (Action, _action), (Challenge, _challenge), (Meeting, _meeting), (Person, _person), (Town, _town),
    (Plan, _plan))


def what_refers_to(session: Session, row_id: object) -> list[str]:
    """One sentence per kind of row that names ``row_id`` (or goes with it), saying what
    becomes of it; empty for a row nothing refers to, a deleted one, or an id of no such kind."""
    if not isinstance(row_id, uuid.UUID):
        return []
    for model, describe in _KINDS:
        row = session.get(model, row_id)
        if row is not None:
            return [] if row.deleted_at is not None else describe(session, row)
    return []
