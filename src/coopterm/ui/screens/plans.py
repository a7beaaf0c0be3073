"""The plans of the file: which one is current, its settings, and new plans."""

from __future__ import annotations

import uuid

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header

from coopterm import present
from coopterm.i18n import t
from coopterm.ui.forms.plan import PlanForm
from coopterm.ui.forms.plan_settings import PlanEditForm
from coopterm.ui.literal import Literal, literal
from coopterm.ui.screens.base import PlanScreen


class PlansScreen(PlanScreen):
    TITLE_KEY = "screen.plans"
    BINDINGS = [
        Binding("enter", "make_current", "key.make_current", id="plans.make_current"),
        Binding("n", "new", "key.new", id="plans.new"),
        Binding("e", "edit", "key.edit", id="plans.edit"),
        Binding("delete", "delete", "key.delete", id="plans.delete"),
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
        table = self.query_one(DataTable)
        rows = self.coop.data.plans.rows()
        table.clear()
        for row in rows:
            period = f"{present.date(row.start_date)} → {present.date(row.end_date)}"
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
        sources = [(row.title, row.id) for row in self.coop.data.plans.rows()]

        def created(plan_id: object) -> None:
            if isinstance(plan_id, uuid.UUID):
                self.coop.switch_plan(plan_id)
                self.notify(t("plans.created"))

        self.app.push_screen(PlanForm(copy_choices=sources), created)

    def action_delete(self) -> None:
        """Delete the highlighted plan after saying all it takes with it; the only plan and the
        current one are refused with the reason (``domain.removal``)."""
        from coopterm.ui.screens.confirm import ConfirmScreen

        plan_id = self.selected_id()
        if plan_id is None:
            return
        refusal = self.coop.data.plans.deletion_refusal(plan_id)
        if refusal is not None:
            self.notify(refusal, severity="warning")
            return
        title = next(row.title for row in self.coop.data.plans.rows() if row.id == plan_id)
        question = "\n".join([t("plans.delete_question", title=title), *self.coop.data.dependents.of(plan_id)])

        def answered(yes: bool | None) -> None:
            if yes:
                self.coop.plan_changed(self.coop.data.plans.delete(plan_id))
                self.notify(t("plans.deleted", title=title))

        self.app.push_screen(ConfirmScreen(question), answered)
