"""Funding, new projects and indicators of the current plan: three sections of one screen.

``f`` funding (contributions by funder and year, with totals per year, per funder
and per action), ``p`` new projects arising from the cooperation, ``i`` indicators
(targets of the computed ones, manual ones with their measurements).  ``n`` / ``e``
/ ``delete`` act on the section shown; in indicators, ``t`` changes a target and
``m`` records a measurement.  Lists are ``VirtualTable`` over windowed reads.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Footer, Header, Input, Select, TextArea

from coopterm.i18n import format_date, t
from coopterm.ui.literal import Literal, options
from coopterm.ui.screens.base import PlanScreen
from coopterm.ui.screens.confirm import ConfirmScreen
from coopterm.ui.screens.forms import FormScreen
from coopterm.ui.widgets.picker import Picker
from coopterm.ui.widgets.virtual_table import Column, SequenceSource, VirtualTable
from coopterm.workspace import Workspace

SECTIONS = ("funding", "projects", "indicators")


# --- row sources ----------------------------------------------------------------------


class FundingSource:
    """The plan's contributions, a window at a time, each in a short read session."""

    def __init__(self, data: Workspace, plan_id: uuid.UUID) -> None:
        self.data, self.plan_id = data, plan_id

    def count(self) -> int:
        from coopterm.domain.funding import count_funding

        return self.data.read(count_funding, self.plan_id)

    def fetch(self, offset: int, limit: int) -> Sequence[Any]:
        from coopterm.domain.funding import fetch_funding

        return self.data.read(fetch_funding, self.plan_id, offset, limit)

    def index_of(self, row_id: uuid.UUID) -> int | None:
        from coopterm.domain.funding import funding_index

        return self.data.read(funding_index, self.plan_id, row_id)


class ProjectSource:
    def __init__(self, data: Workspace, plan_id: uuid.UUID) -> None:
        self.data, self.plan_id = data, plan_id

    def count(self) -> int:
        from coopterm.domain.projects import count_projects

        return self.data.read(count_projects, self.plan_id)

    def fetch(self, offset: int, limit: int) -> Sequence[Any]:
        from coopterm.domain.projects import fetch_projects

        return self.data.read(fetch_projects, self.plan_id, offset, limit)


def _euros(cents: int) -> str:
    from coopterm.domain.funding import format_euros

    return format_euros(cents)


def _indicator_value(value: float | None, unit: str) -> str:
    from coopterm.ui.console import format_indicator_value

    return format_indicator_value(value, unit) if value is not None else "\u2014"


def funding_columns() -> list[Column]:
    return [
        Column("year", t("funding.col.year"), 5, lambda r: str(r.year)),
        Column("funder", t("funding.col.funder"), None, lambda r: r.funder),
        Column("amount", t("funding.col.amount"), 13, lambda r: _euros(r.amount_cents), justify="right"),
        Column("action", t("funding.col.action"), 6, lambda r: r.action_code),
    ]


def project_columns() -> list[Column]:
    return [
        Column("title", t("project.col.title"), None, lambda r: r.title),
        Column("scope", t("project.col.scope"), 6, lambda r: t(f"project_scope_short.{r.scope.value}")),
        Column("towns", t("project.col.towns"), 18, lambda r: ", ".join(r.towns)),
        Column("origin", t("project.col.origin"), 6, lambda r: r.origin_code),
        Column("date", t("project.col.date"), 10, lambda r: format_date(r.started_on) if r.started_on else ""),
    ]


def indicator_columns() -> list[Column]:
    from coopterm.ui.widgets.gauge import status_word

    return [
        Column("label", t("indicators.col.label"), None, lambda r: r.label),
        Column("value", t("indicators.col.value"), 10, lambda r: _indicator_value(r.value, r.unit), justify="right"),
        Column("target", t("indicators.col.target"), 10, lambda r: _indicator_value(r.target, r.unit), justify="right"),
        Column("status", t("indicators.col.status"), 12, lambda r: status_word(r.status)),
    ]


# --- forms ------------------------------------------------------------------------------


