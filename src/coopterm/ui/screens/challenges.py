"""The défis of the current plan: number, title, how many actions, mean progress."""

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
from coopterm.ui.forms.challenge import ChallengeForm
from coopterm.ui.literal import Literal, literal
from coopterm.ui.screens.base import PlanScreen
from coopterm.ui.screens.confirm import ConfirmScreen
from coopterm.ui.screens.plans import MIN_TITLE, PADDING, scrollbar
from coopterm.ui.widgets.gauge import crop

if TYPE_CHECKING:
    from coopterm.domain.challenges import ChallengeSummary

CODE_WIDTH = 4


class ChallengesScreen(PlanScreen):
    TITLE_KEY = "screen.challenges"
    BINDINGS = [
        Binding("enter", "open", "key.open_actions", id="challenges.open"),
        Binding("n", "new", "key.new", id="challenges.new"),
        Binding("e", "edit", "key.edit", id="challenges.edit"),
        Binding("delete", "delete", "key.delete", id="challenges.delete"),
    ]
    PALETTE = [
        ("palette.new_challenge", "palette.new_challenge_help", "new"),
        ("palette.edit_challenge", "palette.edit_challenge_help", "edit"),
        ("palette.delete_challenge", "palette.delete_challenge_help", "delete"),
    ]

    summaries: list[ChallengeSummary] = []  # replaced, never changed in place: what reload read last

    def compose(self) -> ComposeResult:
        yield Header()
        yield Literal(t("screen.challenges"), classes="screen-title")
        yield DataTable(id="challenges", cursor_type="row", zebra_stripes=True)
        yield Literal(t("challenges.empty"), id="challenges-empty", classes="empty")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column(t("challenges.col.code"), key="code", width=CODE_WIDTH)
        table.add_column(t("challenges.col.title"), key="title")
        table.add_column(t("challenges.col.actions"), key="actions", width=self._count_width())
        table.add_column(t("challenges.col.progress"), key="progress", width=self._progress_width())
        self.reload()
        table.focus()

    def on_resize(self) -> None:
        self.lay_out(self.summaries)  # titles are cut to the room there is; the counts are not read again

    @staticmethod
    def _count_width() -> int:
        return max(cell_len(t("challenges.col.actions")), 3)

    @staticmethod
    def _progress_width() -> int:
        return max(cell_len(t("challenges.col.progress")), cell_len(present.percent(92.5)))

    def title_width(self, rows: int) -> int:
        """The room the title column has: the table's width less the other columns, their
        padding and the scrollbar (a title is cut with "…" only where that room ends)."""
        table = self.query_one(DataTable)
        width = (table.size.width or self.size.width) - scrollbar(table, rows)
        others = CODE_WIDTH + self._count_width() + self._progress_width()
        return max(MIN_TITLE, width - others - 4 * PADDING)

    def reload(self) -> None:
        """Read the défis again and show them."""
        self.summaries = self.coop.data.challenges.summaries(self.coop.plan)
        self.lay_out(self.summaries)

    def lay_out(self, summaries: list[ChallengeSummary]) -> None:
        """The défis read last, their titles cut to the room there is."""
        from coopterm.domain.numbering import challenge_code

        table = self.query_one(DataTable)
        keep = self.selected_id()
        table.clear()
        width = self.title_width(len(summaries))
        for s in summaries:
            progress = present.percent(s.progress)
            title = crop(printable(s.challenge.title), width)
            table.add_row(challenge_code(s.challenge), literal(title), str(s.actions), progress, key=s.challenge.id.hex)
        self.query_one("#challenges-empty").display = not summaries
        if keep is not None and keep.hex in table.rows:
            table.move_cursor(row=table.get_row_index(keep.hex))

    def selected_id(self) -> uuid.UUID | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return uuid.UUID(key) if key else None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.run_worker(self.action_open(), exclusive=True)

    async def action_open(self) -> None:
        challenge_id = self.selected_id()
        if challenge_id is None:
            return
        await self.app.switch_mode("actions")
        self.app.screen.show_challenge(challenge_id)  # type: ignore[attr-defined]  # the actions screen, just switched to

    def action_new(self) -> None:
        self.app.push_screen(ChallengeForm(), self._saved)

    def action_edit(self) -> None:
        challenge_id = self.selected_id()
        if challenge_id is not None:
            self.app.push_screen(ChallengeForm(challenge_id), self._saved)

    def _saved(self, result: object) -> None:
        if result is not None:
            self.coop.plan_changed(result)
            self.notify(t("challenge.saved"))

    def action_delete(self) -> None:
        challenge_id = self.selected_id()
        if challenge_id is None:
            return
        question = self.coop.data.challenges.delete_question(self.coop.plan, challenge_id)

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            result = self.coop.data.challenges.delete(challenge_id)
            self.coop.plan_changed(result)
            self.notify(t("challenge.deleted"))

        self.app.push_screen(ConfirmScreen(question), answered)
