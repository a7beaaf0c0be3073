"""Deleting a partner town or a whole plan: tombstones that reach every table naming them.

Both follow the rule of every deletion (``domain.rows``): rows are tombstoned,
never erased, each write recorded in the history, in the caller's one
transaction.  What the confirmation says beforehand (``domain.dependents``) is
what these do:

- a town leaves every plan; actions and projects lose it (their links are
  tombstoned); its people stay with no town and meetings held there stay with no
  place (their ``town_id`` is cleared, a change the history records);
- a plan goes with everything it holds (défis, actions and their links,
  meetings with attendees and decisions, funding, projects, indicators and
  their measurements, its towns' memberships); towns and people, shared by
  plans, stay.  The current plan is not deleted (another must be made current
  first), so the file is never left without one.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlmodel import Session, col, select

from coopterm.domain.actions import tally_where, tombstone_links
from coopterm.domain.changes import Change
from coopterm.domain.indicators import ActionTally
from coopterm.domain.plans import current_plan, list_plans
from coopterm.domain.rows import alive, tombstone
from coopterm.errors import InvalidInput
from coopterm.models import (
    Action,
    ActionTown,
    Challenge,
    Decision,
    Funding,
    Indicator,
    Measurement,
    Meeting,
    MeetingAttendee,
    NewProject,
    NewProjectTown,
    Person,
    Plan,
    PlanTown,
    Row,
    Town,
)


def _tombstone_all(session: Session, rows: Iterable[Row]) -> None:
    for row in list(rows):
        tombstone(session, row)


def _tombstone_where(session: Session, model: type[Row], *conditions: Any) -> None:
    """Tombstone the live rows of ``model`` that meet ``conditions``."""
    _tombstone_all(session, session.exec(select(model).where(alive(model), *conditions)).all())


def delete_town(session: Session, plan_id: uuid.UUID, town_id: uuid.UUID) -> Change:
    """Tombstone the town, its memberships of plans and its links to actions and projects;
    its people and the meetings held there stay, without a town.  ``tally_delta`` is what
    ``plan_id``'s tally loses (an action may no longer be multilateral)."""
    town = session.get(Town, town_id)
    if town is None:
        raise InvalidInput("record.town_missing")
    if town.deleted_at is not None:
        return Change(town_id, plan_id, False)
    in_plan = col(Action.challenge_id).in_(select(Challenge.id).where(Challenge.plan_id == plan_id))
    before = tally_where(session, in_plan)
    tombstone(session, town)
    for link in (PlanTown, ActionTown, NewProjectTown):
        _tombstone_where(session, link, col(link.town_id) == town_id)
    for holder in (Person, Meeting):
        for row in session.exec(select(holder).where(col(holder.town_id) == town_id, alive(holder))).all():
            row.town_id = None
            session.add(row)
    return Change(town_id, plan_id, True, tally_where(session, in_plan) - before)


def plan_deletion_refusal(session: Session, plan_id: uuid.UUID) -> str | None:
    """The key of the reason the plan cannot be deleted (the only one, or the current one), or ``None``."""
    if len(list_plans(session)) <= 1:
        return "plans.delete_only"
    current = current_plan(session)
    if current is not None and current.id == plan_id:
        return "plans.delete_current"
    return None


def delete_plan(session: Session, plan_id: uuid.UUID) -> Change:
    """Tombstone the plan and everything it holds; refuses (``InvalidInput``) the only plan
    and the current one."""
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise InvalidInput("record.plan_missing")
    if plan.deleted_at is not None:
        return Change(plan_id, plan_id, False)
    refusal = plan_deletion_refusal(session, plan_id)
    if refusal is not None:
        raise InvalidInput(refusal)
    challenges = session.exec(select(Challenge).where(Challenge.plan_id == plan_id, alive(Challenge))).all()
    challenge_ids = [c.id for c in challenges]
    actions = session.exec(select(Action).where(col(Action.challenge_id).in_(challenge_ids), alive(Action))).all()
    meetings = session.exec(select(Meeting).where(Meeting.plan_id == plan_id, alive(Meeting))).all()
    meeting_ids = [m.id for m in meetings]
    projects = session.exec(select(NewProject).where(NewProject.plan_id == plan_id, alive(NewProject))).all()
    indicators = session.exec(select(Indicator).where(Indicator.plan_id == plan_id, alive(Indicator))).all()
    _tombstone_all(session, actions)
    tombstone_links(session, [a.id for a in actions])
    _tombstone_all(session, challenges)
    for part in (MeetingAttendee, Decision):
        _tombstone_where(session, part, col(part.meeting_id).in_(meeting_ids))
    _tombstone_all(session, meetings)
    _tombstone_where(session, NewProjectTown, col(NewProjectTown.project_id).in_([p.id for p in projects]))
    _tombstone_all(session, projects)
    _tombstone_where(session, Measurement, col(Measurement.indicator_id).in_([i.id for i in indicators]))
    _tombstone_all(session, indicators)
    _tombstone_where(session, Funding, col(Funding.plan_id) == plan_id)
    _tombstone_where(session, PlanTown, col(PlanTown.plan_id) == plan_id)
    tombstone(session, plan)
    return Change(plan_id, plan_id, True, ActionTally())
