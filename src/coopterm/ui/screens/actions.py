"""The fiches-actions of the current plan: a table that stays fast at any size.

The table asks for the rows it shows only (``VirtualTable`` over
``domain.actions.fetch_actions``), so filtering 100,000 actions costs one
counted query and one window of rows.  Filters: ``/`` for text (title, pilot,
town), and quick filters by status, défi, pilot and town; ``escape`` clears them.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterator, Sequence
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Footer, Header, Input, Select, TextArea

from coopterm.domain.actions import ActionQuery, ActionRow
from coopterm.i18n import format_date, t
from coopterm.ui.literal import Literal, literal, options
from coopterm.ui.screens.base import PlanScreen
from coopterm.ui.screens.choose import ChooseScreen
from coopterm.ui.screens.confirm import ConfirmScreen
from coopterm.ui.screens.forms import FormScreen
from coopterm.ui.widgets.history_view import HISTORY_LIMIT, HistoryPane
from coopterm.ui.widgets.picker import Picker
from coopterm.ui.widgets.virtual_table import Column, VirtualTable
from coopterm.vocabulary import ActionStatus
from coopterm.workspace import Workspace

STATUS_STYLE = {
    ActionStatus.PLANNED: "",
    ActionStatus.IN_PROGRESS: "bold",
    ActionStatus.DONE: "green",
    ActionStatus.POSTPONED: "yellow",
    ActionStatus.ABANDONED: "dim strike",
}


def status_text(status: ActionStatus) -> Text:
    return Text(t(f"action_status.{status.value}"), style=STATUS_STYLE[status])


class ActionSource:
    """The rows of one query, fetched a window at a time in short read sessions."""

    def __init__(self, data: Workspace, plan_id: uuid.UUID, query: ActionQuery) -> None:
        self.data, self.plan_id, self.query = data, plan_id, query

    def count(self) -> int:
        from coopterm.domain.actions import count_actions

        return self.data.read(count_actions, self.plan_id, self.query)

    def fetch(self, offset: int, limit: int) -> Sequence[ActionRow]:
        from coopterm.domain.actions import fetch_actions

        return self.data.read(fetch_actions, self.plan_id, self.query, offset, limit)


def columns(width: int = 200) -> list[Column]:
    """The table's columns for a terminal ``width`` wide: leads from 100 columns,
    towns from 120, so that titles stay readable on 80 (the detail pane shows both)."""
    cols = [
        Column("code", t("actions.col.code"), 5, lambda r: r.code, sortable=True),
        Column("title", t("actions.col.title"), None, lambda r: r.title, sortable=True),
        Column("status", t("actions.col.status"), 11, lambda r: status_text(r.status), sortable=True),
        Column("progress", t("actions.col.progress"), 5, lambda r: f"{r.progress}%", sortable=True, justify="right"),
    ]
    if width >= 100:
        cols.append(Column("pilots", t("actions.col.pilots"), 18, lambda r: ", ".join(r.pilots)))
    if width >= 120:
        cols.append(Column("towns", t("actions.col.towns"), 18, lambda r: ", ".join(r.towns)))
    cols.append(Column("due", t("actions.col.due"), 10, lambda r: format_date(r.due_date) if r.due_date else "",
                       sortable=True))
    return cols


class ActionForm(FormScreen):
    TITLE_KEY = "action_form.title_new"

    def __init__(self, action_id: uuid.UUID | None = None, challenge_id: uuid.UUID | None = None) -> None:
        super().__init__()
        self.action_id = action_id
        self.default_challenge = challenge_id
        self.choices: dict[str, Any] = {}

    def heading(self) -> str:
        return t("action_form.title_edit" if self.action_id else "action_form.title_new")

    def fields(self) -> Iterator[Widget]:
        from coopterm.domain.forms import action_form_context

        self.context = self.coop.data.read(action_form_context, self.coop.plan_id, self.action_id,
                                           self.default_challenge)
        values = self.context.values
        yield from self.field("challenge_id", t("action_form.challenge"),
                              Select(options(self.context.challenges), value=values["challenge_id"], allow_blank=False,
                                     compact=True))
        yield from self.field("title", t("action_form.title_field"), Input(values["title"], compact=True))
        yield from self.field("number", t("action_form.number"),
                              Input(values["number"], placeholder=t("action_form.number_auto"), compact=True))
        yield from self.field("status", t("action_form.status"),
                              Select(options((t(f"action_status.{s.value}"), s.value) for s in ActionStatus),
                                     value=values["status"], allow_blank=False, compact=True))
        yield from self.field("progress", t("action_form.progress"), Input(values["progress"], compact=True))
        yield from self.field("start_date", t("action_form.start"),
                              Input(values["start_date"], placeholder=t("form.date_placeholder"), compact=True))
        yield from self.field("due_date", t("action_form.due"),
                              Input(values["due_date"], placeholder=t("form.date_placeholder"), compact=True))
        yield from self.field("pilots", t("action_form.pilots"),
                              Picker(self.context.people, selected=values["pilots"], multiple=True))
        yield from self.field("towns", t("action_form.towns"),
                              Picker(self.context.towns, selected=values["towns"], multiple=True))
        yield from self.field("description", t("action_form.description"),
                              TextArea(values["description"], classes="short"))
        yield from self.field("notes", t("action_form.notes"), TextArea(values["notes"], classes="short"))

    def on_mount(self) -> None:
        self.query_one("#f-title", Input).focus()

    def collect(self) -> dict[str, Any]:
        return {
            "challenge_id": self.query_one("#f-challenge_id", Select).value,
            "title": self.value("title"),
            "number": self.value("number"),
            "status": self.query_one("#f-status", Select).value,
            "progress": self.value("progress"),
            "start_date": self.value("start_date"),
            "due_date": self.value("due_date"),
            "pilots": list(self.query_one("#f-pilots", Picker).value),
            "towns": list(self.query_one("#f-towns", Picker).value),
            "description": self.query_one("#f-description", TextArea).text,
            "notes": self.query_one("#f-notes", TextArea).text,
        }

    def persist(self, data: dict[str, Any]) -> Any:
        from coopterm.domain.forms import save_action

        return self.coop.data.write(save_action, self.coop.plan_id, self.action_id, data)


class ActionsScreen(PlanScreen):
    TITLE_KEY = "screen.actions"
    BINDINGS = [
        Binding("slash", "filter", "key.filter", id="actions.filter"),
        Binding("escape", "clear_filters", "key.clear_filters", id="actions.clear_filters"),
        Binding("n", "new", "key.new", id="actions.new"),
        Binding("e", "edit", "key.edit", id="actions.edit"),
        Binding("delete", "delete", "key.delete", id="actions.delete"),
        Binding("s", "next_status", "key.next_status", id="actions.next_status"),
        Binding("plus,equals_sign", "progress(10)", "key.progress_up", id="actions.progress_up"),
        Binding("minus", "progress(-10)", "key.progress_down", id="actions.progress_down"),
        Binding("S", "filter_status", "key.filter_status", show=False, id="actions.filter_status"),
        Binding("D", "filter_challenge", "key.filter_challenge", show=False, id="actions.filter_challenge"),
        Binding("P", "filter_pilot", "key.filter_pilot", show=False, id="actions.filter_pilot"),
        Binding("T", "filter_town", "key.filter_town", show=False, id="actions.filter_town"),
        Binding("o", "sort_next", "key.sort", show=False, id="actions.sort"),
        Binding("h", "toggle_history", "key.history", id="actions.history"),
    ]
    PALETTE = [
        ("palette.new_action", "palette.new_action_help", "new"),
        ("palette.edit_action", "palette.edit_action_help", "edit"),
        ("palette.delete_action", "palette.delete_action_help", "delete"),
        ("palette.next_status", "palette.next_status_help", "next_status"),
        ("palette.filter_text", "palette.filter_text_help", "filter"),
        ("palette.filter_status", "palette.filter_status_help", "filter_status"),
        ("palette.filter_challenge", "palette.filter_challenge_help", "filter_challenge"),
        ("palette.filter_pilot", "palette.filter_pilot_help", "filter_pilot"),
        ("palette.filter_town", "palette.filter_town_help", "filter_town"),
        ("palette.clear_filters", "palette.clear_filters_help", "clear_filters"),
        ("palette.action_history", "palette.action_history_help", "toggle_history"),
    ]

    query_state: ActionQuery = ActionQuery()
    labels: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="filter-bar"):
            yield Input(placeholder=t("actions.filter_placeholder"), id="filter-input", compact=True)
            yield Literal("", id="filter-summary")
        yield VirtualTable(columns(self.app.size.width), id="actions-table", empty_text=t("actions.empty"),
                           sort_key="code")
        yield Literal("", id="action-detail")
        yield HistoryPane(id="action-history")
        yield Footer()

    def on_mount(self) -> None:
        self.labels = {}
        self.apply_query(ActionQuery())
        self.query_one(VirtualTable).focus()

    # --- data ---------------------------------------------------------------------

    @property
    def table(self) -> VirtualTable:
        return self.query_one(VirtualTable)

    def apply_query(self, query: ActionQuery) -> None:
        self.query_state = query
        self.table.set_source(ActionSource(self.coop.data, self.coop.plan_id, query))
        self.show_filter_summary()

    def reload(self) -> None:
        self.table.reload()
        self.show_detail(self.table.current_row)

    def plan_switched(self) -> None:
        self.labels = {}
        self.apply_query(dataclasses.replace(ActionQuery(), sort=self.query_state.sort,
                                             descending=self.query_state.descending))

    def show_challenge(self, challenge_id: uuid.UUID) -> None:
        """Open on one défi's actions (from the défis screen)."""
        from coopterm.domain.forms import filter_label

        self.labels["challenge"] = self.coop.data.read(filter_label, self.coop.plan_id, "challenge", challenge_id)
        self.apply_query(dataclasses.replace(ActionQuery(), challenge_id=challenge_id))
        self.table.focus()

    def show_filter_summary(self) -> None:
        q = self.query_state
        parts = []
        if q.text:
            parts.append(t("actions.filter.text", text=q.text))
        if q.status is not None:
            parts.append(t("actions.filter.status", status=t(f"action_status.{q.status.value}")))
        for key in ("challenge", "pilot", "town"):
            if getattr(q, f"{key}_id") is not None:
                parts.append(t(f"actions.filter.{key}", name=self.labels.get(key, "?")))
        summary = self.query_one("#filter-summary", Literal)
        count = self.table.row_count
        if parts and count == 1:
            summary.update(t("actions.filter.summary_one", filters=" · ".join(parts)))
        else:
            summary.update(t("actions.filter.summary", filters=" · ".join(parts), count=count) if parts else "")
        summary.display = bool(parts)

    # --- events -------------------------------------------------------------------

    def on_resize(self) -> None:
        wanted = columns(self.size.width)
        if [c.key for c in wanted] != [c.key for c in self.table.columns]:
            self.table.columns = wanted

    def on_virtual_table_row_highlighted(self, event: VirtualTable.RowHighlighted) -> None:
        self.show_detail(event.row)

    def on_virtual_table_row_selected(self, event: VirtualTable.RowSelected) -> None:
        self.open_form(event.row.id)

    def on_virtual_table_sort_changed(self, event: VirtualTable.SortChanged) -> None:
        self.apply_query(dataclasses.replace(self.query_state, sort=event.key, descending=event.descending))

    @property
    def history_shown(self) -> bool:
        return self.has_class("-history")

    def show_detail(self, row: ActionRow | None) -> None:
        detail = self.query_one("#action-detail", Literal)
        history = self.query_one("#action-history", HistoryPane)
        if row is None:
            detail.update("")
            history.clear()
            return
        from coopterm.domain.actions import action_detail
        from coopterm.domain.history import action_history

        d = self.coop.data.read(action_detail, row.id)
        entries = self.coop.data.read(action_history, row.id, HISTORY_LIMIT) if self.history_shown else None
        if d is None:
            detail.update("")
            history.clear()
            return
        if entries is not None:
            history.show(entries, row.id, f"{d.code} {d.title}")
        dates = " → ".join(format_date(x) for x in (d.start_date, d.due_date) if x) or "—"
        lines = [
            t("actions.detail.status", status=t(f"action_status.{d.status.value}"), progress=d.progress, dates=dates),
            t("actions.detail.pilots", names=", ".join(name for _, name in d.pilots) or "—"),
            t("actions.detail.towns", names=", ".join(name for _, name in d.towns) or "—"),
        ]
        from coopterm.domain.meetings import action_meetings

        meetings = self.coop.data.read(action_meetings, row.id)
        if meetings:
            decisions = [dec for m in meetings for dec in m.decisions]
            lines.append(t("actions.detail.meetings", count=len(meetings),
                           last=format_date(meetings[0].starts_at.date()), title=meetings[0].title,
                           open=sum(1 for dec in decisions if not dec.done), decisions=len(decisions)))
            if decisions:
                latest = decisions[0]  # meetings come newest first
                lines.append(t("actions.detail.decision_open" if not latest.done else "actions.detail.decision_done",
                               text=latest.text))
        if d.description:
            lines.append(d.description.splitlines()[0])
        heading = Text.assemble((d.code, "bold"), "  ", literal(d.title))
        detail.update(Text("\n").join([heading, *(literal(line) for line in lines)]))

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter-input":
            self.apply_query(dataclasses.replace(self.query_state, text=event.value.strip()))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "filter-input":
            self.table.focus()

    # --- actions --------------------------------------------------------------------

    def action_toggle_history(self) -> None:
        """Show or hide the history under the detail; the table gives it room while it is shown."""
        self.toggle_class("-history")
        self.show_detail(self.table.current_row)  # the table keeps its cursor in view as it shrinks

    def action_filter(self) -> None:
        self.open_filter_box("#filter-input")

    def action_clear_filters(self) -> None:
        self.reset_filter_box("#filter-input")
        self.labels = {}
        self.apply_query(dataclasses.replace(ActionQuery(), sort=self.query_state.sort,
                                             descending=self.query_state.descending))
        self.table.focus()

    def _choose(self, kind: str) -> None:
        from coopterm.domain.forms import filter_choices

        choices = self.coop.data.read(filter_choices, self.coop.plan_id, kind)

        def chosen(value: object) -> None:
            if value is None:
                return
            if kind == "status":
                self.apply_query(dataclasses.replace(self.query_state, status=ActionStatus(value)))
                return
            self.labels[kind] = dict(choices).get(value, "?")
            self.apply_query(dataclasses.replace(self.query_state, **{f"{kind}_id": value}))

        self.app.push_screen(ChooseScreen(t(f"actions.choose.{kind}"), choices), chosen)

    def action_filter_status(self) -> None:
        self._choose("status")

    def action_filter_challenge(self) -> None:
        self._choose("challenge")

    def action_filter_pilot(self) -> None:
        self._choose("pilot")

    def action_filter_town(self) -> None:
        self._choose("town")

    def action_sort_next(self) -> None:
        keys = [c.key for c in columns() if c.sortable]
        current = self.query_state.sort
        following = keys[(keys.index(current) + 1) % len(keys)] if current in keys else keys[0]
        self.table.sort_by(following)

    def open_form(self, action_id: uuid.UUID | None) -> None:
        from coopterm.domain.challenges import challenge_choices

        if not self.coop.data.read(challenge_choices, self.coop.plan_id):
            self.notify(t("actions.no_challenge"), severity="warning")
            return
        self.app.push_screen(ActionForm(action_id, self.query_state.challenge_id), self._saved)

    def action_new(self) -> None:
        self.open_form(None)

    def action_edit(self) -> None:
        row = self.table.current_row
        if row is not None:
            self.open_form(row.id)

    def _saved(self, change: object) -> None:
        if change is not None:
            self.coop.plan_changed(change)
            self.notify(t("action.saved"))

    def action_delete(self) -> None:
        row = self.table.current_row
        if row is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                from coopterm.domain.actions import delete_action

                change = self.coop.data.write(delete_action, row.id)
                self.coop.plan_changed(change)
                self.notify(t("action.deleted", code=row.code))

        self.app.push_screen(ConfirmScreen(t("action.delete_question", code=row.code, title=row.title)), answered)

    def action_next_status(self) -> None:
        from coopterm.domain.actions import advance_status

        row = self.table.current_row
        if row is None:
            return
        change = self.coop.data.write(advance_status, row.id)
        self.coop.plan_changed(change)

    def action_progress(self, step: int) -> None:
        from coopterm.domain.actions import set_progress

        row = self.table.current_row
        if row is None:
            return
        change = self.coop.data.write(set_progress, row.id, max(0, min(100, row.progress + step)))
        self.coop.plan_changed(change)
