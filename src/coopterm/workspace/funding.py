"""Funding lines, new projects and indicators as the funding screen's three panes use them."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from coopterm.domain.actions import action_choices
from coopterm.domain.changes import Change
from coopterm.domain.funding import (
    FundingRow,
    FundingTotals,
    count_funding,
    delete_funding,
    fetch_funding,
    funding_form_values,
    funding_index,
    funding_totals,
    known_funders,
    save_funding,
)
from coopterm.domain.manual_indicators import (
    IndicatorRow,
    MeasurementRow,
    add_measurement,
    computed_target_text,
    delete_manual_indicator,
    indicator_rows,
    manual_form_values,
    manual_id,
    measurements,
    save_manual_indicator,
    set_computed_target,
)
from coopterm.domain.persons import town_choices
from coopterm.domain.projects import (
    ProjectRow,
    count_projects,
    delete_project,
    fetch_projects,
    project_form_values,
    save_project,
)
from coopterm.workspace.door import Door
from coopterm.workspace.window import LocatingWindow, Window


@dataclass(frozen=True)
class FundingFormContext:
    values: dict[str, Any]
    funders: list[str]
    """Every funder named in the file, offered as the funder is typed."""
    plan_funders: list[str]
    """The funders of this plan, named in the hint under the field."""
    actions: list[tuple[uuid.UUID, str]]


@dataclass(frozen=True)
class ProjectFormContext:
    values: dict[str, Any]
    towns: list[tuple[uuid.UUID, str]]
    actions: list[tuple[uuid.UUID, str]]


class Funding(Door):
    def source(self, plan_id: uuid.UUID) -> LocatingWindow[FundingRow]:
        return LocatingWindow(lambda: self.space.read(count_funding, plan_id),
                              lambda offset, limit: self.space.read(fetch_funding, plan_id, offset, limit),
                              lambda row_id: self.space.read(funding_index, plan_id, row_id))  # type: ignore[arg-type]  # a table's row keys are the rows' UUIDs

    def form(self, plan_id: uuid.UUID, funding_id: uuid.UUID | None, today: dt.date) -> FundingFormContext:
        def read(session: Session) -> FundingFormContext:
            return FundingFormContext(funding_form_values(session, plan_id, funding_id, today), known_funders(session),
                                      known_funders(session, plan_id), action_choices(session, plan_id))

        return self.space.read(read)

    def save(self, plan_id: uuid.UUID, funding_id: uuid.UUID | None, data: dict[str, Any]) -> Change:
        return self.space.write(save_funding, plan_id, funding_id, data)

    def delete(self, funding_id: uuid.UUID) -> Change:
        return self.space.write(delete_funding, funding_id)

    def totals(self, plan_id: uuid.UUID) -> FundingTotals:
        """By year, by funder and by action, and in all."""
        return self.space.read(funding_totals, plan_id)


class Projects(Door):
    def source(self, plan_id: uuid.UUID) -> Window[ProjectRow]:
        return Window(lambda: self.space.read(count_projects, plan_id),
                      lambda offset, limit: self.space.read(fetch_projects, plan_id, offset, limit))

    def form(self, plan_id: uuid.UUID, project_id: uuid.UUID | None) -> ProjectFormContext:
        def read(session: Session) -> ProjectFormContext:
            return ProjectFormContext(project_form_values(session, project_id), town_choices(session, plan_id),
                                      action_choices(session, plan_id))

        return self.space.read(read)

    def save(self, plan_id: uuid.UUID, project_id: uuid.UUID | None, data: dict[str, Any]) -> Change:
        return self.space.write(save_project, plan_id, project_id, data)

    def delete(self, project_id: uuid.UUID) -> Change:
        return self.space.write(delete_project, project_id)


class Indicators(Door):
    """The computed indicators (a target each) and the manual ones (measured by hand).

    A row's key is the computed indicator's name ("completion_rate") or ``"manual:<hex>"``;
    the methods for manual indicators take that key, and refuse a computed one.
    """

    def rows(self, plan_id: uuid.UUID, today: dt.date) -> list[IndicatorRow]:
        """The four computed indicators, then the manual ones (a handful: read whole)."""
        return self.space.read(indicator_rows, plan_id, today)

    @staticmethod
    def _manual(key: str) -> uuid.UUID:
        indicator_id = manual_id(key)
        if indicator_id is None:
            raise ValueError(f"{key!r} is a computed indicator")
        return indicator_id

    def form(self, key: str | None) -> dict[str, Any]:
        """A manual indicator's fields as text (``None``: a new one)."""
        return self.space.read(manual_form_values, None if key is None else self._manual(key))

    def save(self, plan_id: uuid.UUID, key: str | None, data: dict[str, Any]) -> Change:
        return self.space.write(save_manual_indicator, plan_id, None if key is None else self._manual(key), data)

    def delete(self, key: str) -> Change:
        return self.space.write(delete_manual_indicator, self._manual(key))

    def latest(self, key: str, limit: int = 2) -> list[MeasurementRow]:
        """A manual indicator's latest measurements, newest first."""
        return self.space.read(measurements, self._manual(key), limit=limit)

    def measure(self, key: str, data: dict[str, Any]) -> Change:
        return self.space.write(add_measurement, self._manual(key), data)

    def target_text(self, plan_id: uuid.UUID, key: str) -> str:
        """A computed indicator's target as the form shows it (empty: none)."""
        return self.space.read(computed_target_text, plan_id, key)

    def set_target(self, plan_id: uuid.UUID, key: str, text: str) -> Change:
        return self.space.write(set_computed_target, plan_id, key, text)
