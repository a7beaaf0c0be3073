"""The plans of the file: which one is current, its settings, and new plans."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header

from coopterm import present
from coopterm.i18n import t
from coopterm.text import printable
from coopterm.ui.forms.plan import PlanForm
from coopterm.ui.forms.plan_settings import PlanEditForm
from coopterm.ui.literal import Literal, literal
from coopterm.ui.screens.base import PlanScreen
from coopterm.ui.widgets.gauge import crop

if TYPE_CHECKING:
    from coopterm.domain.plans import PlanRow

PADDING = 2
"""A DataTable cell's padding, one cell each side."""
SCROLLBAR = 2
"""Kept for the table's vertical scrollbar, when its rows overflow."""
MIN_TITLE = 12


def scrollbar(table: DataTable, rows: int) -> int:
    """The cells the table's vertical scrollbar takes: none while every row (and the header) shows."""
    return SCROLLBAR if not table.size.height or rows + 1 > table.size.height else 0





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

    rows: list[PlanRow] = []  # replaced, never changed in place: what reload read last

    def compose(self) -> ComposeResult:
        yield Header()
        yield Literal(t("screen.plans"), classes="screen-title")
        yield DataTable(id="plans", cursor_type="row", zebra_stripes=True)
        yield Literal(t("plans.hint"), classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()
        self.query_one(DataTable).focus()

    def on_resize(self) -> None:
        self.lay_out(self.rows)  # the title column takes what the other columns leave

    def reload(self) -> None:
        """Read the plans again and show them."""
        self.rows = self.coop.data.plans.rows()
        self.lay_out(self.rows)

    def lay_out(self, rows: list[PlanRow]) -> None:
        """The plans, with their period and counts always whole: the title takes the room
        the other columns leave (cut with "…"), so at 80 columns nothing is pushed off.
        A new size lays out the rows already read: the counts are not read again."""
        table = self.query_one(DataTable)
        periods = [f"{present.date(row.start_date)} → {present.date(row.end_date)}" for row in rows]
        headers = [t("plans.col.period"), t("plans.col.challenges"), t("plans.col.actions")]
        counts = [[str(row.challenges) for row in rows], [str(row.actions) for row in rows]]
        widths = [max(cell_len(text) for text in [header, *cells])
                  for header, cells in zip(headers, [periods, *counts], strict=True)]
        room = (table.size.width or self.size.width) - scrollbar(table, len(rows))
        title_width = max(MIN_TITLE, room - (2 + PADDING) - sum(w + PADDING for w in widths) - PADDING)
        table.clear(columns=True)
        table.add_column("", key="current", width=2)
        table.add_column(t("plans.col.title"), key="title", width=title_width)
        for key, header, width in zip(("period", "challenges", "actions"), headers, widths, strict=True):
            table.add_column(header, key=key, width=width)
        for row, period in zip(rows, periods, strict=True):
            table.add_row("●" if row.current else "", literal(crop(printable(row.title), title_width)), period,
                          str(row.challenges), str(row.actions), key=row.id.hex)
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
