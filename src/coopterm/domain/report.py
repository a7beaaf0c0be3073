"""What the progress report for partners and funders says, gathered in one read.

:func:`build_report` reads the plan through the other domain modules (the same
indicators, action rows, totals and governance rhythm the app shows) and returns
plain frozen dataclasses, with no words of the interface in them: the plan's
own texts are kept as they are, and statuses and kinds stay enums, so that
``coopterm.report`` can render the same data in French or English, as Markdown
or HTML, without touching the database.

The report's rules:

- *meetings held*: live meetings of the plan whose date (on the clocks of the plan's
  zone) is on or before ``today`` (``domain.meetings``' date filter; unlike ``domain.cadence``, a meeting
  before the plan's start counts), newest first, each with its live decisions in
  the order they were recorded; each time is also given in the meeting's own zone
  (``domain.zones``: its town's, else the plan's), which the report writes;
- *late actions*: live actions with a due date before ``today`` whose status is
  neither done nor abandoned (``vocabulary.CLOSED_STATUSES``), the longest late first;
- *overdue meetings*: the meetings the governance rhythm expected before
  ``today`` (``domain.cadence.meetings_due``); none once the plan is over;
- money stays in integer cents.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy import func
from sqlmodel import Session, col, select

from coopterm.domain.actions import ActionQuery, count_actions, fetch_actions
from coopterm.domain.cadence import meetings_due, plan_over
from coopterm.domain.challenges import challenge_summaries
from coopterm.domain.funding import action_codes, funding_totals
from coopterm.domain.indicators import Amount, plan_indicators
from coopterm.domain.manual_indicators import manual_results
from coopterm.domain.meetings import MeetingQuery, count_meetings, fetch_meetings
from coopterm.domain.numbering import challenge_code
from coopterm.domain.persons import plan_towns
from coopterm.domain.projects import count_projects, fetch_projects
from coopterm.domain.rows import alive
from coopterm.models import Decision, Funding, Plan
from coopterm.vocabulary import CLOSED_STATUSES, ActionStatus, IndicatorStatus, MeetingKind, ProjectScope


@dataclass(frozen=True)
class ReportIndicator:
    label: str | None
    """A manual indicator's words; ``None`` for a computed one (the renderer writes its
    name in the report's language, whatever words its row holds)."""
    key: str
    """A computed key ("completion_rate"), or "manual:<hex>"."""
    computed: bool
    value: Amount | None
    target: float | None
    unit: str
    status: IndicatorStatus


@dataclass(frozen=True)
class ReportAction:
    code: str
    title: str
    status: ActionStatus
    progress: int
    pilots: tuple[str, ...]
    """In the plan's order."""
    towns: tuple[str, ...]
    due_date: dt.date | None
    late: bool


@dataclass(frozen=True)
class ReportChallenge:
    code: str
    """ "T" for the transversal défi, else its number."""
    transversal: bool
    number: int
    title: str
    progress: float | None
    """Mean progress of its actions; ``None`` without actions."""
    actions: tuple[ReportAction, ...]


@dataclass(frozen=True)
class ReportDecision:
    text: str
    done: bool
    action_code: str
    """ "2.1" when the decision is about an action, else ""."""


@dataclass(frozen=True)
class ReportMeeting:
    starts_at: dt.datetime
    """UTC, as stored."""
    kind: MeetingKind
    title: str
    town: str | None
    remote: bool
    attendees: int
    satisfaction: Fraction | None
    decisions: tuple[ReportDecision, ...]
    local_start: dt.datetime | None = None
    """``starts_at`` on the clocks of the meeting's zone (``domain.zones``)."""


@dataclass(frozen=True)
class ReportFunding:
    total: int
    """Cents, like every amount below."""
    years: tuple[int, ...]
    by_year: tuple[tuple[int, int], ...]
    """(year, cents) in year order."""
    by_funder: tuple[tuple[str, int], ...]
    """(funder, cents), largest first."""
    cells: dict[tuple[str, int], int]
    """(funder, year) -> cents, for the funder x year table."""


@dataclass(frozen=True)
class ReportProject:
    title: str
    scope: ProjectScope
    towns: tuple[str, ...]
    origin_code: str
    started_on: dt.date | None


@dataclass(frozen=True)
class LateAction:
    code: str
    title: str
    status: ActionStatus
    due_date: dt.date
    days_late: int
    pilots: tuple[str, ...]


@dataclass(frozen=True)
class OverdueMeeting:
    kind: MeetingKind
    town: str | None
    """The town of a technical group; ``None`` for the coordination meeting."""
    last_held: dt.date | None
    due: dt.date
    days_late: int


@dataclass(frozen=True)
class Report:
    today: dt.date
    title: str
    start_date: dt.date
    end_date: dt.date
    vision: str
    towns: tuple[str, ...]
    indicators: tuple[ReportIndicator, ...]
    challenges: tuple[ReportChallenge, ...]
    meetings: tuple[ReportMeeting, ...]
    funding: ReportFunding
    projects: tuple[ReportProject, ...]
    late_actions: tuple[LateAction, ...]
    overdue_meetings: tuple[OverdueMeeting, ...]
    plan_over: bool
    time_zone: str = "UTC"
    """The plan's zone: remote meetings, and those of a town without a zone, are in it."""

    @property
    def action_count(self) -> int:
        return sum(len(c.actions) for c in self.challenges)


