"""The dashboard: the plan's indicators as gauges, and what needs attention.

The first frame shows the figures kept in the file (``domain.figures``: gauges and
actions by status, read before the file is opened); the live data is loaded in a
worker thread and replaces them, so the first frame never waits for the database.
A save made in this app moves the gauges at once by applying its effect on the
tallies (no recount); a change made by another process triggers a full reload in
the worker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Header
from textual.worker import get_current_worker

from coopterm.i18n import t
from coopterm.ui.literal import Literal
from coopterm.ui.screens.base import PlanScreen
from coopterm.ui.widgets.dashboard_panels import ChallengeProgress, LatestChanges, MeetingsDue, StatusCounts
from coopterm.ui.widgets.gauge import IndicatorGauge

if TYPE_CHECKING:
    from coopterm.domain.dashboard import DashboardData


class DashboardScreen(PlanScreen):
    TITLE_KEY = "screen.dashboard"
    BINDINGS = []
    PALETTE = [("palette.refresh", "palette.refresh_help", "refresh")]

    data: DashboardData | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="dashboard"):
            yield Literal(t("dashboard.indicators"), classes="section-title")
            figures = self.coop.start_figures
            with Vertical(id="gauges"):  # the figures kept in the file, until the live ones replace them
                for gauge in figures.gauges if figures is not None else ():
                    yield IndicatorGauge(gauge)
            with Horizontal(id="dashboard-columns"):
                with Vertical():
                    yield Literal(t("dashboard.by_status"), classes="section-title")
                    yield StatusCounts(id="status-counts")
                    yield Literal(t("dashboard.by_challenge"), classes="section-title")
                    yield ChallengeProgress(id="challenge-progress")
                with Vertical():
                    yield Literal(t("dashboard.meetings_due"), classes="section-title")
                    yield MeetingsDue(id="meetings-due")
                    yield Literal(t("dashboard.latest_changes"), classes="section-title")
                    yield LatestChanges(id="latest-changes")
        yield Footer()

    def on_mount(self) -> None:
        # Until the live data arrives, the panels say nothing rather than "none".
        for panel in (StatusCounts, ChallengeProgress, MeetingsDue, LatestChanges):
            self.query_one(panel).wait()
        if self.coop.start_figures is not None:
            self.query_one(StatusCounts).update_data(self.coop.start_figures.by_status)
        self.reload()

    def reload(self) -> None:
        self.load()

    def action_refresh(self) -> None:
        self.reload()

    @work(thread=True, exclusive=True, group="dashboard", exit_on_error=False)
    def load(self) -> None:
        app = self.coop
        if app.db is None or app.plan_id is None:
            return  # the database is still opening; the app reloads every screen once it is
        # The workspace imports the domain (and SQLAlchemy) on this first use, once the
        # opener thread has finished importing it: two threads importing SQLAlchemy at once
        # could fail in one of them ("partially initialized module").
        data = app.data.plans.dashboard(app.plan_id, app.today)
        if get_current_worker().is_cancelled or not app.is_running:
            return  # a newer reload was asked for, or the app is closing
        try:
            app.call_from_thread(self.show, data)
        except RuntimeError:
            pass  # the app closed while the figures were being read

    def show(self, data: DashboardData) -> None:
        if self.data is None:  # the first figures: what start-up loaded is here to stay
            self.call_after_refresh(self.coop.keep_long_lived_objects)
        self.data = data
        gauges = self.query_one("#gauges", Vertical)
        results = data.all_indicators  # the four computed ones, then the manual ones
        existing = list(gauges.query(IndicatorGauge))
        if len(existing) != len(results):
            gauges.remove_children()
            existing = [IndicatorGauge() for _ in results]
            gauges.mount_all(existing)
        for gauge, result in zip(existing, results):
            gauge.result = result
        self.query_one(StatusCounts).update_data(data.by_status)
        self.query_one(ChallengeProgress).update_data(data.challenges)
        self.query_one(MeetingsDue).update_data(data.meetings_due, plan_over=data.plan_over)
        self.query_one(LatestChanges).update_data(data.latest_changes)
        self.coop.dashboard_shown(data)

    def plan_changed(self, delta: object | None) -> None:
        if delta is not None and self.data is not None:
            from coopterm.domain.dashboard import apply_change

            updated = apply_change(self.data, delta)
            if updated is not self.data:
                self.data = updated
                for gauge, result in zip(self.query(IndicatorGauge), updated.indicators):
                    gauge.result = result
        # The rest of the dashboard (and a check of the gauges) follows in the worker.
        self.reload()
