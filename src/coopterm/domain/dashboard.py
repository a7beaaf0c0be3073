"""Everything the dashboard shows, gathered in one read, and updated by a save's delta.

A save in the app reports how it changed the action tallies (see
``domain.actions``); ``apply_change`` recomputes the indicators from the tallies
without touching the database, which keeps the gauges instant on large plans.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field, replace

from sqlmodel import Session

from coopterm.domain.activity import RecentChange, actions_by_status, latest_changes
from coopterm.domain.cadence import DueMeeting, meetings_due
from coopterm.domain.challenges import ChallengeSummary, challenge_summaries
from coopterm.domain.indicators import (
    ActionTally,
    IndicatorResult,
    IndicatorSetting,
    Tallies,
    compute_indicators,
    indicator_settings,
    plan_tallies,
)
from coopterm.models import Meta, Plan
from coopterm.store.summary import WRITES_KEY
from coopterm.vocabulary import ActionStatus


@dataclass(frozen=True)
class DashboardData:
    plan_id: uuid.UUID
    start: dt.date
    end: dt.date
    today: dt.date
    settings: dict[str, IndicatorSetting]
    tallies: Tallies
    indicators: list[IndicatorResult]
    by_status: dict[ActionStatus, int]
    challenges: list[ChallengeSummary]
    meetings_due: list[DueMeeting]
    latest_changes: list[RecentChange]
    manual: list[IndicatorResult] = field(default_factory=list)
    """The plan's manual indicators (``domain.manual_indicators``), shown after the computed ones."""
    title: str = ""
    writes: int = 0
    """The file's count of write transactions when this was read (``coopterm.store.summary``):
    the figures kept in the file from this hold as long as the count has not moved."""

    @property
    def all_indicators(self) -> list[IndicatorResult]:
        """The gauges of the dashboard: the four computed indicators, then the manual ones."""
        return [*self.indicators, *self.manual]

    @property
    def plan_over(self) -> bool:
        return self.today > self.end


def load_dashboard(session: Session, plan_id: uuid.UUID, today: dt.date) -> DashboardData:
    from coopterm.domain.manual_indicators import manual_results

    plan = session.get_one(Plan, plan_id)
    settings = indicator_settings(session, plan_id)
    tallies = plan_tallies(session, plan_id)
    return DashboardData(
        plan_id=plan_id,
        start=plan.start_date,
        end=plan.end_date,
        today=today,
        settings=settings,
        tallies=tallies,
        indicators=compute_indicators(settings, tallies, plan.start_date, plan.end_date, today),
        by_status=actions_by_status(session, plan_id),
        challenges=challenge_summaries(session, plan_id),
        meetings_due=meetings_due(session, plan, today),
        latest_changes=latest_changes(session, plan_id),
        manual=manual_results(session, plan, today),
        title=plan.title,
        writes=_writes(session),
    )


def _writes(session: Session) -> int:
    row = session.get(Meta, WRITES_KEY)
    return 0 if row is None else int(row.value)


def apply_change(data: DashboardData, change: object) -> DashboardData:
    """The dashboard after a save whose effect on the action tallies is known."""
    delta = getattr(change, "tally_delta", None)
    if not isinstance(delta, ActionTally) or delta == ActionTally():
        return data
    tallies = replace(data.tallies, actions=data.tallies.actions + delta)
    indicators = compute_indicators(data.settings, tallies, data.start, data.end, data.today)
    return replace(data, tallies=tallies, indicators=indicators)
