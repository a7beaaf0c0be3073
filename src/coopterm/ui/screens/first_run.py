"""First run: the database holds no plan yet, so say so and offer a way in."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Footer, Header, Input, Select

from coopterm.i18n import t
from coopterm.ui.keys import TranslatedBindings
from coopterm.ui.screens.forms import FormScreen
from coopterm.ui.literal import Literal, options


class PlanForm(FormScreen):
    """A new plan: title, period, towns; optionally the défis and towns of another plan."""

    TITLE_KEY = "plan_form.title"

    def __init__(self, copy_choices: list[tuple[str, object]] | None = None) -> None:
        super().__init__()
        self.copy_choices = copy_choices or []

    def fields(self) -> Iterator[Widget]:
        if self.copy_choices:
            yield from self.field("copy_from", t("plan_form.copy_from"),
                                  Select(options(self.copy_choices), prompt=t("plan_form.copy_none"), compact=True))
        yield from self.field("title", t("plan_form.title_field"), Input(compact=True))
        yield from self.field("start_date", t("plan_form.start"), Input(placeholder=t("form.date_placeholder"), compact=True))
        yield from self.field("end_date", t("plan_form.end"), Input(placeholder=t("form.date_placeholder"), compact=True))
        yield from self.field("towns", t("plan_form.towns"), Input(placeholder="Katowice (Pologne), Monastir (Tunisie)", compact=True))

    def on_mount(self) -> None:
        self.query_one("#f-title", Input).focus()

    def collect(self) -> dict[str, Any]:
        data: dict[str, Any] = {name: self.value(name) for name in ("title", "start_date", "end_date", "towns")}
        if self.copy_choices:
            chosen = self.query_one("#f-copy_from", Select).value
            data["copy_from"] = None if chosen is Select.NULL else chosen
        return data

    def persist(self, data: dict[str, Any]) -> Any:
        from coopterm.domain.plans import create_plan

        copy_from = data.pop("copy_from", None)
        with self.coop.db.write() as session:
            return create_plan(session, data, copy_from=copy_from)


class FirstRunScreen(TranslatedBindings, Screen[bool]):
    """Dismissed with True once the database holds a plan."""

    BINDINGS = [
        Binding("c", "create", "key.create_plan"),
        Binding("d", "demo", "key.open_demo"),
        Binding("q", "app.quit", "key.quit"),
    ]

    @property
    def coop(self):  # noqa: ANN201
        return self.app

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="first-run"):
            with Vertical(id="first-run-box"):
                yield Literal(t("first_run.title"), classes="dialog-title")
                yield Literal(t("first_run.body", path=self.coop.db.path))
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
        from coopterm.demo import build_demo

        build_demo(self.coop.db)
        self.notify(t("first_run.demo_loaded"))
        self.dismiss(True)
