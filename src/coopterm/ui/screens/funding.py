"""Funding, new projects and indicators of the current plan: three panes of one screen.

``f`` funding (contributions by funder and year, with totals per year, per funder
and per action), ``p`` new projects arising from the cooperation, ``i`` indicators
(targets of the computed ones, manual ones with their measurements).  ``n`` / ``e``
/ ``delete`` act on the section shown; in indicators, ``t`` changes a target and
``m`` records a measurement.  Each pane is a ``RecordPane`` over the workspace.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import ContentSwitcher, Footer, Header

from coopterm import present
from coopterm.domain.funding import FundingRow
from coopterm.domain.manual_indicators import IndicatorRow
from coopterm.domain.projects import ProjectRow
from coopterm.i18n import t
from coopterm.ui.forms.base import FormScreen
from coopterm.ui.forms.funding_line import FundingForm
from coopterm.ui.forms.indicator import ManualIndicatorForm
from coopterm.ui.forms.measurement import MeasurementForm
from coopterm.ui.forms.project import ProjectForm
from coopterm.ui.forms.target import TargetForm
from coopterm.ui.literal import Literal
from coopterm.ui.screens.record_list import RecordListScreen, RecordPane
from coopterm.ui.widgets.gauge import crop, status_word
from coopterm.ui.widgets.virtual_table import Column, RowSource, SequenceSource, VirtualTable

SECTIONS = ("funding", "projects", "indicators")


def _euros(cents: int) -> str:
    return present.money(cents)


def _indicator_value(value: present.Number | None, unit: str) -> str:
    return present.measure(value, unit)


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
        Column("date", t("project.col.date"), 10, lambda r: present.date(r.started_on) if r.started_on else ""),
    ]


def indicator_columns() -> list[Column]:
    return [
        Column("label", t("indicators.col.label"), None, lambda r: r.label),
        Column("value", t("indicators.col.value"), 10, lambda r: _indicator_value(r.value, r.unit), justify="right"),
        Column("target", t("indicators.col.target"), 10, lambda r: _indicator_value(r.target, r.unit), justify="right"),
        Column("status", t("indicators.col.status"), 12, lambda r: status_word(r.status)),
    ]


# --- the panes ----------------------------------------------------------------------------


class Section(RecordPane[None]):
    """A pane of this screen: all say "saved" and "deleted" the same way, and none is filtered."""

    SAVED = "funding.saved"
    DELETED = "funding.deleted"


class FundingPane(Section):
    """The plan's contributions; the totals beside them are the screen's (``show_panels``)."""

    NAME, TABLE_ID, FORM = "funding", "funding-table", FundingForm

    def source(self) -> RowSource:
        return self.coop.data.funding.source(self.coop.plan)

    def delete_question(self, row: FundingRow) -> str:
        return t("funding.delete_question", funder=row.funder, amount=_euros(row.amount_cents), year=row.year)

    def delete(self, row: FundingRow) -> object:
        return self.coop.data.funding.delete(row.id)


class ProjectsPane(Section):
    """The new projects the cooperation gave birth to; the highlighted one's detail below."""

    NAME, TABLE_ID, FORM = "projects", "projects-table", ProjectForm

    def source(self) -> RowSource:
        return self.coop.data.projects.source(self.coop.plan)

    def show(self, row: ProjectRow | None) -> None:
        detail = self.screen.query_one("#project-detail", Literal)
        if row is None:
            detail.update("")
            return
        lines = [row.title,
                 t("project.detail", scope=t(f"project_scope.{row.scope.value}"),
                   towns=", ".join(row.towns) or "\u2014", origin=row.origin_code or "\u2014",
                   date=present.date(row.started_on))]
        if row.description:
            lines.append(row.description.splitlines()[0])
        detail.update("\n".join(lines))

    def delete_question(self, row: ProjectRow) -> str:
        return t("project.delete_question", title=row.title)

    def delete(self, row: ProjectRow) -> object:
        return self.coop.data.projects.delete(row.id)


