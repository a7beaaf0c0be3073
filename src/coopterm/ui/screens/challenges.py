"""The défis of the current plan: number, title, how many actions, mean progress."""

from __future__ import annotations

import uuid

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

    def compose(self) -> ComposeResult:
        yield Header()
        yield Literal(t("screen.challenges"), classes="screen-title")
        yield DataTable(id="challenges", cursor_type="row", zebra_stripes=True)
        yield Literal(t("challenges.empty"), id="challenges-empty", classes="empty")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column(t("challenges.col.code"), key="code", width=4)
        table.add_column(t("challenges.col.title"), key="title")
        table.add_column(t("challenges.col.actions"), key="actions", width=9)
        table.add_column(t("challenges.col.progress"), key="progress", width=10)
        self.reload()
        table.focus()

    def reload(self) -> None:
        from coopterm.domain.numbering import challenge_code

        table = self.query_one(DataTable)
        keep = self.selected_id()
        summaries = self.coop.data.challenges.summaries(self.coop.plan)
        table.clear()
        width = max(20, self.size.width - 4 - 9 - 10 - 10)
        for s in summaries:
            progress = present.percent(s.progress)
            title = printable(s.challenge.title)
            title = title if len(title) <= width else title[: width - 1] + "…"
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
