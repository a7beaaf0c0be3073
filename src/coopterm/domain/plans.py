"""The current plan and what it counts."""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass

from sqlalchemy import distinct, func
from sqlmodel import Session, select

from coopterm.domain.rows import alive
from coopterm.models import (
    Action,
    ActionPilot,
    Challenge,
    Meeting,
    Meta,
    NewProject,
    Person,
    Plan,
    PlanTown,
    Town,
)

CURRENT_PLAN_KEY = "current_plan"


def list_plans(session: Session) -> list[Plan]:
    return list(session.exec(select(Plan).where(alive(Plan)).order_by(Plan.start_date, Plan.id)))


def current_plan(session: Session) -> Plan | None:
    """The plan chosen as current in this file; else the latest one that still exists."""
    chosen = session.get(Meta, CURRENT_PLAN_KEY)
    if chosen is not None:
        plan = session.get(Plan, uuid.UUID(chosen.value))
        if plan is not None and plan.deleted_at is None:
            return plan
    return session.exec(
        select(Plan).where(alive(Plan)).order_by(Plan.start_date.desc(), Plan.id.desc())
    ).first()


def set_current_plan(session: Session, plan_id: uuid.UUID) -> None:
    """Remember ``plan_id`` as this file's current plan (a local setting, never merged)."""
    row = session.get(Meta, CURRENT_PLAN_KEY)
    if row is None:
        session.add(Meta(key=CURRENT_PLAN_KEY, value=plan_id.hex))
    else:
        row.value = plan_id.hex
        session.add(row)


@dataclass(frozen=True)
class PlanCounts:
    """What a plan holds, without deleted rows; ``pilots`` are people leading at least one action."""

    challenges: int
    actions: int
    pilots: int
    towns: int
    meetings: int
    new_projects: int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def plan_actions(plan_id: uuid.UUID):  # noqa: ANN201
    """The live actions of a plan (through live défis), as a query to count or list."""
    return (
        select(Action)
        .join(Challenge, Challenge.id == Action.challenge_id)
        .where(Challenge.plan_id == plan_id, alive(Challenge), alive(Action))
    )


def plan_counts(session: Session, plan_id: uuid.UUID) -> PlanCounts:
    def scalar(stmt) -> int:  # noqa: ANN001
        return int(session.exec(stmt).one())

    challenges = scalar(
        select(func.count()).select_from(Challenge).where(Challenge.plan_id == plan_id, alive(Challenge))
    )
    actions = scalar(select(func.count()).select_from(plan_actions(plan_id).subquery()))
    action_ids = plan_actions(plan_id).with_only_columns(Action.id)
    pilots = scalar(
        select(func.count(distinct(ActionPilot.person_id)))
        .join(Person, Person.id == ActionPilot.person_id)
        .where(ActionPilot.action_id.in_(action_ids), alive(ActionPilot), alive(Person))
    )
    towns = scalar(
        select(func.count(distinct(PlanTown.town_id)))
        .join(Town, Town.id == PlanTown.town_id)
        .where(PlanTown.plan_id == plan_id, alive(PlanTown), alive(Town))
    )
    meetings = scalar(
        select(func.count()).select_from(Meeting).where(Meeting.plan_id == plan_id, alive(Meeting))
    )
    new_projects = scalar(
        select(func.count()).select_from(NewProject).where(NewProject.plan_id == plan_id, alive(NewProject))
    )
    return PlanCounts(challenges, actions, pilots, towns, meetings, new_projects)
