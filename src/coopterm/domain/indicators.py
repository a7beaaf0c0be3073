"""The plan's four success indicators, computed from what is recorded, never typed in.

Each indicator is a pure function of a small tally (counted in SQL by the
``tally_*`` functions below), so its formula can be checked on hand-computed
cases and the same numbers reach the dashboard, ``coopterm status`` and reports.

Status of an indicator against its target, on the plan's period:

- ``no_data``: nothing to compute from (no action proposed, no survey answer);
- ``no_target``: a value with no target to judge it by (the new-projects count of seed 000);
- ``reached``: value >= target, compared exactly (see below);
- otherwise the value is compared with where it should be by today, given the
  share of the plan's period that has elapsed (0 before the start, 1 after the end):

  - *cumulative* indicators grow as the plan runs (completion rate, new projects):
    ``on_track`` when value >= target x elapsed share, else ``at_risk``;
  - *level* indicators are a rate that can be corrected while the plan runs
    (satisfaction, multilateral share): ``on_track`` when value >= target x
    (1 - 10 % x remaining share), else ``at_risk``.  The allowed shortfall shrinks
    from 10 % of the target at the start to nothing at the end.

  After the end of the period, a target not reached is therefore ``at_risk``.

Every value and every comparison is exact.  The rates are ``Fraction``s (29 done
of 50 proposed is exactly 58 %, where the float 29 / 50 x 100 is 57.99999999999999
and would miss a target of 58), the elapsed share and the tolerance are
``Fraction``s, and a float read from the file (a target, a measurement) is judged as
the decimal the user typed: :func:`exact` takes it from the float's ``repr``, the
shortest text that reads back as the same float.  Rounding happens only when a
figure is written, half-up to one decimal (``coopterm.present``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from sqlalchemy import case, func
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import ScalarSelect
from sqlmodel import Session, col, select

from coopterm.domain.keys import computed_indicator_id as computed_indicator_id  # its home before keys.py
from coopterm.domain.plans import plan_actions
from coopterm.domain.rows import alive
from coopterm.i18n import t
from coopterm.models import (
    ActionTown,
    Indicator,
    Meeting,
    NewProject,
    Plan,
    Town,
)
from coopterm.vocabulary import ActionStatus, ProjectScope, Trajectory
from coopterm.vocabulary import IndicatorStatus as Status

MULTILATERAL_MIN_TOWNS = 3
LEVEL_TOLERANCE = Fraction(1, 10)

Amount = Fraction | float
"""An indicator's value or target: a ``Fraction`` when computed here (an ``int``
for a count), a ``float`` when typed by a user and stored in a REAL column."""


def exact(value: Amount) -> Fraction:
    """``value`` as an exact fraction; a float as the decimal its ``repr`` writes.

    A number typed by a user ("57.3") is stored as the nearest float, whose
    ``repr`` is "57.3" again: judging that decimal, not the binary approximation
    57.29999999999999715..., is judging what the user typed.
    """
    if isinstance(value, float):
        return Fraction(repr(value))
    return Fraction(value)

@dataclass(frozen=True)
class ActionTally:
    proposed: int = 0
    """Every non-deleted action of the plan, abandoned ones included."""
    done: int = 0
    multilateral: int = 0
    """Actions involving ``MULTILATERAL_MIN_TOWNS`` or more partner towns."""

    # Tallies add up and subtract, so a write can report its effect as a delta
    # (new contribution minus old) that the dashboard applies without recounting.
    def __add__(self, other: "ActionTally") -> "ActionTally":
        return ActionTally(
            self.proposed + other.proposed, self.done + other.done, self.multilateral + other.multilateral
        )

    def __sub__(self, other: "ActionTally") -> "ActionTally":
        return ActionTally(
            self.proposed - other.proposed, self.done - other.done, self.multilateral - other.multilateral
        )

    def __neg__(self) -> "ActionTally":
        return ActionTally(-self.proposed, -self.done, -self.multilateral)


@dataclass(frozen=True)
class SurveyTally:
    very_satisfied: int = 0
    satisfied: int = 0
    not_very_satisfied: int = 0
    not_satisfied: int = 0

    @property
    def responses(self) -> int:
        return self.very_satisfied + self.satisfied + self.not_very_satisfied + self.not_satisfied


@dataclass(frozen=True)
class ProjectTally:
    bilateral: int = 0
    multilateral: int = 0


@dataclass(frozen=True)
class ProjectCount:
    total: int
    bilateral: int
    multilateral: int


def completion_rate(actions: ActionTally) -> Fraction | None:
    """Actions done / actions proposed x 100; ``None`` when no action is proposed.

    Proposed = every non-deleted action of the plan, abandoned ones included: they
    were proposed and not carried out.
    """
    if actions.proposed == 0:
        return None
    return Fraction(actions.done, actions.proposed) * 100


def satisfaction_rate(survey: SurveyTally) -> Fraction | None:
    """(very satisfied + satisfied) / all responses x 100, over the plan's meetings
    (the dashboard's and the report's indicator) or over one (``meetings.satisfaction``).

    No response at all is ``None`` ("no data"), never 0 %.
    """
    if survey.responses == 0:
        return None
    return Fraction(survey.very_satisfied + survey.satisfied, survey.responses) * 100


def multilateral_share(actions: ActionTally) -> Fraction | None:
    """Actions involving three or more partner towns / actions proposed x 100."""
    if actions.proposed == 0:
        return None
    return Fraction(actions.multilateral, actions.proposed) * 100


def new_projects(projects: ProjectTally) -> ProjectCount:
    """The number of new projects recorded, bilateral and multilateral counted apart."""
    return ProjectCount(
        projects.bilateral + projects.multilateral, projects.bilateral, projects.multilateral
    )


TRAJECTORIES: dict[str, Trajectory] = {
    "completion_rate": Trajectory.CUMULATIVE,
    "satisfaction_rate": Trajectory.LEVEL,
    "multilateral_share": Trajectory.LEVEL,
    "new_projects": Trajectory.CUMULATIVE,
}
COMPUTED_KEYS = tuple(TRAJECTORIES)


def elapsed_share(start: dt.date, end: dt.date, today: dt.date) -> Fraction:
    """How much of the period [start, end] (both days included) has passed by ``today``, exactly."""
    if today < start:
        return Fraction(0)
    if today >= end:
        return Fraction(1)
    return Fraction((today - start).days, (end - start).days + 1)


def indicator_status(
    value: Amount | None,
    target: Amount | None,
    trajectory: Trajectory,
    start: dt.date,
    end: dt.date,
    today: dt.date,
) -> Status:
    """Judge ``value`` against ``target`` as the module docstring explains, exactly:
    a value equal to its target is reached."""
    if value is None:
        return Status.NO_DATA
    if target is None:
        return Status.NO_TARGET
    have, want = exact(value), exact(target)
    if have >= want:
        return Status.REACHED
    share = elapsed_share(start, end, today)
    if trajectory is Trajectory.CUMULATIVE:
        expected = want * share
    else:
        expected = want * (1 - LEVEL_TOLERANCE * (1 - share))
    return Status.ON_TRACK if have >= expected else Status.AT_RISK


def live_town_count(action_id: ColumnElement[Any]) -> ScalarSelect[int]:
    """How many live partner towns the action ``action_id`` involves: the number the
    multilateral rule (``MULTILATERAL_MIN_TOWNS``) is judged on, as a correlated
    subquery.  A pair (action, town) has one link row at most (a unique index), so
    its live links are counted without ``DISTINCT``; ``ix_action_town_by_action``
    answers it from the index alone."""
    return (
        select(func.count())
        .select_from(ActionTown)
        .where(col(ActionTown.action_id) == action_id, alive(ActionTown),
               col(ActionTown.town_id).in_(select(Town.id).where(alive(Town))))
        .scalar_subquery()
    )


def tally_actions(session: Session, plan_id: uuid.UUID) -> ActionTally:
    """The plan's tally, each live action read once from the index of its défi, with its
    towns counted by :func:`live_town_count` (grouping every link of the file first
    took most of ``coopterm status`` at 100,000 actions)."""
    actions = plan_actions(plan_id).subquery()
    proposed, done, multilateral = session.exec(
        select(
            func.count(actions.c.id),
            func.count(case((actions.c.status == ActionStatus.DONE.value, 1))),
            func.count(case((live_town_count(actions.c.id) >= MULTILATERAL_MIN_TOWNS, 1))),
        )
    ).one()
    return ActionTally(proposed, done, multilateral)


def tally_survey(session: Session, plan_id: uuid.UUID) -> SurveyTally:
    sums = session.exec(
        select(
            func.coalesce(func.sum(Meeting.survey_very_satisfied), 0),
            func.coalesce(func.sum(Meeting.survey_satisfied), 0),
            func.coalesce(func.sum(Meeting.survey_not_very_satisfied), 0),
            func.coalesce(func.sum(Meeting.survey_not_satisfied), 0),
        ).where(Meeting.plan_id == plan_id, alive(Meeting))
    ).one()
    return SurveyTally(*(int(n or 0) for n in sums))  # coalesce: never None, but typed so


def tally_projects(session: Session, plan_id: uuid.UUID) -> ProjectTally:
    rows = session.exec(
        select(NewProject.scope, func.count())
        .where(NewProject.plan_id == plan_id, alive(NewProject))
        .group_by(NewProject.scope)
    ).all()
    counts = {ProjectScope(scope): n for scope, n in rows}
    return ProjectTally(counts.get(ProjectScope.BILATERAL, 0), counts.get(ProjectScope.MULTILATERAL, 0))


def gauge_scale(target: Amount | None, unit: str) -> Fraction | None:
    """What a full gauge bar stands for: the target, else 100 for a percentage; ``None``: no bar.

    A count without target has no bar (there is nothing to fill it up to); a
    target of 0 or less is drawn against 100, as a percentage without target.
    """
    if target is not None and target > 0:
        return exact(target)
    if target is not None or unit == "%":
        return Fraction(100)
    return None


def gauge_fill(value: Amount | None, target: Amount | None, unit: str) -> float | None:
    """The filled share of an indicator's bar, 0 to 1; ``None`` when no bar is drawn.

    The one geometry of the dashboard's gauges and the report's bars: full once the
    target is reached (judged exactly, as the status is), empty without data (the
    words say "no data", never 0 %).  A float, because it only sizes a drawing.
    """
    scale = gauge_scale(target, unit)
    if scale is None:
        return None
    if value is None:
        return 0.0
    if target is not None and exact(value) >= exact(target):
        return 1.0
    return float(max(Fraction(0), min(Fraction(1), exact(value) / scale)))


def target_share(value: Amount | None, target: Amount | None) -> Fraction | None:
    """How much of its target an indicator has reached, in percent, exactly (60 of a
    target of 90: 200/3, written "66,7 %"); ``None`` without a target or without data.
    Beyond the target it goes past 100: the bar is full, the words say by how much."""
    if value is None or target is None or target <= 0:
        return None
    return exact(value) / exact(target) * 100


@dataclass(frozen=True)
class IndicatorResult:
    key: str
    label: str
    value: Amount | None
    """Exact (a ``Fraction``, an ``int`` count) when computed; a float when measured."""
    target: float | None
    unit: str
    status: Status
    details: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class IndicatorSetting:
    """What the plan says of a computed indicator: its words, unit, target and place."""

    key: str
    label: str
    unit: str
    target: float | None
    position: int


@dataclass(frozen=True)
class Tallies:
    """Everything the four indicators are computed from."""

    actions: ActionTally
    survey: SurveyTally
    projects: ProjectTally


def computed_indicator_rows(session: Session, plan_id: uuid.UUID) -> dict[str, Indicator]:
    """The plan's live row for each computed indicator it has one for: one at most per
    key, which the unique index on (plan, key) keeps so (migration 0007 made one of the
    rows that older copies had each created)."""
    rows = session.exec(
        select(Indicator).where(Indicator.plan_id == plan_id, alive(Indicator), Indicator.computed)
    )
    return {row.key: row for row in rows if row.key is not None}


def indicator_settings(session: Session, plan_id: uuid.UUID) -> dict[str, IndicatorSetting]:
    """The plan's settings for the four computed indicators.

    An indicator the plan has no row for is still computed, with no target, so the four
    are always there.  Each is named by its key in the reader's language, whatever words
    its row holds (written in the language of whoever first set its target, or of the
    documents a plan came from): the French and English apps, ``status`` and the report
    all name it the same way, each in its own language.
    """
    rows = computed_indicator_rows(session, plan_id)
    settings = {}
    for index, key in enumerate(COMPUTED_KEYS):
        row = rows.get(key)
        if row is None:
            settings[key] = IndicatorSetting(key, t(f"indicator.{key}"), "" if key == "new_projects" else "%",
                                             None, 99 + index)
        else:
            settings[key] = IndicatorSetting(key, t(f"indicator.{key}"), row.unit, row.target, row.position)
    return settings


def plan_tallies(session: Session, plan_id: uuid.UUID) -> Tallies:
    return Tallies(
        tally_actions(session, plan_id), tally_survey(session, plan_id), tally_projects(session, plan_id)
    )


def compute_indicators(
    settings: dict[str, IndicatorSetting], tallies: Tallies, start: dt.date, end: dt.date, today: dt.date
) -> list[IndicatorResult]:
    """The four indicators from their tallies, in the plan's order; no database needed."""
    actions, survey = tallies.actions, tallies.survey
    projects = new_projects(tallies.projects)
    values: dict[str, tuple[Amount | None, dict[str, int]]] = {
        "completion_rate": (completion_rate(actions), {"done": actions.done, "proposed": actions.proposed}),
        "satisfaction_rate": (
            satisfaction_rate(survey),
            {"satisfied": survey.very_satisfied + survey.satisfied, "responses": survey.responses},
        ),
        "multilateral_share": (
            multilateral_share(actions),
            {"multilateral": actions.multilateral, "proposed": actions.proposed},
        ),
        "new_projects": (
            projects.total,
            {"bilateral": projects.bilateral, "multilateral": projects.multilateral},
        ),
    }
    results = []
    for setting in sorted(settings.values(), key=lambda s: (s.position, COMPUTED_KEYS.index(s.key))):
        value, details = values[setting.key]
        results.append(
            IndicatorResult(
                key=setting.key,
                label=setting.label,
                value=value,
                target=setting.target,
                unit=setting.unit,
                status=indicator_status(value, setting.target, TRAJECTORIES[setting.key], start, end, today),
                details=details,
            )
        )
    return results


def plan_indicators(session: Session, plan: Plan, today: dt.date) -> list[IndicatorResult]:
    """The plan's computed indicators with their labels and targets, in the plan's order."""
    return compute_indicators(
        indicator_settings(session, plan.id), plan_tallies(session, plan.id), plan.start_date, plan.end_date, today
    )
