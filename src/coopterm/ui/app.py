"""The coopterm Textual application.

This first version opens a database and shows its current plan: title, period,
vision, défis and the computed indicators.  It is the shell the full app (screens
per défi, action, pilot, meeting) is built on.
"""

from __future__ import annotations

import datetime as dt

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from coopterm.i18n import format_date, t
from coopterm.store import Database


class CooptermApp(App[None]):
    CSS_PATH = "coopterm.tcss"
    TITLE = "coopterm"
    BINDINGS = [Binding("q", "quit", t("app.quit"))]

    def __init__(self, db: Database, *, today: dt.date | None = None) -> None:
        super().__init__()
        self.db = db
        self.today = today or dt.date.today()

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="plan"):
            yield Static(id="plan-title")
            yield Static(id="plan-period")
            yield Static(t("app.indicators"), classes="heading")
            yield Static(id="indicators")
            yield Static(t("app.challenges"), classes="heading")
            yield Static(id="challenges")
            yield Static(t("app.vision"), classes="heading")
            yield Static(id="vision")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = str(self.db.path)
        self.refresh_plan()

    def refresh_plan(self) -> None:
        from rich.table import Table

        from coopterm.domain.challenges import challenge_summaries
        from coopterm.domain.indicators import plan_indicators
        from coopterm.domain.numbering import challenge_code
        from coopterm.domain.plans import current_plan
        from coopterm.ui.console import STATUS_STYLE, format_indicator_value

        with self.db.read() as session:
            plan = current_plan(session)
            if plan is None:
                self.query_one("#plan-title", Static).update(t("app.no_plan"))
                return
            indicators = plan_indicators(session, plan, self.today)
            challenges = challenge_summaries(session, plan.id)
        self.title = plan.title
        self.query_one("#plan-title", Static).update(f"[b]{plan.title}[/b]")
        self.query_one("#plan-period", Static).update(
            t("app.period", start=format_date(plan.start_date), end=format_date(plan.end_date))
        )
        table = Table(box=None, expand=True, show_header=False)
        table.add_column(ratio=1)
        table.add_column(justify="right")
        table.add_column(justify="right")
        table.add_column()
        for ind in indicators:
            target = "" if ind.target is None else "/ " + format_indicator_value(ind.target, ind.unit)
            table.add_row(
                ind.label,
                format_indicator_value(ind.value, ind.unit),
                target,
                f"[{STATUS_STYLE[ind.status.value]}]{t('indicator_status.' + ind.status.value)}[/]",
            )
        self.query_one("#indicators", Static).update(table)
        self.query_one("#challenges", Static).update(
            "\n".join(
                t("app.challenge_line", code=challenge_code(s.challenge), title=s.challenge.title, actions=s.actions)
                for s in challenges
            )
        )
        self.query_one("#vision", Static).update(plan.vision)
