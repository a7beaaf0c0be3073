"""The dashboard's figures as the file keeps them between two runs of the app.

The app shows them at start, read with the standard ``sqlite3`` module
(``coopterm.store.summary``), before SQLAlchemy and the tables are imported; the live
figures (``domain.dashboard``) replace them once they are loaded.  This module imports
neither, so that the start path stays light: only what is needed to *encode* figures
(the indicators' rules) is imported when encoding, which runs once the stack is loaded.

The document is language-independent: the gauges by key (a computed indicator is named
in the reader's language when shown; a manual one keeps the label its user typed),
their value (a fraction as ``[numerator, denominator]``, kept exact), target, unit,
status and the filled share of their bar, all computed by the one rule of
``domain.indicators``; and the actions by status.

A status depends on the day (the share of the plan's period elapsed), so the figures
say from which day and until which day their statuses hold (``as_of``, ``until``),
found with the same rule: a gauge on track becomes at risk on the first day the value
falls short of where it should be, and no status changes back as the days pass.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from coopterm.i18n import t
from coopterm.vocabulary import ActionStatus, IndicatorStatus

if TYPE_CHECKING:
    from coopterm.domain.dashboard import DashboardData
    from coopterm.domain.indicators import IndicatorResult

FORMAT = 1
"""The document's layout; figures written in another layout are not read."""


@dataclass(frozen=True)
class GaugeFigures:
    """One gauge as kept in the file: what ``ui.widgets.gauge`` draws, the bar's share included."""

    key: str
    label: str
    value: Fraction | float | int | None
    target: float | None
    unit: str
    status: IndicatorStatus
    fill: float | None


@dataclass(frozen=True)
class StartFigures:
    """What the dashboard shows before the file is open: the plan's title, its gauges, its actions by status."""

    plan_id: str
    title: str
    gauges: list[GaugeFigures]
    by_status: dict[ActionStatus, int]


def _value(value: object) -> object:
    if isinstance(value, Fraction):
        return [value.numerator, value.denominator]
    return value


def _read_value(value: object) -> Fraction | float | int | None:
    if isinstance(value, list):
        numerator, denominator = value
        return Fraction(int(numerator), int(denominator))
    if value is None or isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    raise ValueError(value)


def status_until(result: IndicatorResult, data: DashboardData) -> dt.date | None:
    """The last day on which ``result``'s status still holds, judged by the indicators' one
    rule (``None``: it holds for ever).  Only "on track" can change as days pass (into
    "at risk", for good), so the day is found by halving the rest of the plan's period."""
    from coopterm.domain.indicators import TRAJECTORIES, indicator_status
    from coopterm.vocabulary import Trajectory

    trajectory = TRAJECTORIES.get(result.key, Trajectory.LEVEL)  # manual indicators are judged as levels

    def status_on(day: dt.date) -> IndicatorStatus:
        return indicator_status(result.value, result.target, trajectory, data.start, data.end, day)

    if status_on(data.today) is not result.status:
        return data.today  # not judged as this module expects: trust it for today only
    last = max(data.today, data.end)
    if status_on(last) is result.status:
        return None
    holds, fails = data.today, last  # status_on(holds) is result.status, status_on(fails) is not
    while (fails - holds).days > 1:
        middle = holds + (fails - holds) // 2
        if status_on(middle) is result.status:
            holds = middle
        else:
            fails = middle
    return holds


def figures_document(data: DashboardData) -> dict[str, Any]:
    """The figures of ``data`` as the file keeps them (JSON-ready; the store adds the file's schema revision).

    ``data.writes`` is the file's count of write transactions when ``data`` was read: the
    figures hold as long as it has not moved (``coopterm.store.summary``).
    """
    from coopterm.domain.indicators import COMPUTED_KEYS, gauge_fill

    gauges = []
    untils = []
    for result in data.all_indicators:
        until = status_until(result, data)
        if until is not None:
            untils.append(until)
        gauges.append({
            "key": result.key,
            "label": None if result.key in COMPUTED_KEYS else result.label,
            "value": _value(result.value),
            "target": result.target,
            "unit": result.unit,
            "status": result.status.value,
            "fill": gauge_fill(result.value, result.target, result.unit),
        })
    return {
        "format": FORMAT,
        "writes": data.writes,
        "plan": data.plan_id.hex,
        "title": data.title,
        "as_of": data.today.isoformat(),
        "until": min(untils).isoformat() if untils else None,
        "gauges": gauges,
        "by_status": {status.value: count for status, count in data.by_status.items()},
    }


def start_figures(document: dict[str, Any] | None, today: dt.date) -> StartFigures | None:
    """The figures a document kept in the file gives for ``today``; ``None`` when it has none
    that hold today (another layout, another day than they were judged for, a broken document)."""
    if document is None or document.get("format") != FORMAT:
        return None
    try:
        as_of = dt.date.fromisoformat(document["as_of"])
        until = None if document["until"] is None else dt.date.fromisoformat(document["until"])
        if today < as_of or (until is not None and today > until):
            return None
        gauges = [
            GaugeFigures(
                key=str(g["key"]),
                label=t(f"indicator.{g['key']}") if g["label"] is None else str(g["label"]),
                value=_read_value(g["value"]),
                target=None if g["target"] is None else float(g["target"]),
                unit=str(g["unit"]),
                status=IndicatorStatus(g["status"]),
                fill=None if g["fill"] is None else float(g["fill"]),
            )
            for g in document["gauges"]
        ]
        by_status = {ActionStatus(status): int(count) for status, count in document["by_status"].items()}
        return StartFigures(str(document["plan"]), str(document["title"]), gauges, by_status)
    except (KeyError, TypeError, ValueError):
        return None
