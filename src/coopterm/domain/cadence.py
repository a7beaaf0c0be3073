"""The governance rhythm of a plan: which meetings are due, and which are late.

Seed 001: "deux groupes de suivi technique se réunissent toutes les six semaines à
Saint-Étienne et à Monastir, un groupe de coordination [...] se réunit par
conférence téléphonique toutes les 8 semaines".  The rhythm is a plan setting
(``Plan.tech_group_every_weeks``, ``Plan.coordination_every_weeks``).

The rule, in one place:

- the plan expects a **technical follow-up group in each of its partner towns**
  (a ``technical_group`` meeting whose ``town_id`` is that town) every
  ``tech_group_every_weeks`` weeks, and a **coordination meeting** (a
  ``coordination`` meeting, anywhere or remote) every ``coordination_every_weeks``
  weeks;
- a meeting counts as *held* when it is not deleted and took place during the
  plan's period up to and including ``today``: ``plan.start_date <= date <= today``,
  its date being the day on the clocks of its own zone (``domain.zones``: its
  town's, else the plan's), the day the partners met: a meeting at 01:00 in
  Tamatave was held on that day, although in UTC it started the evening before.
  Meetings planned for later are not held yet;
- the next one is **due one rhythm after the last one held**; when none has been
  held yet, one rhythm after the plan's start (the first meeting is expected
  within the first period of the rhythm);
- it is **overdue** when its due date is before ``today`` (due today is not late),
  and ``days_late`` counts the days since the due date;
- a due date after the plan's end is not listed (the plan expects nothing after
  it), and once ``today`` is after the plan's end nothing is due at all: the list
  is empty and the caller says that the plan is over (see :func:`plan_over`).

Technical groups recorded without a town, and meetings of other kinds, do not
count towards the rhythm.

Cost: one query for the zones of the towns the plan met in, one grouped query (the
latest held meeting per kind and town, each zone's days turned into UTC bounds
beforehand: ``domain.meetings.on_local_days``, the meetings table's period filter
too) and one for the partner towns, whatever the number of meetings.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from coopterm.domain import zones
from coopterm.domain.meetings import on_local_days, own_town_zones
from coopterm.domain.rows import alive
from coopterm.models import Meeting, Plan, PlanTown, Town
from coopterm.vocabulary import MeetingKind

RHYTHM_KINDS = (MeetingKind.TECHNICAL_GROUP, MeetingKind.COORDINATION)


@dataclass(frozen=True)
class DueMeeting:
    """The next meeting the rhythm expects: a town's technical group, or the coordination."""

    kind: MeetingKind
    town_id: uuid.UUID | None
    """The town of a technical group; ``None`` for the coordination meeting."""
    town_name: str | None
    last_held: dt.date | None
    """Date (on the clocks of its zone) of the last one held during the plan's period; ``None`` if none yet."""
    due: dt.date
    overdue: bool
    days_late: int
    """Days since ``due`` when overdue, else 0."""


def plan_over(plan: Plan, today: dt.date) -> bool:
    """True once ``today`` is after the plan's last day: no meeting is due any more."""
    return today > plan.end_date


def last_held(session: Session, plan: Plan, today: dt.date) -> dict[tuple[MeetingKind, uuid.UUID | None], dt.date]:
    """Date of the last meeting held per (kind, town), for the rhythm's kinds, in one grouped query.

    "Held" is judged on each meeting's own clocks (``domain.meetings.on_local_days``),
    and the latest start of each group is then read back on its zone's clocks.
    """
    plan_zone = zones.meeting_zone(plan.time_zone, None, True)
    town_zones = own_town_zones(session, plan.id, plan_zone)
    rows = session.exec(
        select(Meeting.kind, Meeting.town_id, Meeting.remote, func.max(Meeting.starts_at))
        .where(
            Meeting.plan_id == plan.id,
            alive(Meeting),
            col(Meeting.kind).in_([k.value for k in RHYTHM_KINDS]),
            on_local_days(plan_zone, town_zones, plan.start_date, today),
        )
        .group_by(col(Meeting.kind), col(Meeting.town_id), col(Meeting.remote))
    ).all()
    held: dict[tuple[MeetingKind, uuid.UUID | None], dt.date] = {}
    for kind, town_id, remote, latest in rows:
        zone = zones.meeting_zone(plan_zone, town_zones.get(town_id) if town_id is not None else None, remote)
        day = zones.to_local(latest, zone).date()
        key = (MeetingKind(kind), town_id)
        held[key] = max(day, held.get(key, day))
    return held


def _partner_towns(session: Session, plan_id: uuid.UUID) -> list[tuple[uuid.UUID, str]]:
    rows = session.exec(
        select(Town.id, Town.name)
        .join(PlanTown, col(PlanTown.town_id) == col(Town.id))
        .where(PlanTown.plan_id == plan_id, alive(PlanTown), alive(Town))
        .distinct()
        .order_by(col(Town.name), col(Town.id))
    ).all()
    return [(town_id, name) for town_id, name in rows]


def _due(kind: MeetingKind, town_id: uuid.UUID | None, town_name: str | None, last: dt.date | None,
         rhythm_weeks: int, plan: Plan, today: dt.date) -> DueMeeting:
    due = (last or plan.start_date) + dt.timedelta(weeks=rhythm_weeks)
    late = (today - due).days
    return DueMeeting(kind, town_id, town_name, last, due, late > 0, max(late, 0))


def meetings_due(session: Session, plan: Plan, today: dt.date) -> list[DueMeeting]:
    """The meetings the plan's rhythm expects next, overdue ones first, then by due date.

    See the module docstring for the rule.  Empty once the plan is over.
    """
    if plan_over(plan, today):
        return []
    held = last_held(session, plan, today)
    coordination = max(
        (day for (kind, _town), day in held.items() if kind is MeetingKind.COORDINATION), default=None
    )
    due = [
        _due(MeetingKind.TECHNICAL_GROUP, town_id, name, held.get((MeetingKind.TECHNICAL_GROUP, town_id)),
             plan.tech_group_every_weeks, plan, today)
        for town_id, name in _partner_towns(session, plan.id)
    ]
    due.append(_due(MeetingKind.COORDINATION, None, None, coordination, plan.coordination_every_weeks, plan, today))
    due = [d for d in due if d.due <= plan.end_date]
    due.sort(key=lambda d: (not d.overdue, d.due, d.kind is not MeetingKind.COORDINATION, d.town_name or ""))
    return due
