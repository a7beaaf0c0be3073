"""First run: the database holds no plan yet, so say so and offer a way in."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Header

from coopterm.i18n import t
from coopterm.ui.forms.plan import PlanForm
from coopterm.ui.keys import TranslatedBindings
from coopterm.ui.literal import Literal
from coopterm.ui.screens.base import AppAccess


class FirstRunScreen(AppAccess, TranslatedBindings, Screen[bool]):
    """Dismissed with True once the database holds a plan."""

    BINDINGS = [
        Binding("c", "create", "key.create_plan", id="first_run.create"),
        Binding("d", "demo", "key.open_demo", id="first_run.demo"),
        Binding("q", "app.quit", "key.quit", id="first_run.quit"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="first-run"):
            with Vertical(id="first-run-box"):
                yield Literal(t("first_run.title"), classes="dialog-title")
                yield Literal(t("first_run.body", path=self.coop.data.path))
                yield Button(t("first_run.create"), id="create", variant="primary")
                yield Button(t("first_run.demo"), id="demo")
        yield Footer()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "create":
            self.action_create()
        else:
            self.action_demo()

    def action_create(self) -> None:
        def created(plan_id: object) -> None:
            if plan_id is not None:
                self.dismiss(True)

        self.app.push_screen(PlanForm(), created)

    def action_demo(self) -> None:
        self.coop.data.load_demo()
        self.notify(t("first_run.demo_loaded"))
        self.dismiss(True)