class FundingForm(FormScreen):
    TITLE_KEY = "funding_form.title_new"

    def __init__(self, funding_id: uuid.UUID | None = None) -> None:
        super().__init__()
        self.funding_id = funding_id

    def heading(self) -> str:
        return t("funding_form.title_edit" if self.funding_id else "funding_form.title_new")

    def fields(self) -> Iterator[Widget]:
        from coopterm.domain.actions import action_choices
        from coopterm.domain.funding import funding_form_values, known_funders

        values = self.coop.data.read(funding_form_values, self.funding_id, self.coop.today)
        funders = self.coop.data.read(known_funders)
        plan_funders = self.coop.data.read(known_funders, self.coop.plan_id)
        actions = self.coop.data.read(action_choices, self.coop.plan_id)
        yield from self.field("funder", t("funding_form.funder"),
                              Input(values["funder"], compact=True,
                                    suggester=SuggestFromList(funders, case_sensitive=False)))
        if plan_funders:
            yield Literal(t("funding_form.known_funders", names=" · ".join(plan_funders)), classes="hint")
        yield from self.field("amount", t("funding_form.amount"),
                              Input(values["amount"], placeholder=t("funding_form.amount_placeholder"), compact=True))
        yield from self.field("year", t("funding_form.year"), Input(values["year"], compact=True))
        yield from self.field("action_id", t("funding_form.action"),
                              Picker(actions, selected=values["action_id"], multiple=False))
        yield from self.field("note", t("funding_form.note"), Input(values["note"], compact=True))

    def on_mount(self) -> None:
        self.query_one("#f-funder", Input).focus()

    def collect(self) -> dict[str, Any]:
        return {"funder": self.value("funder"), "amount": self.value("amount"), "year": self.value("year"),
                "action_id": list(self.query_one("#f-action_id", Picker).value), "note": self.value("note")}

    def persist(self, data: dict[str, Any]) -> Any:
        from coopterm.domain.funding import save_funding

        return self.coop.data.write(save_funding, self.coop.plan_id, self.funding_id, data)


class ProjectForm(FormScreen):
    TITLE_KEY = "project_form.title_new"

    def __init__(self, project_id: uuid.UUID | None = None) -> None:
        super().__init__()
        self.project_id = project_id

    def heading(self) -> str:
        return t("project_form.title_edit" if self.project_id else "project_form.title_new")

    def fields(self) -> Iterator[Widget]:
        from coopterm.domain.actions import action_choices
        from coopterm.domain.persons import town_choices
        from coopterm.domain.projects import project_form_values
        from coopterm.vocabulary import ProjectScope

        values = self.coop.data.read(project_form_values, self.project_id)
        towns = self.coop.data.read(town_choices, self.coop.plan_id)
        actions = self.coop.data.read(action_choices, self.coop.plan_id)
        yield from self.field("title", t("project_form.title_field"), Input(values["title"], compact=True))
        yield from self.field("scope", t("project_form.scope"),
                              Select(options((t(f"project_scope.{s.value}"), s.value) for s in ProjectScope),
                                     value=values["scope"], allow_blank=False, compact=True))
        yield from self.field("towns", t("project_form.towns"), Picker(towns, selected=values["towns"], multiple=True))
        yield from self.field("origin_action_id", t("project_form.origin"),
                              Picker(actions, selected=values["origin_action_id"], multiple=False))
        yield from self.field("started_on", t("project_form.date"),
                              Input(format_date(values["started_on"]) if values["started_on"] else "",
                                    placeholder=t("form.date_placeholder"), compact=True))
        yield from self.field("description", t("project_form.description"),
                              TextArea(values["description"], classes="short"))

    def on_mount(self) -> None:
        self.query_one("#f-title", Input).focus()

    def collect(self) -> dict[str, Any]:
        return {"title": self.value("title"), "scope": self.query_one("#f-scope", Select).value,
                "towns": list(self.query_one("#f-towns", Picker).value),
                "origin_action_id": list(self.query_one("#f-origin_action_id", Picker).value),
                "started_on": self.value("started_on"),
                "description": self.query_one("#f-description", TextArea).text}

    def persist(self, data: dict[str, Any]) -> Any:
        from coopterm.domain.projects import save_project

        return self.coop.data.write(save_project, self.coop.plan_id, self.project_id, data)


