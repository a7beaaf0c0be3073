"""The défis of the current plan: number, title, how many actions, mean progress."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Checkbox, DataTable, Footer, Header, Input, TextArea

from coopterm.i18n import format_number, t
from coopterm.text import printable
from coopterm.ui.literal import Literal, literal
from coopterm.ui.screens.base import PlanScreen
from coopterm.ui.screens.confirm import ConfirmScreen
from coopterm.ui.screens.forms import FormScreen


class ChallengeForm(FormScreen):
    TITLE_KEY = "challenge_form.title_new"

    def __init__(self, challenge_id: uuid.UUID | None = None) -> None:
        super().__init__()
        self.challenge_id = challenge_id
        self.initial: dict[str, Any] = {}

    def heading(self) -> str:
        return t("challenge_form.title_edit" if self.challenge_id else "challenge_form.title_new")

    def on_mount(self) -> None:
        from coopterm.domain.forms import challenge_form_values

        self.initial = self.coop.data.read(challenge_form_values, self.coop.plan_id, self.challenge_id)
        self.query_one("#f-number", Input).value = self.initial["number"]
        self.query_one("#f-title", Input).value = self.initial["title"]
        self.query_one("#f-description", TextArea).text = self.initial["description"]
        self.query_one("#f-transversal", Checkbox).value = self.initial["transversal"]
        self.query_one("#f-title", Input).focus()

    def fields(self) -> Iterator[Widget]:
        yield from self.field("number", t("challenge_form.number"), Input(placeholder="1", compact=True))
        yield from self.field("title", t("challenge_form.title_field"), Input(compact=True))
        yield from self.field("transversal", t("challenge_form.transversal"),
                              Checkbox(t("challenge_form.transversal_box")))
        yield from self.field("description", t("challenge_form.description"), TextArea(classes="short"))

    def collect(self) -> dict[str, Any]:
        return {
            "number": self.value("number"),
            "title": self.value("title"),
            "description": self.query_one("#f-description", TextArea).text,
            "transversal": self.query_one("#f-transversal", Checkbox).value,
        }

    def persist(self, data: dict[str, Any]) -> Any:
        from coopterm.domain.forms import save_challenge

        return self.coop.data.write(save_challenge, self.coop.plan_id, self.challenge_id, data)


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
        from coopterm.domain.challenges import challenge_summaries
        from coopterm.domain.numbering import challenge_code

        table = self.query_one(DataTable)
        keep = self.selected_id()
        summaries = self.coop.data.read(challenge_summaries, self.coop.plan_id)
        table.clear()
        width = max(20, self.size.width - 4 - 9 - 10 - 10)
        for s in summaries:
            progress = "—" if s.progress is None else f"{format_number(s.progress, 0)}\u00a0%"
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
        self.app.screen.show_challenge(challenge_id)  # type: ignore[attr-defined]

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
        from coopterm.domain.forms import challenge_delete_question

        challenge_id = self.selected_id()
        if challenge_id is None:
            return
        question = self.coop.data.read(challenge_delete_question, self.coop.plan_id, challenge_id)

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            from coopterm.domain.challenges import delete_challenge

            result = self.coop.data.write(delete_challenge, challenge_id)
            self.coop.plan_changed(result)
            self.notify(t("challenge.deleted"))

        self.app.push_screen(ConfirmScreen(question), answered)