class IndicatorsPane(Section):
    """The four computed indicators (their targets change) and the manual ones (a handful: read whole)."""

    NAME, TABLE_ID = "indicators", "indicators-table"

    def source(self) -> RowSource:
        return SequenceSource(self.coop.data.indicators.rows(self.coop.plan, self.coop.today))

    def show(self, row: IndicatorRow | None) -> None:
        detail = self.screen.query_one("#indicator-detail", Literal)
        if row is None:
            detail.update("")
            return
        if row.computed:
            detail.update(f"{row.label}\n{t('indicators.detail.computed')}")
            return
        latest = self.coop.data.indicators.latest(row.id, limit=2)
        baseline = (t("indicators.detail.baseline", value=_indicator_value(row.baseline_value, row.unit),
                      date=present.date(row.baseline_date))
                    if row.baseline_value is not None else t("indicators.detail.no_baseline"))
        lines = [row.label, baseline]
        if latest:
            lines.append(t("indicators.detail.measurements", count=row.measurements))
            lines += [f"  {present.date(m.measured_on)}  {_indicator_value(m.value, row.unit)}  {m.note}"
                      for m in latest]
        else:
            lines.append(t("indicators.detail.no_measurement"))
        detail.update("\n".join(lines))

    def form(self, row: IndicatorRow | None) -> FormScreen:
        """A new manual indicator; a manual one's settings; a computed one's target."""
        if row is not None and row.computed:
            return TargetForm(row.id, row.label)
        return ManualIndicatorForm(row.id if row is not None else None)

    def delete_question(self, row: IndicatorRow) -> str | None:
        if row.computed:
            self.screen.notify(t("indicators.computed_no_delete"), severity="warning")
            return None
        return t("indicators.delete_question", label=row.label, count=row.measurements)

    def delete(self, row: IndicatorRow) -> object:
        return self.coop.data.indicators.delete(row.id)


# --- the screen --------------------------------------------------------------------------


class FundingScreen(RecordListScreen):
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

    PANES = (lambda screen: FundingPane(screen, None), lambda screen: ProjectsPane(screen, None),
             lambda screen: IndicatorsPane(screen, None))

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

    # --- sections -------------------------------------------------------------------------

    def named(self, section: str) -> RecordPane[Any]:
        return next(pane for pane in self.panes if pane.NAME == section)

    @property
    def section(self) -> str:
        """The name of the pane shown: "funding", "projects" or "indicators"."""
        return self.pane.NAME

    def table(self, section: str | None = None) -> VirtualTable:
        return self.named(section).table if section else self.pane.table

    def show_pane(self, pane: RecordPane[Any]) -> None:
        """The pane's section, and the line of sections with it marked."""
        self.query_one(ContentSwitcher).current = f"{pane.NAME}-section"
        tabs = Text(no_wrap=True)
        for key, name in zip("fpi", SECTIONS):
            label = f" {key} {t(f'funding.section.{name}')} "
            tabs.append(label, "bold reverse" if name == pane.NAME else "dim")
            tabs.append(" ")
        self.query_one("#funding-tabs", Literal).update(tabs)
        super().show_pane(pane)
        self.refresh_bindings()

    def action_section(self, section: str) -> None:
        self.show_pane(self.named(section))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("target", "measure"):
            return self.section == "indicators"
        return True

    def show_panels(self) -> None:
        """The totals beside the contributions: in all, by year, by funder and by action."""
        totals = self.coop.data.funding.totals(self.coop.plan)
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

    # --- commands -------------------------------------------------------------------------

    def _new_in(self, section: str) -> None:
        self.show_pane(self.named(section))
        self.action_new()

    def action_new_funding(self) -> None:
        self._new_in("funding")

    def action_new_project(self) -> None:
        self._new_in("projects")

    def action_new_indicator(self) -> None:
        self._new_in("indicators")

    def action_target(self) -> None:
        """A computed indicator's target; a manual one's settings."""
        if self.section == "indicators":
            self.action_edit()

    def action_measure(self) -> None:
        row = self.table("indicators").current_row
        if self.section != "indicators" or row is None:
            return
        if row.computed:
            self.notify(t("indicators.computed_no_measurement"), severity="warning")
            return
        self.app.push_screen(MeasurementForm(row.id, row.label), lambda change: self.saved(self.pane, change))