class ManualIndicatorForm(FormScreen):
    TITLE_KEY = "indicator_form.title_new"

    def __init__(self, indicator_id: uuid.UUID | None = None) -> None:
        super().__init__()
        self.indicator_id = indicator_id

    def heading(self) -> str:
        return t("indicator_form.title_edit" if self.indicator_id else "indicator_form.title_new")

    def fields(self) -> Iterator[Widget]:
        from coopterm.domain.manual_indicators import manual_form_values

        values = self.coop.data.read(manual_form_values, self.indicator_id)
        yield from self.field("label", t("indicator_form.label"), Input(values["label"], compact=True))
        yield from self.field("unit", t("indicator_form.unit"),
                              Input(values["unit"], placeholder=t("indicator_form.unit_placeholder"), compact=True))
        yield from self.field("baseline_value", t("indicator_form.baseline_value"),
                              Input(values["baseline_value"], compact=True))
        yield from self.field("baseline_date", t("indicator_form.baseline_date"),
                              Input(values["baseline_date"], placeholder=t("form.date_placeholder"), compact=True))
        yield from self.field("target", t("indicator_form.target"), Input(values["target"], compact=True))

    def on_mount(self) -> None:
        self.query_one("#f-label", Input).focus()

    def collect(self) -> dict[str, Any]:
        return {name: self.value(name) for name in ("label", "unit", "baseline_value", "baseline_date", "target")}

    def persist(self, data: dict[str, Any]) -> Any:
        from coopterm.domain.manual_indicators import save_manual_indicator

        return self.coop.data.write(save_manual_indicator, self.coop.plan_id, self.indicator_id, data)


class TargetForm(FormScreen):
    """The target of a computed indicator: a number, or empty for no target."""

    TITLE_KEY = "target_form.title"

    def __init__(self, key: str, label: str) -> None:
        super().__init__()
        self.key, self.label = key, label

    def heading(self) -> str:
        return t("target_form.title", label=self.label)

    def fields(self) -> Iterator[Widget]:
        from coopterm.domain.manual_indicators import computed_target_text

        value = self.coop.data.read(computed_target_text, self.coop.plan_id, self.key)
        yield from self.field("target", t("target_form.target"),
                              Input(value, placeholder=t("target_form.placeholder"), compact=True))

    def on_mount(self) -> None:
        self.query_one("#f-target", Input).focus()

    def collect(self) -> dict[str, Any]:
        return {"target": self.value("target")}

    def persist(self, data: dict[str, Any]) -> Any:
        from coopterm.domain.manual_indicators import set_computed_target

        return self.coop.data.write(set_computed_target, self.coop.plan_id, self.key, data["target"])


class MeasurementForm(FormScreen):
    TITLE_KEY = "measurement_form.title"

    def __init__(self, indicator_id: uuid.UUID, label: str) -> None:
        super().__init__()
        self.indicator_id, self.label = indicator_id, label

    def heading(self) -> str:
        return t("measurement_form.title", label=self.label)

    def fields(self) -> Iterator[Widget]:
        yield from self.field("measured_on", t("measurement_form.date"),
                              Input(format_date(self.coop.today), placeholder=t("form.date_placeholder"), compact=True))
        yield from self.field("value", t("measurement_form.value"), Input(compact=True))
        yield from self.field("note", t("measurement_form.note"), Input(compact=True))

    def on_mount(self) -> None:
        self.query_one("#f-value", Input).focus()

    def collect(self) -> dict[str, Any]:
        return {name: self.value(name) for name in ("measured_on", "value", "note")}

    def persist(self, data: dict[str, Any]) -> Any:
        from coopterm.domain.manual_indicators import add_measurement

        return self.coop.data.write(add_measurement, self.indicator_id, data)


# --- the screen --------------------------------------------------------------------------


