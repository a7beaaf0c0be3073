"""What is happening in a plan: its actions by status, and the latest changes to it."""

from __future__ import annotations

import datetime as dt
import heapq
import uuid
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from sqlalchemy import func
from sqlmodel import Session, col, select

from coopterm.clock import as_utc
from coopterm.domain.meetings import local_start_of
from coopterm.domain.numbering import action_code, challenge_code
from coopterm.domain.plans import plan_actions
from coopterm.models import Action, Challenge, Funding, Meeting, NewProject, Row
from coopterm.vocabulary import ActionStatus

R = TypeVar("R", bound=Row)

ChangeKind = Literal["action", "challenge", "meeting", "funding", "new_project"]


def actions_by_status(session: Session, plan_id: uuid.UUID) -> dict[ActionStatus, int]:
    """How many live actions of live défis the plan has in each status (every status present, in order)."""
    actions = plan_actions(plan_id).subquery()
    rows = session.exec(select(actions.c.status, func.count()).group_by(actions.c.status)).all()
    counts = {ActionStatus(status): int(n) for status, n in rows}
    return {status: counts.get(status, 0) for status in ActionStatus}


@dataclass(frozen=True)
class RecentChange:
    """One row of the plan as it was last changed (created, edited or deleted), in the
    parts a face writes it from (``ui.widgets.dashboard_panels.change_label``)."""

    kind: ChangeKind
    id: uuid.UUID
    name: str
    """How the reader knows the row: "2.1 Poursuivre…", "T Structurer…", a meeting's
    title (may be empty), a funder, a project's title."""
    updated_at: dt.datetime
    """Time of the change, timezone-aware UTC."""
    deleted: bool
    day: dt.date | None = None
    """A meeting's day on the clocks of its zone (``domain.zones``), the day the partners met."""
    amount_cents: int | None = None
    """A contribution's amount."""
    year: int | None = None
    """A contribution's year."""


def _latest_ids(model: type[Row], limit: int, *where: Any) -> Any:
    """The ids of the ``limit`` latest changed rows, as a subquery.

    Sorting only (id, updated_at) and loading whole rows afterwards keeps the sort
    narrow: about half the time of sorting whole rows on a large table.
    """
    return (
        select(model.id)
        .where(*where)
        .order_by(col(model.updated_at).desc(), col(model.id).desc())
        .limit(limit)
    )


def _latest(session: Session, model: type[R], limit: int, *where: Any) -> list[R]:
    return list(session.exec(select(model).where(col(model.id).in_(_latest_ids(model, limit, *where)))))


def latest_changes(session: Session, plan_id: uuid.UUID, limit: int = 8) -> list[RecentChange]:
    """The ``limit`` most recent changes to the plan's actions, défis, meetings, funding and new projects.

    Deleted rows are included (a deletion is a change) and flagged.  Each table is
    asked for its own ``limit`` latest rows (``ORDER BY updated_at DESC LIMIT``),
    then the lists are merged: a handful of rows are loaded whatever the plan's size.
    Actions of a deleted défi are still the plan's and may appear.
    """
    if limit <= 0:
        return []
    changes: list[RecentChange] = []

    actions = _latest_ids(Action, limit, col(Action.challenge_id).in_(
        select(Challenge.id).where(Challenge.plan_id == plan_id)))
    for action, challenge in session.exec(
        select(Action, Challenge).join(Challenge, col(Challenge.id) == col(Action.challenge_id))
        .where(col(Action.id).in_(actions))
    ):
        changes.append(RecentChange("action", action.id, f"{action_code(challenge, action)} {action.title}",
                              as_utc(action.updated_at), action.deleted_at is not None))

    for challenge in _latest(session, Challenge, limit, Challenge.plan_id == plan_id):
        changes.append(RecentChange("challenge", challenge.id, f"{challenge_code(challenge)} {challenge.title}",
                              as_utc(challenge.updated_at), challenge.deleted_at is not None))

    for meeting in _latest(session, Meeting, limit, Meeting.plan_id == plan_id):
        changes.append(RecentChange("meeting", meeting.id, meeting.title, as_utc(meeting.updated_at),
                                    meeting.deleted_at is not None, day=local_start_of(session, meeting).date()))

    for funding in _latest(session, Funding, limit, Funding.plan_id == plan_id):
        changes.append(RecentChange("funding", funding.id, funding.funder, as_utc(funding.updated_at),
                                    funding.deleted_at is not None, amount_cents=funding.amount_cents,
                                    year=funding.year))

    for project in _latest(session, NewProject, limit, NewProject.plan_id == plan_id):
        changes.append(RecentChange("new_project", project.id, project.title,
                              as_utc(project.updated_at), project.deleted_at is not None))

    return heapq.nlargest(limit, changes, key=lambda c: (c.updated_at, c.id))