def is_late(status: ActionStatus, due_date: dt.date | None, today: dt.date) -> bool:
    """Past its due date and neither done nor abandoned (due today is not late)."""
    return due_date is not None and due_date < today and status not in CLOSED_STATUSES


def _indicators(session: Session, plan: Plan, today: dt.date) -> tuple[ReportIndicator, ...]:
    # A computed indicator is named by its key, in the report's language (see Words.indicator_label).
    lines = [
        ReportIndicator(None, r.key, True, r.value, r.target, r.unit, r.status)
        for r in plan_indicators(session, plan, today)
    ]
    lines += [ReportIndicator(r.label, r.key, False, r.value, r.target, r.unit, r.status)
              for r in manual_results(session, plan, today)]
    return tuple(lines)


def _challenges(session: Session, plan: Plan, today: dt.date) -> tuple[ReportChallenge, ...]:
    total = count_actions(session, plan.id)
    rows = fetch_actions(session, plan.id, ActionQuery(), 0, total) if total else []
    by_challenge: dict[uuid.UUID, list[ReportAction]] = {}
    for r in rows:
        by_challenge.setdefault(r.challenge_id, []).append(ReportAction(
            r.code, r.title, r.status, r.progress, r.pilots, r.towns, r.due_date,
            is_late(r.status, r.due_date, today)))
    return tuple(
        ReportChallenge(challenge_code(s.challenge), s.challenge.transversal, s.challenge.number,
                        s.challenge.title, s.progress, tuple(by_challenge.get(s.challenge.id, ())))
        for s in challenge_summaries(session, plan.id)
    )


def _meetings(session: Session, plan: Plan, today: dt.date) -> tuple[ReportMeeting, ...]:
    query = MeetingQuery(date_to=today)
    total = count_meetings(session, plan.id, query)
    rows = fetch_meetings(session, plan.id, query, 0, total) if total else []
    decisions: dict[uuid.UUID, list[Decision]] = {}
    if rows:
        for d in session.exec(
            select(Decision).where(col(Decision.meeting_id).in_([r.id for r in rows]), alive(Decision))
            .order_by(col(Decision.created_at), col(Decision.id))
        ):
            decisions.setdefault(d.meeting_id, []).append(d)
    codes = action_codes(session, {d.action_id for ds in decisions.values() for d in ds if d.action_id})
    return tuple(
        ReportMeeting(r.starts_at, r.kind, r.title, r.town_name, r.remote, r.attendees, r.satisfaction,
                      tuple(ReportDecision(d.text, d.done, codes.get(d.action_id, "") if d.action_id else "")
                            for d in decisions.get(r.id, ())), r.local_start)
        for r in rows
    )


def _funding(session: Session, plan: Plan) -> ReportFunding:
    totals = funding_totals(session, plan.id)
    cells = {
        (funder, int(year)): int(cents)
        for funder, year, cents in session.exec(
            select(Funding.funder, Funding.year, func.sum(Funding.amount_cents))
            .where(col(Funding.plan_id) == plan.id, alive(Funding)).group_by(col(Funding.funder), col(Funding.year))
        ).all()
    }
    return ReportFunding(totals.total, tuple(y for y, _ in totals.by_year), tuple(totals.by_year),
                         tuple(totals.by_funder), cells)


def _projects(session: Session, plan: Plan) -> tuple[ReportProject, ...]:
    total = count_projects(session, plan.id)
    rows = fetch_projects(session, plan.id, 0, total) if total else []
    return tuple(ReportProject(r.title, r.scope, r.towns, r.origin_code, r.started_on) for r in rows)


def build_report(session: Session, plan: Plan, today: dt.date) -> Report:
    """Everything the report says about ``plan`` as of ``today``, read in ``session``."""
    challenges = _challenges(session, plan, today)
    late = sorted(
        (LateAction(a.code, a.title, a.status, a.due_date, (today - a.due_date).days, a.pilots)
         for c in challenges for a in c.actions if a.late and a.due_date is not None),
        key=lambda a: (-a.days_late, a.code),
    )
    overdue = tuple(OverdueMeeting(d.kind, d.town_name, d.last_held, d.due, d.days_late)
                    for d in meetings_due(session, plan, today) if d.overdue)
    return Report(
        today=today,
        title=plan.title,
        start_date=plan.start_date,
        end_date=plan.end_date,
        vision=plan.vision,
        towns=tuple(t.name for t in plan_towns(session, plan.id)),
        indicators=_indicators(session, plan, today),
        challenges=challenges,
        meetings=_meetings(session, plan, today),
        funding=_funding(session, plan),
        projects=_projects(session, plan),
        late_actions=tuple(late),
        overdue_meetings=overdue,
        plan_over=plan_over(plan, today),
        time_zone=plan.time_zone,
    )


__all__ = [
    "LateAction", "OverdueMeeting", "Report", "ReportAction", "ReportChallenge",
    "ReportDecision", "ReportFunding", "ReportIndicator", "ReportMeeting", "ReportProject",
    "build_report", "is_late",
]