class FundingScreen(PlanScreen):
    TITLE_KEY = "screen.funding"
    DEFAULT_CSS = """
    #funding-tabs { height: 1; padding: 0 1; }
    #funding-sections { height: 1fr; }
    #funding-section { height: 1fr; }
    #funding-table { width: 1fr; height: 1fr; }
    #funding-totals-box { width: 30; height: 1fr; border-left: solid $primary-darken-2; padding: 0 1; }
    #funding-totals { height: auto; }
    #projects-section, #indicators-section { height: 1fr; }
    #projects-table, #indicators-table { height: 1fr; }
    #project-detail, #indicator-detail { height: 5; border-top: solid $primary-darken-2; padding: 0 1; }
    """
    BINDINGS = [
        # The line of sections under the header shows f / p / i; the footer keeps room for the rest.
        Binding("f", "section('funding')", "key.section_funding", show=False, id="funding.section_funding"),
        Binding("p", "section('projects')", "key.section_projects", show=False, id="funding.section_projects"),
        Binding("i", "section('indicators')", "key.section_indicators", show=False, id="funding.section_indicators"),
        Binding("n", "new", "key.new", id="funding.new"),
        Binding("e", "edit", "key.edit", id="funding.edit"),
        Binding("delete", "delete", "key.delete", id="funding.delete"),
        Binding("t", "target", "key.target", id="funding.target"),
        Binding("m", "measure", "key.measure", id="funding.measure"),
    ]
    PALETTE: ClassVar[list[tuple[str, str, str]]] = [
        ("palette.new_funding", "palette.new_funding_help", "new_funding"),
        ("palette.new_project", "palette.new_project_help", "new_project"),
        ("palette.new_indicator", "palette.new_indicator_help", "new_indicator"),
        ("palette.show_funding", "palette.show_funding_help", "section('funding')"),
        ("palette.show_projects", "palette.show_projects_help", "section('projects')"),
        ("palette.show_indicators", "palette.show_indicators_help", "section('indicators')"),
    ]

    section: str = "funding"

    def compose(self) -> ComposeResult:
        yield Header()
        yield Literal("", id="funding-tabs")
        with ContentSwitcher(initial="funding-section", id="funding-sections"):
            with Horizontal(id="funding-section"):
                yield VirtualTable(funding_columns(), id="funding-table", empty_text=t("funding.empty"))
                with VerticalScroll(id="funding-totals-box", can_focus=False):
                    yield Literal("", id="funding-totals")
            with Vertical(id="projects-section"):
                yield VirtualTable(project_columns(), id="projects-table", empty_text=t("projects.empty"))
                yield Literal("", id="project-detail")
            with Vertical(id="indicators-section"):
                yield VirtualTable(indicator_columns(), id="indicators-table", empty_text=t("indicators.empty"))
                yield Literal("", id="indicator-detail")
        yield Footer()

    def on_mount(self) -> None:
        data, plan_id = self.coop.data, self.coop.plan_id
        self.table("funding").set_source(FundingSource(data, plan_id))
        self.table("projects").set_source(ProjectSource(data, plan_id))
        self.load_indicators()
        self.show_totals()
        self.show_section("funding")

    # --- sections -------------------------------------------------------------------------

    def table(self, section: str | None = None) -> VirtualTable:
        return self.query_one(f"#{section or self.section}-table", VirtualTable)

    def show_section(self, section: str) -> None:
        self.section = section
        self.query_one(ContentSwitcher).current = f"{section}-section"
        tabs = Text(no_wrap=True)
        for key, name in zip("fpi", SECTIONS):
            label = f" {key} {t(f'funding.section.{name}')} "
            tabs.append(label, "bold reverse" if name == section else "dim")
            tabs.append(" ")
        self.query_one("#funding-tabs", Literal).update(tabs)
        self.table(section).focus()
        self.refresh_bindings()

    def action_section(self, section: str) -> None:
        self.show_section(section)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("target", "measure"):
            return self.section == "indicators"
        return True

    # --- data -----------------------------------------------------------------------------

    def reload(self) -> None:
        self.table("funding").reload()
        self.table("projects").reload()
        self.load_indicators()
        self.show_totals()
        self.show_project_detail(self.table("projects").current_row)

    def load_indicators(self) -> None:
        from coopterm.domain.manual_indicators import indicator_rows

        rows = self.coop.data.read(indicator_rows, self.coop.plan_id, self.coop.today)
        self.table("indicators").set_source(SequenceSource(rows))
        self.show_indicator_detail(self.table("indicators").current_row)

    def show_totals(self) -> None:
        from coopterm.domain.funding import funding_totals
        from coopterm.ui.widgets.gauge import crop

        totals = self.coop.data.read(funding_totals, self.coop.plan_id)
        lines = [t("funding.totals.all", amount=_euros(totals.total)), "", t("funding.totals.by_year")]
        lines += [f"  {year}  {_euros(cents):>16}" for year, cents in totals.by_year] or ["  \u2014"]
        lines += ["", t("funding.totals.by_funder")]
        for funder, cents in totals.by_funder:
            lines += [f"  {crop(funder, 24)}", f"  {_euros(cents):>22}"]
        if not totals.by_funder:
            lines.append("  \u2014")
        if totals.by_action:
            lines += ["", t("funding.totals.by_action")]
            lines += [f"  {code:<6}{_euros(cents):>16}" for code, cents in totals.by_action]
        self.query_one("#funding-totals", Literal).update("\n".join(lines))

    def show_project_detail(self, row: Any) -> None:
        detail = self.query_one("#project-detail", Literal)
        if row is None:
            detail.update("")
            return
        lines = [row.title,
                 t("project.detail", scope=t(f"project_scope.{row.scope.value}"),
                   towns=", ".join(row.towns) or "\u2014", origin=row.origin_code or "\u2014",
                   date=format_date(row.started_on) if row.started_on else "\u2014")]
        if row.description:
            lines.append(row.description.splitlines()[0])
        detail.update("\n".join(lines))

    def show_indicator_detail(self, row: Any) -> None:
        detail = self.query_one("#indicator-detail", Literal)
        if row is None:
            detail.update("")
            return
        if row.computed:
            detail.update(f"{row.label}\n{t('indicators.detail.computed')}")
            return
        from coopterm.domain.manual_indicators import manual_id, measurements

        latest = self.coop.data.read(measurements, manual_id(row.id), limit=2)
        baseline = (t("indicators.detail.baseline", value=_indicator_value(row.baseline_value, row.unit),
                      date=format_date(row.baseline_date) if row.baseline_date else "\u2014")
                    if row.baseline_value is not None else t("indicators.detail.no_baseline"))
        lines = [row.label, baseline]
        if latest:
            lines.append(t("indicators.detail.measurements", count=row.measurements))
            lines += [f"  {format_date(m.measured_on)}  {_indicator_value(m.value, row.unit)}  {m.note}"
                      for m in latest]
        else:
            lines.append(t("indicators.detail.no_measurement"))
        detail.update("\n".join(lines))

    def on_virtual_table_row_highlighted(self, event: VirtualTable.RowHighlighted) -> None:
        if event.control.id == "projects-table":
            self.show_project_detail(event.row)
        elif event.control.id == "indicators-table":
            self.show_indicator_detail(event.row)

    def on_virtual_table_row_selected(self, event: VirtualTable.RowSelected) -> None:
        self.action_edit()

    # --- commands -------------------------------------------------------------------------

    def _saved(self, change: object) -> None:
        if change is not None:
            self.coop.plan_changed(change)
            self.notify(t("funding.saved"))

    def action_new(self) -> None:
        {"funding": self.action_new_funding, "projects": self.action_new_project,
         "indicators": self.action_new_indicator}[self.section]()

    def action_new_funding(self) -> None:
        self.show_section("funding")
        self.app.push_screen(FundingForm(), self._saved)

    def action_new_project(self) -> None:
        self.show_section("projects")
        self.app.push_screen(ProjectForm(), self._saved)

    def action_new_indicator(self) -> None:
        self.show_section("indicators")
        self.app.push_screen(ManualIndicatorForm(), self._saved)

    def action_edit(self) -> None:
        row = self.table().current_row
        if row is None:
            return
        if self.section == "funding":
            self.app.push_screen(FundingForm(row.id), self._saved)
        elif self.section == "projects":
            self.app.push_screen(ProjectForm(row.id), self._saved)
        elif row.computed:
            self.action_target()
        else:
            from coopterm.domain.manual_indicators import manual_id

            self.app.push_screen(ManualIndicatorForm(manual_id(row.id)), self._saved)

    def action_target(self) -> None:
        row = self.table("indicators").current_row
        if self.section != "indicators" or row is None:
            return
        if not row.computed:
            from coopterm.domain.manual_indicators import manual_id

            self.app.push_screen(ManualIndicatorForm(manual_id(row.id)), self._saved)
            return
        self.app.push_screen(TargetForm(row.id, row.label), self._saved)

    def action_measure(self) -> None:
        row = self.table("indicators").current_row
        if self.section != "indicators" or row is None:
            return
        if row.computed:
            self.notify(t("indicators.computed_no_measurement"), severity="warning")
            return
        from coopterm.domain.manual_indicators import manual_id

        self.app.push_screen(MeasurementForm(manual_id(row.id), row.label), self._saved)

    def action_delete(self) -> None:
        row = self.table().current_row
        if row is None:
            return
        if self.section == "funding":
            from coopterm.domain.funding import delete_funding as delete

            question = t("funding.delete_question", funder=row.funder, amount=_euros(row.amount_cents), year=row.year)
            row_id = row.id
        elif self.section == "projects":
            from coopterm.domain.projects import delete_project as delete

            question = t("project.delete_question", title=row.title)
            row_id = row.id
        else:
            if row.computed:
                self.notify(t("indicators.computed_no_delete"), severity="warning")
                return
            from coopterm.domain.manual_indicators import delete_manual_indicator as delete
            from coopterm.domain.manual_indicators import manual_id

            question = t("indicators.delete_question", label=row.label, count=row.measurements)
            row_id = manual_id(row.id)

        def answered(yes: bool | None) -> None:
            if yes:
                change = self.coop.data.write(delete, row_id)
                self.coop.plan_changed(change)
                self.notify(t("funding.deleted"))

        self.app.push_screen(ConfirmScreen(question), answered)
