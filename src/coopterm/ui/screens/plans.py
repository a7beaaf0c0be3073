"""The plans of the file: which one is current, its settings, and new plans (``PlanForm``,
also offered by the first run)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import DataTable, Footer, Header, Input, Select, TextArea

from coopterm.i18n import format_date, t
from coopterm.ui.literal import Literal, literal, options
from coopterm.ui.screens.base import PlanScreen
from coopterm.ui.screens.forms import FormScreen


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
        yield from self.field("start_date", t("plan_form.start"),
                              Input(placeholder=t("form.date_placeholder"), compact=True))
        yield from self.field("end_date", t("plan_form.end"),
                              Input(placeholder=t("form.date_placeholder"), compact=True))
        yield from self.field("towns", t("plan_form.towns"),
                              Input(placeholder="Katowice (Pologne), Monastir (Tunisie)", compact=True))

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
        return self.coop.data.write(create_plan, data, copy_from=copy_from)


class PlanEditForm(FormScreen):
    TITLE_KEY = "plan_edit.title"

    def __init__(self, plan_id: uuid.UUID) -> None:
        super().__init__()
        self.plan_id = plan_id

    def fields(self) -> Iterator[Widget]:
        from coopterm.domain.plans import plan_form_values

        values = self.coop.data.read(plan_form_values, self.plan_id)
        yield from self.field("title", t("plan_form.title_field"), Input(values["title"], compact=True))
        yield from self.field("start_date", t("plan_form.start"), Input(values["start_date"], compact=True))
        yield from self.field("end_date", t("plan_form.end"), Input(values["end_date"], compact=True))
        yield from self.field("tech_group_every_weeks", t("plan_edit.tech_weeks"),
                              Input(values["tech_group_every_weeks"], compact=True))
        yield from self.field("coordination_every_weeks", t("plan_edit.coordination_weeks"),
                              Input(values["coordination_every_weeks"], compact=True))
        yield from self.field("vision", t("plan_edit.vision"), TextArea(values["vision"], classes="short"))

    def on_mount(self) -> None:
        self.query_one("#f-title", Input).focus()

    def collect(self) -> dict[str, Any]:
        data = {name: self.value(name) for name in
                ("title", "start_date", "end_date", "tech_group_every_weeks", "coordination_every_weeks")}
        data["vision"] = self.query_one("#f-vision", TextArea).text
        return data

    def persist(self, data: dict[str, Any]) -> Any:
        from coopterm.domain.plans import update_plan

        return self.coop.data.write(update_plan, self.plan_id, data)


class PlansScreen(PlanScreen):
    TITLE_KEY = "screen.plans"
    BINDINGS = [
        Binding("enter", "make_current", "key.make_current", id="plans.make_current"),
        Binding("n", "new", "key.new", id="plans.new"),
        Binding("e", "edit", "key.edit", id="plans.edit"),
    ]
    PALETTE = [
        ("palette.switch_plan", "palette.switch_plan_help", "make_current"),
        ("palette.new_plan", "palette.new_plan_help", "new"),
        ("palette.edit_plan", "palette.edit_plan_help", "edit"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Literal(t("screen.plans"), classes="screen-title")
        yield DataTable(id="plans", cursor_type="row", zebra_stripes=True)
        yield Literal(t("plans.hint"), classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("", key="current", width=2)
        table.add_column(t("plans.col.title"), key="title")
        table.add_column(t("plans.col.period"), key="period", width=23)
        table.add_column(t("plans.col.challenges"), key="challenges", width=6)
        table.add_column(t("plans.col.actions"), key="actions", width=8)
        self.reload()
        table.focus()

    def reload(self) -> None:
        from coopterm.domain.plans import plan_rows

        table = self.query_one(DataTable)
        rows = self.coop.data.read(plan_rows)
        table.clear()
        for row in rows:
            period = f"{format_date(row.start_date)} → {format_date(row.end_date)}"
            table.add_row("●" if row.current else "", literal(row.title), period, str(row.challenges), str(row.actions),
                          key=row.id.hex)
        if self.coop.plan_id is not None and self.coop.plan_id.hex in table.rows:
            table.move_cursor(row=table.get_row_index(self.coop.plan_id.hex))

    def selected_id(self) -> uuid.UUID | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        return uuid.UUID(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_make_current()

    def action_make_current(self) -> None:
        plan_id = self.selected_id()
        if plan_id is not None and plan_id != self.coop.plan_id:
            self.coop.switch_plan(plan_id)
            self.notify(t("plans.switched", title=self.coop.title))

    def action_edit(self) -> None:
        plan_id = self.selected_id()
        if plan_id is None:
            return

        def saved(result: object) -> None:
            if result is not None:
                self.coop.load_plan()
                self.coop.plan_changed(None)
                self.notify(t("plans.saved"))

        self.app.push_screen(PlanEditForm(plan_id), saved)

    def action_new(self) -> None:
        from coopterm.domain.plans import plan_rows

        sources = [(row.title, row.id) for row in self.coop.data.read(plan_rows)]

        def created(plan_id: object) -> None:
            if isinstance(plan_id, uuid.UUID):
                self.coop.switch_plan(plan_id)
                self.notify(t("plans.created"))

        self.app.push_screen(PlanForm(copy_choices=sources), created)
